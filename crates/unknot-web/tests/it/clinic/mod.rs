//! The clinic server in process, on each engine: a world of two clinics with every role, the
//! access matrix generated from the router's own table, and the session rules.

mod fhir;
mod matrix;
mod outage;
mod patient;
mod sessions;
mod work;

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use jiff::{SignedDuration, Timestamp};
use tower::ServiceExt as _;
use unknot_app::clinic::{ClinicApp, ClinicConfig, Origin, Principal};
use unknot_app::{App, Clock};
use unknot_core::clinic::access::Role;
use unknot_core::clinic::model::AuthSession;
use unknot_core::score::Score;
use unknot_web::{AppState, Options};

#[path = "../../../../unknot-store/tests/it/support.rs"]
#[allow(dead_code)]
pub mod db;

/// A password every test account uses (long, and not a common one).
pub const GOOD: &str = "plum kettle orbit lantern";
/// The host every request is addressed to.
pub const HOST: &str = "clinic.example.org";
/// When the world's clock stands.
pub const NOW: &str = "2026-06-01T09:00:00Z";

/// Everyone the matrix asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// Nobody signed in.
    Anonymous,
    /// A patient of clinic 1, under the clinician below.
    PatientA,
    /// Another patient of clinic 1, under the owner.
    PatientB,
    /// Patient A's clinician, in clinic 1.
    ClinicianA,
    /// A clinician of clinic 2.
    ClinicianOther,
    /// An assistant of clinic 1.
    Assistant,
    /// Clinic 1's owner.
    Owner,
}

/// Every role, in the order the matrix walks them.
pub const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::PatientA,
    Who::PatientB,
    Who::ClinicianA,
    Who::ClinicianOther,
    Who::Assistant,
    Who::Owner,
];

/// Two clinics with every role, patient A's journal holding one entry.
pub struct World {
    /// Keeps the database until the test ends.
    pub _db: db::TestDb,
    /// The clinic's operations, as the server has them.
    pub clinic: ClinicApp,
    /// The whole server.
    pub router: Router,
    /// The server's clock, standing still until a test moves it.
    pub clock: Clock,
    /// Clinic 1 (patients A and B, the clinician, the assistant, the owner).
    pub c1: String,
    /// Clinic 2 (the other clinician).
    pub c2: String,
    /// Each signed-in role's account id.
    pub accounts: HashMap<Who, String>,
    /// An entry in patient A's journal.
    pub entry: String,
    /// Patient A's other things a form can name.
    pub a_things: Things,
}

/// Ids of patient A's own session, API token and care link.
pub struct Things {
    /// A session's id (its hash, as the account page lists it).
    pub session: String,
    /// An API token's id.
    pub token: String,
    /// The care link with clinic 1.
    pub care: String,
    /// A clinic-wide programme template of clinic 1, made by patient A's clinician.
    pub template: String,
    /// Patient A's programme, prescribed by their clinician.
    pub programme: String,
}

/// A server answer, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// Where a redirect goes.
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn from(address: &str) -> Origin {
    Origin {
        address: address.into(),
        agent: "test".into(),
    }
}

/// The token at the end of an invitation link.
pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

async fn signed_up(c: &ClinicApp, link: &str, login: &str) -> Principal {
    let s = c
        .accept_with_password(&token_of(link), login, GOOD, &from("10.0.0.9"))
        .await
        .unwrap();
    c.from_session(&s.token, "10.0.0.9").await.unwrap().unwrap()
}

/// Starts a session for `account` straight in the store, as a finished sign-in leaves one
/// (with the second factor passed when `second_factor`): the cookie value and the form token.
pub async fn mint(c: &ClinicApp, account: &str, second_factor: bool) -> (String, String) {
    let token = unknot_app::clinic::secrets::random_token(32).unwrap();
    let csrf = unknot_app::clinic::secrets::random_token(24).unwrap();
    let now: Timestamp = NOW.parse().unwrap();
    c.app()
        .store()
        .insert_session(&AuthSession {
            id_hash: unknot_core::clinic::secrets::token_hash(&token),
            account_id: account.to_string(),
            created: now,
            last_seen: now,
            expires: now + SignedDuration::from_hours(12),
            second_factor,
            csrf: csrf.clone(),
            address: "10.0.0.9".into(),
            agent: "test".into(),
        })
        .await
        .unwrap();
    (token, csrf)
}

/// The clinic server over `url`, its clock standing at [`NOW`] (tests move it).
pub async fn server(url: &str) -> (ClinicApp, Router, Clock) {
    server_at(url, &format!("https://{HOST}/")).await
}

/// [`server`], reached at `public_url`.
pub async fn server_at(url: &str, public_url: &str) -> (ClinicApp, Router, Clock) {
    let store = unknot_store::Store::open_clinic(url, 4).await.unwrap();
    let clock = Clock::fixed(NOW.parse().unwrap());
    let app = App::new(
        store,
        vec![unknot_core::catalogue::builtin()],
        clock.clone(),
    );
    let config = ClinicConfig::new(public_url.parse().unwrap());
    let clinic = ClinicApp::new(app, config).await.unwrap();
    let state = AppState::for_clinic(
        clinic.clone(),
        Options {
            speed: 1.0,
            allowed_hosts: vec![HOST.into()],
            database_file: None,
        },
    )
    .await
    .unwrap();
    (clinic, unknot_web::router(state), clock)
}

/// A programme of one library exercise, every day from 1 June 2026.
pub fn sample_programme() -> unknot_core::clinic::programme::Body {
    let catalogue = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let cat_camel = catalogue.exercise("cat-camel").unwrap();
    unknot_core::clinic::programme::Body {
        name: "Mornings".into(),
        items: vec![unknot_core::clinic::programme::Prescribed::from_library(
            cat_camel,
        )],
        schedule: unknot_core::clinic::programme::Schedule::daily(jiff::civil::date(2026, 6, 1)),
        note: String::new(),
    }
}

/// A programme of the library's first three exercises with no caution, each at a dosage of
/// its own and with instructions, every day from the world's first day.
pub fn programme_body() -> unknot_core::clinic::programme::Body {
    use unknot_core::clinic::programme::{Body, Prescribed, Schedule};
    let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let items = cat
        .exercises()
        .filter(|e| e.cautions.is_empty() && e.dosage.reps.is_some())
        .take(3)
        .enumerate()
        .map(|(i, e)| Prescribed {
            exercise: e.id.clone(),
            sets: 2 + u8::try_from(i).unwrap(),
            reps: Some(6 + 2 * u16::try_from(i).unwrap()),
            hold_seconds: (i == 1).then_some(5),
            per_side: false,
            rest_seconds: 20,
            instructions: format!("Instruction {} from Casey: keep it easy.", i + 1),
        })
        .collect();
    Body {
        name: "Low back, week 1".into(),
        items,
        schedule: Schedule::daily(jiff::civil::date(2026, 6, 1)),
        note: "Little and often beats a lot at once.".into(),
    }
}

/// The name part of the id of clinic 1's own exercise in the world (a bridge, written by
/// patient A's clinician); the id is `exercise_ids::exercise_id(clinic 1, this, "")`.
pub const CLINIC_EXERCISE: &str = "clinic-bridge";

/// Clinic 1's own exercise: the library's glute bridge under the clinic's id and name.
async fn clinic_exercise(c: &ClinicApp, clinician: &Principal, clinic: &str) {
    let library = unknot_core::catalogue::Catalogue::builtin().unwrap();
    let mut e = library.exercise("glute-bridge").unwrap().clone();
    e.id = CLINIC_EXERCISE.into();
    e.name = "Bridge, our way".into();
    e.easier.clear();
    e.harder.clear();
    let from = unknot_app::clinic::Origin {
        address: "10.0.0.9".into(),
        agent: "test".into(),
    };
    c.save_clinic_exercise(clinician, clinic, e, true, &from)
        .await
        .unwrap();
}

/// Patient A's programme from their clinician, and a clinic-wide template: their ids.
async fn programme_and_template(
    c: &ClinicApp,
    clinician: &Principal,
    clinic: &str,
    a: &Principal,
) -> (String, String) {
    let programme = match c
        .prescribe(
            clinician,
            clinic,
            &a.account.id,
            programme_body(),
            None,
            true,
        )
        .await
        .unwrap()
    {
        unknot_app::clinic::Prescribed::Saved { programme, .. } => programme.id,
        unknot_app::clinic::Prescribed::Clashes(c) => panic!("{c:?}"),
    };
    let template = c
        .save_template(clinician, clinic, None, sample_programme(), false)
        .await
        .unwrap()
        .programme
        .id;
    (programme, template)
}

/// Builds the world on `db`.
pub async fn world(db: db::TestDb) -> World {
    world_at(db, &format!("https://{HOST}/")).await
}

/// [`world`], its server reached at `public_url`.
pub async fn world_at(db: db::TestDb, public_url: &str) -> World {
    let (c, router, clock) = server_at(&db.url, public_url).await;
    let (one, invited) = c
        .init_clinic("Back Room Physio", "owner@example.org", "Olive Owner")
        .await
        .unwrap();
    let owner = signed_up(&c, &invited.link, "").await;
    let (two, invited) = c
        .init_clinic("Harbour Physio", "harbour@example.org", "Hana Harbour")
        .await
        .unwrap();
    let owner2 = signed_up(&c, &invited.link, "").await;
    let staff = |by: Principal, clinic: String, email: &'static str, role: Role| {
        let c = c.clone();
        async move {
            let inv = c
                .invite_staff(&by, &clinic, email, "Casey Staff", role)
                .await
                .unwrap();
            signed_up(&c, &inv.link, "").await
        }
    };
    let clinician = staff(
        owner.clone(),
        one.id.clone(),
        "casey@example.org",
        Role::Clinician,
    )
    .await;
    let assistant = staff(
        owner.clone(),
        one.id.clone(),
        "ash@example.org",
        Role::Assistant,
    )
    .await;
    let other = staff(owner2, two.id.clone(), "olly@example.org", Role::Clinician).await;
    let inv = c
        .invite_patient(&clinician, &one.id, "Alex Patient", Some(1980), None)
        .await
        .unwrap();
    let a = signed_up(&c, &inv.link, "alex").await;
    let inv = c
        .invite_patient(&owner, &one.id, "Robin Patient", Some(1975), None)
        .await
        .unwrap();
    let b = signed_up(&c, &inv.link, "robin").await;
    // Patient A follows a programme their clinician prescribed (nobody else has one).
    let (programme, template) = programme_and_template(&c, &clinician, &one.id, &a).await;
    clinic_exercise(&c, &clinician, &one.id).await;
    let journal = c.own_app(&a);
    let mut e = journal.new_entry().await.unwrap();
    e.pain = Some(Score::new(6, "pain").unwrap());
    let e = journal.log(e).await.unwrap();
    let (_, token) = c.create_token(&a, "script", true).await.unwrap();
    let care = c.my_care(&a).await.unwrap().remove(0).id;
    let a_things = Things {
        programme,
        template,
        session: a.session.as_ref().unwrap().id_hash.clone(),
        token: token.id,
        care,
    };
    let accounts = [
        (Who::PatientA, a.account.id),
        (Who::PatientB, b.account.id),
        (Who::ClinicianA, clinician.account.id),
        (Who::ClinicianOther, other.account.id),
        (Who::Assistant, assistant.account.id),
        (Who::Owner, owner.account.id),
    ]
    .into_iter()
    .collect();
    World {
        _db: db,
        clinic: c,
        router,
        clock,
        c1: one.id,
        c2: two.id,
        accounts,
        entry: e.id.to_string(),
        a_things,
    }
}

impl World {
    /// A fresh session for `who` (none for anonymous): cookie value and form token.
    pub async fn session(&self, who: Who) -> Option<(String, String)> {
        let account = self.accounts.get(&who)?;
        Some(mint(&self.clinic, account, true).await)
    }

    /// Sends `method path` as a same-site browser would, signed in as `who` with a fresh
    /// session, with `form` (plus the session's form token) as the body of a write.
    pub async fn browser(
        &self,
        who: Who,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Reply {
        let session = self.session(who).await;
        send(&self.router, request(method, path, session.as_ref(), form)).await
    }
}

/// A same-site request with the session's cookie, and for a write its form token in the body
/// (a form) or the header (the JSON API).
pub fn request(
    method: &str,
    path: &str,
    session: Option<&(String, String)>,
    form: &[(&str, &str)],
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("https://{HOST}"))
        .header("sec-fetch-site", "same-origin");
    let csrf = session.map_or("", |s| s.1.as_str());
    if let Some((cookie, _)) = session {
        b = b.header(
            header::COOKIE,
            format!("{}={cookie}", unknot_web::access::SESSION_COOKIE),
        );
    }
    let write = !matches!(method, "GET" | "HEAD");
    if !write {
        return b.body(Body::empty()).unwrap();
    }
    if path.starts_with("/api/") {
        let body: serde_json::Map<String, serde_json::Value> = form
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        return b
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(serde_json::Value::Object(body).to_string()))
            .unwrap();
    }
    let mut pairs = vec![format!("csrf={csrf}")];
    pairs.extend(
        form.iter()
            .map(|(k, v)| format!("{}={}", crate::support::enc(k), crate::support::enc(v))),
    );
    b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(pairs.join("&")))
        .unwrap()
}

/// Sends a request through the whole server.
pub async fn send(router: &Router, req: Request<Body>) -> Reply {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}
