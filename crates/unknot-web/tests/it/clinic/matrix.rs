//! The authorization matrix: every route of the clinic server, as the router's own table lists
//! it, asked by every role, against the outcome this file expects. A route added without a row
//! here fails `the_route_table_and_the_expected_table_match`; a method a route does not list is
//! 405 for everyone.

use super::*;
use unknot_web::access::Rule;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Everyone, signed in or not.
    Public,
    /// Anyone signed in, for their own things.
    Own,
    /// Patient A's own entry, session, API token or care link: only patient A; anyone else is
    /// told it does not exist.
    OwnEntry,
    /// Patients only (staff cannot erase their own account while they hold a role).
    PatientOnly,
    /// An id nobody has (no passkeys exist in this world; the browser test adds one): not found
    /// for everyone signed in.
    NoSuchThing,
    /// Anyone signed in, managing their own sign-in.
    Account,
    /// Any member of staff of any clinic.
    AnyStaff,
    /// Staff of clinic 1, whatever their role.
    ClinicStaff,
    /// Clinic 1's owner only; its other staff are refused, everyone else told nothing.
    ClinicOwner,
    /// Patient A's record: the owner and patient A's clinician only.
    PatientRecord,
    /// Clinic 1's clinical staff (owner and clinicians); its assistant is refused.
    ClinicClinical,
    /// A FHIR resource of patient A's record: patient A, their clinician and the owner.
    FhirRecord,
    /// Patient A's clinician as a FHIR Practitioner (or their role): themselves, their
    /// clinic's owner, and patient A, whose care names them.
    FhirClinician,
    /// Clinic 1 as a FHIR Organization: its staff and its patients under confirmed care.
    FhirClinic,
    /// An AuditEvent of clinic 1 about patient A: the owner and patient A.
    FhirAudit,
    /// The programme a clinic prescribed to patient A (nobody else has one): patient A only;
    /// anyone else is told there is none.
    Prescription,
}

/// What a request got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Past the access rules (whatever the handler then said of the input).
    Pass,
    /// 401, or the sign-in page.
    SignIn,
    /// 404.
    Hidden,
    /// 403.
    Forbidden,
}

use Expect::*;

/// Every route, its method and who may use it: written by hand, checked against the router.
const EXPECTED: &[(&str, &str, Expect)] = &[
    ("GET", "/", Own),
    ("GET", "/journal", Own),
    ("POST", "/journal", Own),
    ("GET", "/journal/{id}/edit", OwnEntry),
    ("POST", "/journal/{id}", OwnEntry),
    ("POST", "/journal/{id}/delete", OwnEntry),
    ("GET", "/history", Own),
    ("GET", "/assess", Own),
    ("POST", "/assess", Own),
    ("GET", "/assess/result", Own),
    ("GET", "/checkin", Own),
    ("POST", "/checkin", Own),
    ("GET", "/plan", Own),
    ("POST", "/plan/review", Own),
    ("GET", "/session", Own),
    ("GET", "/therapy", Own),
    ("GET", "/library", Own),
    ("GET", "/library/{id}", Own),
    ("GET", "/learn", Own),
    ("GET", "/learn/{id}", Own),
    ("GET", "/search", Own),
    ("GET", "/settings", Own),
    ("POST", "/settings", Own),
    ("POST", "/settings/import", Own),
    ("GET", "/report", Own),
    ("GET", "/report/view", Own),
    ("GET", "/report.pdf", Own),
    ("GET", "/api/openapi.json", Public),
    ("GET", "/api/v1/entries", Own),
    ("POST", "/api/v1/entries", Own),
    ("GET", "/api/v1/entries/{id}", OwnEntry),
    ("PUT", "/api/v1/entries/{id}", OwnEntry),
    ("DELETE", "/api/v1/entries/{id}", OwnEntry),
    ("GET", "/api/v1/trends", Own),
    ("GET", "/api/v1/today", Own),
    ("POST", "/api/v1/assessments", Own),
    ("POST", "/api/v1/checkins", Own),
    ("GET", "/api/v1/plan", Own),
    ("POST", "/api/v1/plan/review", Own),
    ("GET", "/api/v1/session/steps", Own),
    ("POST", "/api/v1/sessions", Own),
    ("GET", "/api/v1/therapy/plan", Own),
    ("POST", "/api/v1/therapy", Own),
    ("GET", "/api/v1/exercises", Own),
    ("GET", "/api/v1/exercises/{id}", Own),
    ("GET", "/api/v1/articles", Own),
    ("GET", "/api/v1/articles/{id}", Own),
    ("GET", "/api/v1/search", Own),
    ("GET", "/api/v1/settings", Own),
    ("PUT", "/api/v1/settings", Own),
    ("GET", "/api/v1/export/backup.json", Own),
    ("GET", "/api/v1/export/entries.csv", Own),
    ("GET", "/api/v1/export/csv", Own),
    ("GET", "/api/v1/export/fhir.json", Own),
    ("GET", "/api/v1/export/calendar.ics", Own),
    ("GET", "/calendar.ics", Own),
    ("POST", "/api/v1/import", Own),
    ("GET", "/assets/{name}", Public),
    ("GET", "/sw.js", Public),
    ("GET", "/manifest.webmanifest", Public),
    ("GET", "/programme/handout", Prescription),
    ("GET", "/programme/handout.pdf", Prescription),
    ("GET", "/messages", Account),
    ("POST", "/messages", OwnEntry),
    ("GET", "/sign-in", Public),
    ("POST", "/sign-in", Public),
    ("POST", "/sign-in/code", Public),
    ("POST", "/sign-out", Account),
    ("POST", "/api/v1/auth/passkey/sign-in/begin", Public),
    ("POST", "/api/v1/auth/passkey/sign-in/finish", Public),
    ("POST", "/api/v1/auth/passkey/invite/begin", Public),
    ("POST", "/api/v1/auth/passkey/add/begin", Account),
    ("POST", "/api/v1/auth/passkey/register/finish", Public),
    ("GET", "/invite/{token}", Public),
    ("POST", "/invite/{token}", Public),
    ("POST", "/invite/{token}/join", Account),
    ("GET", "/account", Account),
    ("GET", "/account/second-factor", Account),
    ("POST", "/account/second-factor", Account),
    ("POST", "/account/password", Account),
    ("POST", "/account/sessions/end", OwnEntry),
    ("POST", "/account/tokens", Account),
    ("POST", "/account/tokens/revoke", OwnEntry),
    ("POST", "/account/passkeys/remove", NoSuchThing),
    ("POST", "/account/erase", PatientOnly),
    ("GET", "/clinic", AnyStaff),
    ("GET", "/clinic/{clinic}", ClinicStaff),
    ("POST", "/clinic/{clinic}/patients", ClinicStaff),
    ("GET", "/clinic/{clinic}/patients/{patient}", PatientRecord),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/link",
        ClinicStaff,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/preview",
        PatientRecord,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/export",
        PatientRecord,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/messages",
        PatientRecord,
    ),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/messages",
        PatientRecord,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/handout",
        PatientRecord,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/handout.pdf",
        PatientRecord,
    ),
    ("GET", "/clinic/{clinic}/staff", ClinicOwner),
    ("POST", "/clinic/{clinic}/staff", ClinicOwner),
    ("GET", "/clinic/{clinic}/audit", ClinicOwner),
    ("GET", "/clinic/{clinic}/dashboard", ClinicClinical),
    ("GET", "/clinic/{clinic}/exercises", ClinicClinical),
    ("POST", "/clinic/{clinic}/exercises", ClinicClinical),
    (
        "GET",
        "/clinic/{clinic}/exercises/{exercise}",
        ClinicClinical,
    ),
    (
        "POST",
        "/clinic/{clinic}/exercises/{exercise}",
        ClinicClinical,
    ),
    ("GET", "/clinic/{clinic}/templates", ClinicClinical),
    ("POST", "/clinic/{clinic}/templates", ClinicClinical),
    (
        "GET",
        "/clinic/{clinic}/templates/{template}",
        ClinicClinical,
    ),
    (
        "POST",
        "/clinic/{clinic}/templates/{template}",
        ClinicClinical,
    ),
    (
        "POST",
        "/clinic/{clinic}/templates/{template}/assign",
        ClinicClinical,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/care",
        PatientRecord,
    ),
    (
        "GET",
        "/clinic/{clinic}/patients/{patient}/programme",
        PatientRecord,
    ),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/programme",
        PatientRecord,
    ),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/programme/end",
        PatientRecord,
    ),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/questionnaires",
        PatientRecord,
    ),
    (
        "POST",
        "/clinic/{clinic}/patients/{patient}/answers/{answer}/error",
        PatientRecord,
    ),
    ("GET", "/fhir/metadata", Public),
    ("GET", "/fhir/Patient", Own),
    ("GET", "/fhir/Patient/{id}", FhirRecord),
    ("GET", "/fhir/Practitioner", Own),
    ("GET", "/fhir/Practitioner/{id}", FhirClinician),
    ("GET", "/fhir/PractitionerRole", Own),
    ("GET", "/fhir/PractitionerRole/{id}", FhirClinician),
    ("GET", "/fhir/Organization", Own),
    ("GET", "/fhir/Organization/{id}", FhirClinic),
    ("GET", "/fhir/Observation", Own),
    ("GET", "/fhir/Observation/{id}", FhirRecord),
    ("GET", "/fhir/QuestionnaireResponse", Own),
    ("GET", "/fhir/QuestionnaireResponse/{id}", FhirRecord),
    ("GET", "/fhir/CarePlan", Own),
    ("GET", "/fhir/CarePlan/{id}", FhirRecord),
    ("GET", "/fhir/ServiceRequest", Own),
    ("GET", "/fhir/ServiceRequest/{id}", FhirRecord),
    ("GET", "/fhir/Task", Own),
    ("GET", "/fhir/Task/{id}", FhirRecord),
    ("GET", "/fhir/AuditEvent", Own),
    ("GET", "/fhir/AuditEvent/{id}", FhirAudit),
    ("GET", "/fhir/Patient/_search", Own),
    ("POST", "/fhir/Patient/_search", Own),
    ("GET", "/fhir/Practitioner/_search", Own),
    ("POST", "/fhir/Practitioner/_search", Own),
    ("GET", "/fhir/PractitionerRole/_search", Own),
    ("POST", "/fhir/PractitionerRole/_search", Own),
    ("GET", "/fhir/Organization/_search", Own),
    ("POST", "/fhir/Organization/_search", Own),
    ("GET", "/fhir/Observation/_search", Own),
    ("POST", "/fhir/Observation/_search", Own),
    ("GET", "/fhir/QuestionnaireResponse/_search", Own),
    ("POST", "/fhir/QuestionnaireResponse/_search", Own),
    ("GET", "/fhir/CarePlan/_search", Own),
    ("POST", "/fhir/CarePlan/_search", Own),
    ("GET", "/fhir/ServiceRequest/_search", Own),
    ("POST", "/fhir/ServiceRequest/_search", Own),
    ("GET", "/fhir/Task/_search", Own),
    ("POST", "/fhir/Task/_search", Own),
    ("GET", "/fhir/AuditEvent/_search", Own),
    ("POST", "/fhir/AuditEvent/_search", Own),
    // Last: patient A ending their care changes what the clinician may see.
    ("POST", "/account/care/end", OwnEntry),
];

/// The outcome `who` must get on a route of kind `expect`.
fn expected(expect: Expect, who: Who) -> Outcome {
    use Outcome::*;
    let patient = matches!(who, Who::PatientA | Who::PatientB);
    match (expect, who) {
        (Public, _) => Pass,
        (_, Who::Anonymous) => SignIn,
        (Own | Account, _) => Pass,
        (OwnEntry | Prescription, Who::PatientA) => Pass,
        (OwnEntry | NoSuchThing | Prescription, _) => Hidden,
        (PatientOnly, _) if patient => Pass,
        (PatientOnly, _) => Forbidden,
        (FhirRecord | FhirClinician | FhirAudit, Who::PatientA) => Pass,
        (FhirClinic, Who::PatientA | Who::PatientB) => Pass,
        (_, _) if patient => Hidden,
        (AnyStaff, _) => Pass,
        (_, Who::ClinicianOther) => Hidden,
        (ClinicStaff, _) => Pass,
        (ClinicOwner, Who::Owner) => Pass,
        (ClinicOwner, _) => Forbidden,
        (PatientRecord | ClinicClinical, Who::Owner | Who::ClinicianA) => Pass,
        (PatientRecord, _) => Hidden,
        (ClinicClinical, _) => Forbidden,
        (FhirRecord | FhirClinician, Who::Owner | Who::ClinicianA) => Pass,
        (FhirClinic, _) => Pass,
        (FhirAudit, Who::Owner) => Pass,
        (FhirRecord | FhirClinician | FhirAudit, _) => Hidden,
    }
}

fn outcome(r: &Reply) -> Option<Outcome> {
    match r.status.as_u16() {
        // The access rules' own refusal; a 401 for wrong credentials is the handler's answer.
        401 if r.body.contains("sign in first") => Some(Outcome::SignIn),
        303 | 302 if r.location().starts_with("/sign-in?next=") => Some(Outcome::SignIn),
        303 | 302 if r.location().starts_with("/account/second-factor") => None,
        403 => Some(Outcome::Forbidden),
        404 => Some(Outcome::Hidden),
        s if s >= 500 => None,
        _ => Some(Outcome::Pass),
    }
}

/// The form a write sends: what the handler needs to get past parsing to the record itself
/// (so a refusal of someone else's record is the access rule, not a missing field), naming
/// patient A's own things where the route takes an id in its form.
fn form_for<'a>(w: &'a World, method: &str, path: &str) -> Vec<(&'static str, &'a str)> {
    match (method, path) {
        ("POST", "/journal/{id}") => vec![("when", "2026-06-01T08:00"), ("pain", "3")],
        ("PUT", "/api/v1/entries/{id}") => vec![("note", "stiff after the drive")],
        ("POST", "/account/sessions/end") => vec![("id", &w.a_things.session)],
        ("POST", "/account/tokens/revoke") => vec![("id", &w.a_things.token)],
        ("POST", "/account/care/end") => vec![("id", &w.a_things.care)],
        ("POST", "/messages") => vec![("care", &w.a_things.care), ("body", "A question")],
        ("POST", "/clinic/{clinic}/patients/{patient}/messages") => {
            vec![("body", "How is it going?")]
        }
        ("POST", "/account/passkeys/remove") => vec![("id", "no-such-passkey")],
        _ => Vec::new(),
    }
}

/// The path with its parameters filled: clinic 1, patient A, patient A's entry, a fresh
/// invitation, and real library ids.
async fn fill(w: &World, path: &str, entry: &str) -> String {
    if let Some(kind) = path
        .strip_prefix("/fhir/")
        .and_then(|p| p.strip_suffix("/{id}"))
    {
        return format!("/fhir/{kind}/{}", w.fhir_id(kind, entry).await);
    }
    let mut p = path
        .replace("{clinic}", &w.c1)
        .replace("{patient}", &w.accounts[&Who::PatientA])
        .replace("{name}", "app.css");
    if p.starts_with("/library/") || p.starts_with("/api/v1/exercises/") {
        p = p.replace("{id}", "cat-camel");
    } else if p.starts_with("/learn/") || p.starts_with("/api/v1/articles/") {
        p = p.replace("{id}", "acute-vs-chronic-back-pain");
    } else {
        p = p.replace("{id}", entry);
    }
    p = p.replace("{template}", &w.a_things.template);
    p = p.replace(
        "{exercise}",
        &unknot_core::clinic::exercise_ids::exercise_id(&w.c1, CLINIC_EXERCISE, ""),
    );
    if p.contains("{answer}") {
        p = p.replace("{answer}", &w.fresh_answer().await);
    }
    if p.contains("{token}") {
        p = p.replace("{token}", &w.fresh_invitation().await);
    }
    p
}

impl World {
    /// The id of one of patient A's (or clinic 1's) FHIR resources of type `kind`.
    async fn fhir_id(&self, kind: &str, entry: &str) -> String {
        use unknot_export::fhir;
        let a = &self.accounts[&Who::PatientA];
        let clinician = &self.accounts[&Who::ClinicianA];
        let journal = self.clinic.app().for_user(a);
        match kind {
            "Patient" => a.clone(),
            "Practitioner" => clinician.clone(),
            "PractitionerRole" => fhir::server::practitioner_role_id(&self.c1, clinician),
            "Organization" => self.c1.clone(),
            "CarePlan" => self.a_things.programme.clone(),
            "ServiceRequest" => fhir::programme::service_request_id(&self.a_things.programme, 0),
            "Task" => fhir::programme::task_id(&self.a_things.programme),
            "Observation" => {
                let e = journal.entry(entry).await.unwrap();
                let obs = fhir::pain_observations_of(&e, "Patient/x");
                serde_json::to_value(&obs[0]).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
            "QuestionnaireResponse" => {
                let answers = serde_json::from_value(serde_json::json!({
                    "pain_now": 5, "peg_pain": 6, "peg_enjoyment": 4, "peg_activity": 5,
                }))
                .unwrap();
                let answered = |all: Vec<unknot_core::intake::Assessment>| {
                    all.iter()
                        .find_map(|a| fhir::questionnaire_response_of(a, "Patient/x"))
                };
                let q = match answered(journal.assessments().await.unwrap()) {
                    Some(q) => q,
                    None => {
                        journal.assess(answers, true).await.unwrap();
                        answered(journal.assessments().await.unwrap()).unwrap()
                    }
                };
                serde_json::to_value(&q).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
            "AuditEvent" => {
                let log = self
                    .clinic
                    .app()
                    .store()
                    .audit_of_patient(a, 1000)
                    .await
                    .unwrap();
                let r = log
                    .iter()
                    .find(|r| r.event.clinic.as_deref() == Some(self.c1.as_str()))
                    .unwrap();
                format!("audit-{}", r.event.seq)
            }
            other => panic!("no id for FHIR type {other}"),
        }
    }

    /// A new, unused invitation link's token (clinic 1's owner invites someone).
    async fn fresh_invitation(&self) -> String {
        let owner = self.accounts[&Who::Owner].clone();
        let (token, _) = mint(&self.clinic, &owner, true).await;
        let who = self
            .clinic
            .from_session(&token, "10.0.0.9")
            .await
            .unwrap()
            .unwrap();
        let inv = self
            .clinic
            .invite_patient(&who, &self.c1, "Pat Pending", Some(1990), None)
            .await
            .unwrap();
        // The world's clock stands still, so clear the invitation rate limit each time.
        self.clinic
            .app()
            .store()
            .clear_hits(&format!("invite:account:{owner}"))
            .await
            .unwrap();
        token_of(&inv.link)
    }

    /// A new check-in answer of patient A's (each can be marked as an error once).
    async fn fresh_answer(&self) -> String {
        let journal = self.clinic.app().for_user(&self.accounts[&Who::PatientA]);
        let answers = unknot_core::intake::Answers::from_json(r#"{"pain_now": 4}"#).unwrap();
        journal
            .assess(answers, true)
            .await
            .unwrap()
            .assessment_id
            .unwrap()
    }

    /// Patient A's entry id, logging a new entry when a delete in the matrix removed it.
    async fn ensure_entry(&self, entry: &mut String) {
        let journal = self.clinic.app().for_user(&self.accounts[&Who::PatientA]);
        if journal.entry(entry).await.is_err() {
            let mut e = journal.new_entry().await.unwrap();
            e.pain = Some(Score::new(5, "pain").unwrap());
            *entry = journal.log(e).await.unwrap().id.to_string();
        }
    }
}

#[test]
fn the_route_table_and_the_expected_table_match() {
    let table: Vec<(String, String)> = unknot_web::access_table(true)
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let unlisted: Vec<_> = table.iter().filter(|r| !expected.contains(r)).collect();
    let gone: Vec<_> = expected.iter().filter(|r| !table.contains(r)).collect();
    assert!(
        unlisted.is_empty(),
        "routes with no expected row here: {unlisted:?}"
    );
    assert!(
        gone.is_empty(),
        "rows for routes the router no longer has: {gone:?}"
    );
    // The rule in the table agrees with the expectation's kind.
    for r in unknot_web::access_table(true) {
        let (_, _, e) = EXPECTED
            .iter()
            .find(|(m, p, _)| *m == r.method.as_str() && *p == r.path)
            .unwrap();
        let rule = match e {
            Public => Rule::Public,
            Own | OwnEntry | FhirRecord | FhirClinician | FhirClinic | FhirAudit | Prescription => {
                Rule::Own
            }
            Account | NoSuchThing | PatientOnly => Rule::Account,
            AnyStaff | ClinicStaff | ClinicOwner | PatientRecord | ClinicClinical => Rule::Staff,
        };
        if matches!(
            r.path,
            "/account/sessions/end" | "/account/tokens/revoke" | "/account/care/end" | "/messages"
        ) {
            // Account rows that name one of patient A's things.
            assert_eq!(r.rule, Rule::Account, "{} {}", r.method, r.path);
            continue;
        }
        assert_eq!(r.rule, rule, "{} {}", r.method, r.path);
    }
}

#[tokio::test]
async fn every_route_and_role_gets_the_expected_answer() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let mut entry = w.entry.clone();
        let mut wrong = Vec::new();
        for (method, path, expect) in EXPECTED {
            for who in EVERYONE {
                w.ensure_entry(&mut entry).await;
                let url = fill(&w, path, &entry).await;
                let r = w
                    .browser(who, method, &url, &form_for(&w, method, path))
                    .await;
                let want = expected(*expect, who);
                let got = outcome(&r);
                if got != Some(want) {
                    wrong.push(format!(
                        "{method} {path} as {who:?}: want {want:?}, got {} {} {}",
                        r.status,
                        r.location(),
                        r.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{label}: {} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

#[tokio::test]
async fn methods_a_route_does_not_list_are_405_for_everyone() {
    let db = db::databases().await.remove(0);
    let w = world(db).await;
    let table = unknot_web::access_table(true);
    let mut wrong = Vec::new();
    for (_, path, _) in EXPECTED {
        let url = fill(&w, path, &w.entry).await;
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if table
                .iter()
                .any(|r| r.path == *path && r.method.as_str() == method)
            {
                continue;
            }
            for who in [Who::Anonymous, Who::PatientA, Who::Owner] {
                let r = w.browser(who, method, &url, &[]).await;
                if r.status != StatusCode::METHOD_NOT_ALLOWED {
                    wrong.push(format!("{method} {path} as {who:?}: {}", r.status));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Who tries, the method, the path and the form.
type Attempt<'a> = (Who, &'a str, String, Vec<(&'a str, &'a str)>);

/// Attempts on one patient's journal entry by someone whose journal it is not.
fn entry_attempts(entry: &str) -> Vec<Attempt<'static>> {
    vec![
        // Another patient's entry, by id, through every door.
        (
            Who::PatientB,
            "GET",
            format!("/api/v1/entries/{entry}"),
            vec![],
        ),
        (
            Who::PatientB,
            "PUT",
            format!("/api/v1/entries/{entry}"),
            vec![("note", "mine now")],
        ),
        (
            Who::PatientB,
            "DELETE",
            format!("/api/v1/entries/{entry}"),
            vec![],
        ),
        (
            Who::PatientB,
            "GET",
            format!("/journal/{entry}/edit"),
            vec![],
        ),
        (
            Who::PatientB,
            "POST",
            format!("/journal/{entry}"),
            vec![("pain", "1")],
        ),
        (
            Who::PatientB,
            "POST",
            format!("/journal/{entry}/delete"),
            vec![],
        ),
        // Staff reading it as their own journal get their own (empty) journal's answer.
        (
            Who::Owner,
            "GET",
            format!("/api/v1/entries/{entry}"),
            vec![],
        ),
    ]
}

/// Patients the asker has no care relationship with: in another clinic, under another
/// clinician, seen by the assistant, or made up.
fn patient_attempts(w: &World, a: &str, b: &str) -> Vec<Attempt<'static>> {
    vec![
        // Another clinic's patient, through a clinic the asker does work in.
        (
            Who::ClinicianOther,
            "GET",
            format!("/clinic/{}/patients/{a}", w.c2),
            vec![],
        ),
        (
            Who::ClinicianOther,
            "GET",
            format!("/clinic/{}/patients/{a}/export", w.c2),
            vec![],
        ),
        (
            Who::ClinicianOther,
            "GET",
            format!("/clinic/{}/patients/{a}", w.c1),
            vec![],
        ),
        (
            Who::Owner,
            "GET",
            format!("/clinic/{}/patients/{a}", w.c2),
            vec![],
        ),
        (Who::Owner, "GET", format!("/clinic/{}", w.c2), vec![]),
        // A patient of the same clinic under another clinician, and the assistant.
        (
            Who::ClinicianA,
            "GET",
            format!("/clinic/{}/patients/{b}", w.c1),
            vec![],
        ),
        (
            Who::ClinicianA,
            "GET",
            format!("/clinic/{}/patients/{b}/preview", w.c1),
            vec![],
        ),
        (
            Who::Assistant,
            "GET",
            format!("/clinic/{}/patients/{a}", w.c1),
            vec![],
        ),
        (
            Who::Assistant,
            "GET",
            format!("/clinic/{}/patients/{a}/export", w.c1),
            vec![],
        ),
        // A made-up patient id.
        (
            Who::Owner,
            "GET",
            format!("/clinic/{}/patients/no-such-person", w.c1),
            vec![],
        ),
    ]
}

#[tokio::test]
async fn idor_attempts_get_404() {
    for db in db::databases().await {
        let w = world(db).await;
        let a = w.accounts[&Who::PatientA].clone();
        let b = w.accounts[&Who::PatientB].clone();
        let entry = w.entry.clone();
        let mut tries = entry_attempts(&entry);
        tries.extend(patient_attempts(&w, &a, &b));
        for (who, method, path, form) in tries {
            let r = w.browser(who, method, &path, &form).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who:?} {method} {path}");
        }
        // Nothing was changed or removed by the attempts.
        let journal = w.clinic.app().for_user(&a);
        let kept = journal.entry(&entry).await.unwrap();
        assert_eq!(kept.pain.map(|p| p.get()), Some(6));
        assert_eq!(kept.note, None);
    }
}
