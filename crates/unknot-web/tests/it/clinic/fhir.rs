//! The FHIR API in process: FHIR JSON and OperationOutcomes with the right statuses, what each
//! reader finds, the audit of staff reads, paging by cursor, date prefixes and includes; every
//! answer checked against the official R4 JSON Schema.

use super::*;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!(
        "../../../../unknot-export/tests/fixtures/fhir.schema.json"
    ))
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

impl World {
    /// A read-only API token for `who`.
    async fn fhir_token(&self, who: Who) -> String {
        let (session, _) = self.session(who).await.unwrap();
        let p = self
            .clinic
            .from_session(&session, "10.0.0.9")
            .await
            .unwrap()
            .unwrap();
        self.clinic.create_token(&p, "fhir", false).await.unwrap().0
    }
}

/// GET `path` with a bearer token (none for anonymous) and an `Accept` header.
async fn fhir(
    w: &World,
    token: Option<&str>,
    path: &str,
    accept: &str,
) -> (StatusCode, Value, Reply) {
    let mut b = Request::builder()
        .method("GET")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, accept);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let r = send(&w.router, b.body(Body::empty()).unwrap()).await;
    let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, v, r)
}

fn valid(v: &Value, validator: &jsonschema::Validator) {
    let errors: Vec<String> = validator
        .iter_errors(v)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{v:#}");
}

fn outcome(r: &(StatusCode, Value, Reply), status: u16, code: &str) {
    assert_eq!(r.0.as_u16(), status, "{}", r.2.body);
    assert_eq!(r.1["resourceType"], "OperationOutcome", "{}", r.2.body);
    assert_eq!(r.1["issue"][0]["code"], code, "{}", r.2.body);
    assert!(
        r.2.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/fhir+json")
    );
}

fn ids(bundle: &Value, kind: &str) -> Vec<String> {
    bundle["entry"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| e["resource"]["resourceType"] == kind)
                .map(|e| e["resource"]["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn answers_are_fhir_json_and_every_error_is_an_operation_outcome() {
    let w = world(db::databases().await.remove(0)).await;
    let v = schema();
    let a = w.fhir_token(Who::PatientA).await;
    let meta = fhir(&w, None, "/fhir/metadata", "application/fhir+json").await;
    assert_eq!(meta.0, StatusCode::OK);
    valid(&meta.1, &v);
    // The statement lists exactly the registry's types, each with its parameters.
    let listed: Vec<&str> = meta.1["rest"][0]["resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    let registry: Vec<&str> = unknot_app::clinic::fhir::RESOURCES
        .iter()
        .map(|r| r.kind)
        .collect();
    assert_eq!(listed, registry);
    let obs = &meta.1["rest"][0]["resource"][4];
    assert_eq!(obs["type"], "Observation");
    assert!(
        obs["searchParam"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "date" && p["type"] == "date")
    );
    assert_eq!(obs["searchInclude"][0], "Observation:patient");

    let ok = fhir(&w, Some(&a), "/fhir/Observation", "application/json").await;
    assert_eq!(ok.0, StatusCode::OK);
    assert!(
        ok.2.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/fhir+json")
    );
    valid(&ok.1, &v);
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation", "application/fhir+xml").await,
        406,
        "not-supported",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation?_format=xml", "*/*").await,
        406,
        "not-supported",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation?colour=blue", "*/*").await,
        400,
        "invalid",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation?date=yesterday", "*/*").await,
        400,
        "invalid",
    );
    outcome(
        &fhir(
            &w,
            Some(&a),
            "/fhir/Observation?_include=Observation:nurse",
            "*/*",
        )
        .await,
        400,
        "invalid",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation?_cursor=zzz", "*/*").await,
        400,
        "invalid",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Observation?_sort=date", "*/*").await,
        400,
        "invalid",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Nonsense", "*/*").await,
        404,
        "not-found",
    );
    outcome(
        &fhir(&w, Some(&a), "/fhir/Patient/no-such-person", "*/*").await,
        404,
        "not-found",
    );
    let anonymous = fhir(&w, None, "/fhir/Patient", "*/*").await;
    outcome(&anonymous, 401, "login");
    assert!(anonymous.2.headers.contains_key(header::WWW_AUTHENTICATE));
    // Writes are not served: 405 with Allow, as an OperationOutcome, for every method.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let req = Request::builder()
            .method(method)
            .uri(format!("/fhir/Patient/{}", w.accounts[&Who::PatientA]))
            .header(header::HOST, HOST)
            .header(header::AUTHORIZATION, format!("Bearer {a}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("hello"))
            .unwrap();
        let r = send(&w.router, req).await;
        let v: Value = serde_json::from_str(&r.body).unwrap();
        outcome(&(r.status, v, r), 405, "not-supported");
    }
}

#[tokio::test]
async fn each_reader_finds_what_the_rules_allow_and_staff_reads_are_audited() {
    for db in db::databases().await {
        let w = world(db).await;
        let v = schema();
        let a = &w.accounts[&Who::PatientA];
        let b = &w.accounts[&Who::PatientB];
        let journal_b = w.clinic.app().for_user(b);
        let mut e = journal_b.new_entry().await.unwrap();
        e.pain = Some(Score::new(2, "pain").unwrap());
        journal_b.log(e).await.unwrap();
        let mut found = HashMap::new();
        for who in EVERYONE.into_iter().skip(1) {
            let t = w.fhir_token(who).await;
            let obs = fhir(
                &w,
                Some(&t),
                "/fhir/Observation?_include=Observation:patient",
                "*/*",
            )
            .await;
            assert_eq!(obs.0, StatusCode::OK, "{who:?} {}", obs.2.body);
            valid(&obs.1, &v);
            found.insert(who, ids(&obs.1, "Patient"));
        }
        assert_eq!(found[&Who::PatientA], vec![a.clone()]);
        assert_eq!(found[&Who::PatientB], vec![b.clone()]);
        assert_eq!(found[&Who::ClinicianA], vec![a.clone()]);
        assert!(found[&Who::ClinicianOther].is_empty());
        assert!(
            found[&Who::Assistant].is_empty(),
            "an assistant sees no clinical data"
        );
        let mut owner = found[&Who::Owner].clone();
        owner.sort();
        let mut both = vec![a.clone(), b.clone()];
        both.sort();
        assert_eq!(owner, both);

        // Another clinic's clinician asking for patient A by id: 404, and the attempt is logged.
        let other = w.fhir_token(Who::ClinicianOther).await;
        let r = fhir(&w, Some(&other), &format!("/fhir/Patient/{a}"), "*/*").await;
        outcome(&r, 404, "not-found");

        // Staff reads are audited per patient; a patient's own reads are not.
        let store = w.clinic.app().store();
        let before = store.audit_of_patient(a, 1000).await.unwrap().len();
        let mine = w.fhir_token(Who::PatientA).await;
        fhir(&w, Some(&mine), "/fhir/Observation", "*/*").await;
        assert_eq!(store.audit_of_patient(a, 1000).await.unwrap().len(), before);
        let ct = w.fhir_token(Who::ClinicianA).await;
        fhir(
            &w,
            Some(&ct),
            &format!("/fhir/Observation?patient=Patient/{a}"),
            "*/*",
        )
        .await;
        let log = store.audit_of_patient(a, 1000).await.unwrap();
        assert_eq!(log.len(), before + 1);
        let newest = &log[0].event;
        assert_eq!(newest.actor, w.accounts[&Who::ClinicianA]);
        assert_eq!(newest.action, "read");
        assert_eq!(newest.target, "FHIR Observation search");
        assert_eq!(newest.clinic.as_deref(), Some(w.c1.as_str()));

        // The owner sees the clinic's staff and their roles, with includes; the clinician only
        // their own role.
        let ow = w.fhir_token(Who::Owner).await;
        let roles = fhir(&w, Some(&ow), "/fhir/PractitionerRole?_include=PractitionerRole:practitioner&_include=PractitionerRole:organization", "*/*").await;
        valid(&roles.1, &v);
        assert_eq!(ids(&roles.1, "PractitionerRole").len(), 3);
        assert_eq!(ids(&roles.1, "Practitioner").len(), 3);
        assert_eq!(ids(&roles.1, "Organization"), vec![w.c1.clone()]);
        let roles = fhir(&w, Some(&ct), "/fhir/PractitionerRole", "*/*").await;
        assert_eq!(roles.1["total"], 1);
        // AuditEvents: the owner's clinic log; nothing for a clinician.
        let events = fhir(&w, Some(&ow), "/fhir/AuditEvent?_count=5", "*/*").await;
        valid(&events.1, &v);
        assert!(events.1["total"].as_u64().unwrap() > 5);
        let events = fhir(&w, Some(&ct), "/fhir/AuditEvent", "*/*").await;
        assert_eq!(events.1["total"], 0);
    }
}

#[tokio::test]
async fn searches_page_by_cursor_filter_by_date_and_stay_valid() {
    let w = world(db::databases().await.remove(0)).await;
    let v = schema();
    let journal = w.clinic.app().for_user(&w.accounts[&Who::PatientA]);
    for day in 1..=9 {
        let mut e = journal.new_entry().await.unwrap();
        e.at = format!("2026-05-0{day}T08:00:00+02:00[Europe/Paris]")
            .parse()
            .unwrap();
        e.pain = Some(Score::new(day, "pain").unwrap());
        journal.log(e).await.unwrap();
    }
    let t = w.fhir_token(Who::ClinicianA).await;
    // Ten ratings in all (the world's entry and nine more), three a page.
    let mut seen = Vec::new();
    let pages = pages_of(&w, &t, "_count=3").await;
    for page in &pages {
        valid(page, &v);
        assert_eq!(page["type"], "searchset");
        assert_eq!(page["total"], 10);
        seen.extend(ids(page, "Observation"));
    }
    assert_eq!(pages.len(), 4);
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (10, 10));

    let count = |q: &'static str| {
        let w = &w;
        let t = &t;
        async move {
            let r = fhir(w, Some(t), &format!("/fhir/Observation?{q}"), "*/*").await;
            assert_eq!(r.0, StatusCode::OK, "{q}: {}", r.2.body);
            r.1["total"].as_u64().unwrap()
        }
    };
    assert_eq!(count("date=2026-05-03").await, 1);
    assert_eq!(
        count("date=ge2026-05-03").await,
        8,
        "3 to 9 May and the world's entry in June"
    );
    assert_eq!(count("date=gt2026-05-03").await, 7);
    assert_eq!(count("date=lt2026-05-03").await, 2);
    assert_eq!(count("date=le2026-05-03").await, 3);
    assert_eq!(count("date=ge2026-05-02&date=le2026-05-04").await, 3);
    assert_eq!(
        count("date=2026-05-03T06:00:00Z").await,
        1,
        "08:00 in Paris"
    );
    assert_eq!(count("date=2026-05").await, 9);
    assert_eq!(
        count("code=http://loinc.org|72514-3&status=final").await,
        10
    );
    assert_eq!(count("code=http://snomed.info/sct|72514-3").await, 0);
    assert_eq!(count("status=preliminary").await, 0);
    assert_eq!(count("_lastUpdated=ge2020-01-01").await, 10);
    assert_eq!(count("_lastUpdated=lt2020-01-01").await, 0);
    assert_eq!(count("_count=0").await, 10);
    let all = fhir(&w, Some(&t), "/fhir/Observation?_count=100000", "*/*").await;
    assert_eq!(ids(&all.1, "Observation").len(), 10);
    let one = &ids(&all.1, "Observation")[4];
    let read = fhir(&w, Some(&t), &format!("/fhir/Observation/{one}"), "*/*").await;
    assert_eq!(read.0, StatusCode::OK);
    valid(&read.1, &v);
    assert_eq!(
        read.1["subject"]["reference"],
        format!("Patient/{}", w.accounts[&Who::PatientA])
    );
    assert!(read.1["meta"]["lastUpdated"].is_string());
}

/// Every page of `query` (followed through link[next]), as the Bundles answered.
async fn pages_of(w: &World, token: &str, query: &str) -> Vec<Value> {
    let mut url = format!("/fhir/Observation?{query}");
    let mut out = Vec::new();
    loop {
        let page = fhir(w, Some(token), &url, "*/*").await;
        assert_eq!(page.0, StatusCode::OK, "{url}: {}", page.2.body);
        let next = page.1["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == "next")
            .map(|l| l["url"].as_str().unwrap().to_string());
        out.push(page.1);
        match next {
            Some(n) => {
                url = n
                    .strip_prefix(&format!("https://{HOST}"))
                    .unwrap()
                    .to_string()
            }
            None => return out,
        }
    }
}

/// The Observation ids of each page, and the total each page gave.
async fn ids_and_totals(w: &World, token: &str, query: &str) -> Vec<(Vec<String>, u64)> {
    pages_of(w, token, query)
        .await
        .iter()
        .map(|b| (ids(b, "Observation"), b["total"].as_u64().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_patients_observations_page_alike_read_a_page_at_a_time_or_all_at_once() {
    for db in db::databases().await {
        let w = world(db).await;
        fill_journal(&w).await;
        let patient = w.accounts[&Who::PatientA].clone();
        let journal = w.clinic.app().for_user(&patient);
        // Entries that give no Observation (a knot alone), one each (pain alone), and several
        // (regions), some at the same instant, so pages are cut inside an instant.
        for (i, (pain, regions)) in [
            (None, ""),
            (Some(3), ""),
            (Some(5), "neck=2,lower-back=6"),
            (None, "upper-back=4"),
            (Some(7), "neck=3"),
        ]
        .iter()
        .cycle()
        .take(23)
        .enumerate()
        {
            let mut e = journal.new_entry().await.unwrap();
            e.at = format!("2026-05-1{}T07:00:00+02:00[Europe/Paris]", i / 4)
                .parse()
                .unwrap();
            e.pain = pain.map(|p| Score::new(p, "pain").unwrap());
            e.regions = regions
                .split(',')
                .filter(|r| !r.is_empty())
                .map(|r| unknot_core::journal::RegionPain::parse(r).unwrap())
                .collect();
            if e.pain.is_none() && e.regions.is_empty() {
                e.knots = vec![unknot_core::journal::Knot::parse("rhomboids:left:5").unwrap()];
            }
            journal.log(e).await.unwrap();
        }
        // Check-ins within the millisecond of an instant of four entries (six ratings): stored
        // and sorted by the millisecond, they belong among them, and here their ids sort
        // before two of the six, so a page cut at that instant must hold them.
        for n in 1..=3 {
            let answers = serde_json::from_value(serde_json::json!({
                "peg_pain": 5, "peg_enjoyment": 5, "peg_activity": n,
            }))
            .unwrap();
            let checkin = unknot_core::intake::Assessment {
                id: format!("checkin-within-a-millisecond-{n}"),
                kind: unknot_core::intake::AssessmentKind::Checkin,
                at: format!("2026-05-11T07:00:00.000{n}+02:00[Europe/Paris]")
                    .parse()
                    .unwrap(),
                answers,
            };
            journal.store().save_assessment(&checkin).await.unwrap();
        }
        let t = w.fhir_token(Who::ClinicianA).await;
        for count in [1, 3, 7, 50] {
            // A second filter that every Observation passes sends the search the general way.
            let paged = ids_and_totals(&w, &t, &format!("patient={patient}&_count={count}")).await;
            let whole = ids_and_totals(
                &w,
                &t,
                &format!("patient={patient}&status=final&_count={count}"),
            )
            .await;
            assert_eq!(paged, whole, "_count={count}");
            let all: Vec<_> = paged.iter().flat_map(|(ids, _)| ids.clone()).collect();
            assert_eq!(
                all.len() as u64,
                paged[0].1,
                "every match once, as the total says"
            );
        }
        let with_patient = fhir(
            &w,
            Some(&t),
            &format!("/fhir/Observation?patient={patient}&_count=2&_include=Observation:patient"),
            "*/*",
        )
        .await;
        assert_eq!(ids(&with_patient.1, "Patient"), vec![patient.clone()]);
        assert_eq!(ids(&with_patient.1, "Observation").len(), 2);
        // A write moves the total on the next search (the count is kept per server, with the
        // journal counter it was made at).
        let total = with_patient.1["total"].as_u64().unwrap();
        let mut e = journal.new_entry().await.unwrap();
        e.pain = Some(Score::new(2, "pain").unwrap());
        e.regions = vec![unknot_core::journal::RegionPain::parse("neck=1").unwrap()];
        journal.log(e).await.unwrap();
        let after = ids_and_totals(&w, &t, &format!("patient={patient}&_count=50")).await;
        assert_eq!(after[0].1, total + 2);
    }
}

/// Patient A's journal: ratings on six days (some with a region), and a safety check with PEG
/// and PSFS scores.
async fn fill_journal(w: &World) {
    let journal = w.clinic.app().for_user(&w.accounts[&Who::PatientA]);
    for day in 1..=6 {
        let mut e = journal.new_entry().await.unwrap();
        e.at = format!("2026-05-0{day}T19:30:00+02:00[Europe/Paris]")
            .parse()
            .unwrap();
        e.pain = Some(Score::new(day, "pain").unwrap());
        if day % 2 == 0 {
            e.regions = vec![unknot_core::journal::RegionPain::parse("lower-back=4").unwrap()];
        }
        journal.log(e).await.unwrap();
    }
    let answers = serde_json::from_value(serde_json::json!({
        "pain_now": 5, "peg_pain": 6, "peg_enjoyment": 4, "peg_activity": 5,
        "psfs": [{"activity": "carry shopping", "score": 4}],
    }))
    .unwrap();
    journal.assess(answers, true).await.unwrap();
}

/// The black-box test: the server on a real socket, read by Python's `fhirpy` (search, paging
/// through link[next], _include), every resource parsed by `fhirclient` (FHIR 4.0.1, strict)
/// and validated by the npm package `fhir`. scripts/test installs all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_clients_read_the_running_server() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fhir");
    assert!(
        std::path::Path::new(&format!("{dir}/node_modules/fhir")).exists(),
        "the npm package fhir is missing: npm ci --prefix {dir} (scripts/test does this)"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://localhost:{port}/");
    let w = world_at(db::databases().await.remove(0), &base).await;
    fill_journal(&w).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(unknot_web::serve::run(
        w.router.clone(),
        listener,
        unknot_web::serve::Limits::default(),
        None,
        async {
            let _ = stopped.await;
        },
    ));
    let env = [
        ("FHIR_BASE", format!("{base}fhir")),
        ("FHIR_PATIENT_ID", w.accounts[&Who::PatientA].clone()),
        ("FHIR_PATIENT", w.fhir_token(Who::PatientA).await),
        ("FHIR_CLINICIAN", w.fhir_token(Who::ClinicianA).await),
        ("FHIR_OWNER", w.fhir_token(Who::Owner).await),
    ];
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(format!("{dir}/check.py"))
            .envs(env)
            .output()
            .expect("python3 runs")
    })
    .await
    .unwrap();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("fhirclient:") && text.contains("fhir (npm):"),
        "{text}"
    );
}

/// POST `path` with a bearer token, a body and its content type (none when `None`).
async fn fhir_post(
    w: &World,
    token: &str,
    path: &str,
    content_type: Option<&str>,
    body: &str,
) -> (StatusCode, Value, Reply) {
    let mut b = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, "application/fhir+json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(t) = content_type {
        b = b.header(header::CONTENT_TYPE, t);
    }
    let r = send(&w.router, b.body(Body::from(body.to_string())).unwrap()).await;
    let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, v, r)
}

#[tokio::test]
async fn a_search_posted_as_a_form_finds_what_the_get_finds_and_other_bodies_are_415() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        fill_journal(&w).await;
        let token = w.fhir_token(Who::ClinicianA).await;
        let a = w.accounts[&Who::PatientA].clone();
        let by_get = fhir(
            &w,
            Some(&token),
            &format!("/fhir/Observation?patient={a}&_count=3"),
            "application/fhir+json",
        )
        .await;
        assert_eq!(by_get.0, StatusCode::OK, "{label}: {}", by_get.2.body);
        let form = "application/x-www-form-urlencoded; charset=utf-8";
        let by_post = fhir_post(
            &w,
            &token,
            "/fhir/Observation/_search?_count=3",
            Some(form),
            &format!("patient={a}"),
        )
        .await;
        assert_eq!(by_post.0, StatusCode::OK, "{label}: {}", by_post.2.body);
        valid(&by_post.1, &schema());
        let urls = |v: &Value| -> Vec<String> {
            v["entry"]
                .as_array()
                .map(|e| e.iter().map(|x| x["fullUrl"].to_string()).collect())
                .unwrap_or_default()
        };
        assert!(
            !urls(&by_get.1).is_empty(),
            "{label}: the journal has observations"
        );
        assert_eq!(urls(&by_get.1), urls(&by_post.1), "{label}");
        assert_eq!(by_get.1["total"], by_post.1["total"]);
        // A body in another format is 415 with an OperationOutcome; so is a body with no type.
        let json = fhir_post(
            &w,
            &token,
            "/fhir/Observation/_search",
            Some("application/fhir+json"),
            "{\"patient\": \"x\"}",
        )
        .await;
        outcome(&json, 415, "not-supported");
        assert!(json.2.body.contains("application/x-www-form-urlencoded"));
        let untyped = fhir_post(&w, &token, "/fhir/Observation/_search", None, "patient=x").await;
        outcome(&untyped, 415, "not-supported");
        // A search parameter the server does not know is refused in a posted body too.
        let bad = fhir_post(
            &w,
            &token,
            "/fhir/Observation/_search",
            Some(form),
            "colour=blue",
        )
        .await;
        outcome(&bad, 400, "invalid");
    }
}
