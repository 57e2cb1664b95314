//! The clinic's operations end to end on each engine: a clinic set up, staff and patients
//! invited, sign-in with a second factor, the access rules on a patient's record, the audit
//! log and its chain, rate limits, timeouts, moving clinics and erasing an account.

use jiff::{SignedDuration, Timestamp};
use unknot_app::clinic::{ClinicApp, ClinicConfig, Login, Origin, Principal};
use unknot_app::{App, AppError, Clock};
use unknot_core::clinic::access::{Action, Care, Decision, Role};

#[path = "../../../unknot-store/tests/it/support.rs"]
#[allow(dead_code)]
pub(crate) mod support;

const GOOD: &str = "plum kettle orbit lantern";

pub(crate) fn from(address: &str) -> Origin {
    Origin {
        address: address.into(),
        agent: "test".into(),
    }
}

pub(crate) fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

pub(crate) async fn clinic_app(url: &str, clock: &Clock) -> ClinicApp {
    let store = unknot_store::Store::open_clinic(url, 1).await.unwrap();
    let app = App::new(
        store,
        vec![unknot_core::catalogue::builtin()],
        clock.clone(),
    );
    let config = ClinicConfig::new("http://localhost:8080/".parse().unwrap());
    ClinicApp::new(app, config).await.unwrap()
}

fn signed(login: Login) -> unknot_app::clinic::SignedIn {
    match login {
        Login::Done(s) => s,
        Login::SecondFactor { .. } => panic!("expected a session"),
    }
}

pub(crate) async fn principal(c: &ClinicApp, token: &str) -> Principal {
    c.from_session(token, "10.0.0.1")
        .await
        .unwrap()
        .expect("live session")
}

fn totp_now(secret: &str, at: Timestamp) -> String {
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .unwrap();
    let t = totp_rs::Builder::new().with_secret(key).build().unwrap();
    t.generate(u64::try_from(at.as_second()).unwrap())
        .to_string()
}

pub(crate) struct World {
    pub(crate) c: ClinicApp,
    pub(crate) clock: Clock,
    pub(crate) owner: Principal,
    pub(crate) clinic: String,
    /// The owner's recovery codes, as shown once at set-up.
    recovery: Vec<String>,
}

/// A clinic whose owner has signed up and set a second factor.
pub(crate) async fn world(url: &str) -> World {
    let clock = Clock::fixed("2026-06-01T09:00:00Z".parse().unwrap());
    let c = clinic_app(url, &clock).await;
    let (clinic, invited) = c
        .init_clinic("Back Room Physio", "owner@example.org", "Olive Owner")
        .await
        .unwrap();
    let token = token_of(&invited.link);
    let weak = c
        .accept_with_password(&token, "", "password1234", &from("10.0.0.1"))
        .await;
    assert!(
        matches!(weak, Err(AppError::Input(_))),
        "a common password is refused"
    );
    let s = c
        .accept_with_password(&token, "", GOOD, &from("10.0.0.1"))
        .await
        .unwrap();
    let owner = principal(&c, &s.token).await;
    assert_eq!(owner.role_in(&clinic.id), Some(Role::Owner));
    let setup = c.totp_begin(&owner).await.unwrap();
    // Shown again (a reload), the secret is the same one the person may have scanned.
    assert_eq!(c.totp_begin(&owner).await.unwrap().secret, setup.secret);
    assert!(setup.url.starts_with("otpauth://totp/"));
    assert!(setup.qr_svg.contains("<svg"));
    let code = totp_now(&setup.secret, clock.now());
    let recovery = c.totp_confirm(&owner, &code).await.unwrap();
    assert_eq!(recovery.len(), 8);
    let mut distinct = recovery.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 8);
    let owner = principal(&c, &s.token).await;
    assert!(owner.session.as_ref().unwrap().second_factor);
    World {
        c,
        clock,
        owner,
        clinic: clinic.id,
        recovery,
    }
}

pub(crate) async fn join_staff(w: &World, email: &str, role: Role) -> Principal {
    let inv =
        w.c.invite_staff(&w.owner, &w.clinic, email, "Casey Staff", role)
            .await
            .unwrap();
    let s =
        w.c.accept_with_password(&token_of(&inv.link), "", GOOD, &from("10.0.0.2"))
            .await
            .unwrap();
    principal(&w.c, &s.token).await
}

pub(crate) async fn join_patient(w: &World, by: &Principal, name: &str, login: &str) -> Principal {
    let inv =
        w.c.invite_patient(by, &w.clinic, name, Some(1980), None)
            .await
            .unwrap();
    let s =
        w.c.accept_with_password(&token_of(&inv.link), login, GOOD, &from("10.0.0.3"))
            .await
            .unwrap();
    principal(&w.c, &s.token).await
}

pub(crate) fn not_found<T>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::Denied(Decision::NotFound)))
}

#[tokio::test]
async fn access_rules_hold_and_every_look_is_logged() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let clinician = join_staff(&w, "casey@example.org", Role::Clinician).await;
        let assistant = join_staff(&w, "ash@example.org", Role::Assistant).await;
        // The clinician invites a patient; before the patient confirms, nothing is visible.
        let inv =
            w.c.invite_patient(&clinician, &w.clinic, "Pat Able", Some(1984), None)
                .await
                .unwrap();
        let read = |who: &Principal, id: &str| {
            let (c, clinic, who, id) = (w.c.clone(), w.clinic.clone(), who.clone(), id.to_string());
            async move {
                c.patient(&who, &clinic, &id, Action::ReadPatient, "summary")
                    .await
                    .map(|v| v.row.name)
            }
        };
        assert!(
            not_found(read(&clinician, &inv.account_id).await),
            "{}",
            db.label
        );
        let s =
            w.c.accept_with_password(&token_of(&inv.link), "pat", GOOD, &from("10.0.0.3"))
                .await
                .unwrap();
        let pat = principal(&w.c, &s.token).await;
        assert_eq!(read(&clinician, &pat.account.id).await.unwrap(), "Pat Able");
        assert_eq!(read(&w.owner, &pat.account.id).await.unwrap(), "Pat Able");
        assert!(not_found(read(&assistant, &pat.account.id).await));
        // The assistant sees the name in the list, the clinician their own patients.
        let listed = w.c.patients(&assistant, &w.clinic).await.unwrap();
        assert_eq!(listed.len(), 1);
        // Another patient, under the owner: the clinician sees neither record nor row.
        let other = join_patient(&w, &w.owner, "Robin Other", "robin").await;
        assert!(not_found(read(&clinician, &other.account.id).await));
        assert_eq!(w.c.patients(&clinician, &w.clinic).await.unwrap().len(), 1);
        // A patient is not staff; a patient cannot read another.
        assert!(not_found(w.c.patients(&pat, &w.clinic).await));
        assert!(not_found(read(&pat, &other.account.id).await));
        // The patient sees who looked.
        let log = w.c.access_log(&pat, 50).await.unwrap();
        assert!(
            log.iter()
                .any(|l| l.who == "Casey Staff" && l.action == "read"),
            "{log:?}"
        );
        // Ending care ends access.
        let mine = w.c.my_care(&pat).await.unwrap();
        assert_eq!(mine[0].status, Care::Confirmed);
        assert!(
            not_found(w.c.end_care(&other, &mine[0].id).await),
            "not another's care"
        );
        w.c.end_care(&pat, &mine[0].id).await.unwrap();
        assert!(not_found(read(&clinician, &pat.account.id).await));
        // The chain holds, and breaks when a row is altered.
        let (n, _) = w.c.verify_audit().await.unwrap().unwrap();
        assert!(n > 10, "{n}");
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE audit_log SET address = '10.9.9.9' WHERE seq = 3")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let broken = w.c.verify_audit().await.unwrap().unwrap_err();
        assert_eq!(broken.seq, 3, "{}", db.label);
        let _ = &w.clock;
    }
}

#[tokio::test]
async fn looks_at_the_same_moment_through_two_servers_are_each_logged_once() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let pat = join_patient(&w, &w.owner, "Pat Able", "pat").await;
        // A second server over the same database, with its own queue of audit events.
        let other = clinic_app(&db.url, &w.clock).await;
        let (before, _) = w.c.verify_audit().await.unwrap().unwrap();
        let mut reads = tokio::task::JoinSet::new();
        for i in 0..40 {
            let c = if i % 2 == 0 {
                w.c.clone()
            } else {
                other.clone()
            };
            let (owner, clinic, id) = (w.owner.clone(), w.clinic.clone(), pat.account.id.clone());
            reads.spawn(async move {
                c.patient(
                    &owner,
                    &clinic,
                    &id,
                    Action::ReadPatient,
                    &format!("look {i}"),
                )
                .await
                .map(|_| ())
            });
        }
        while let Some(done) = reads.join_next().await {
            done.unwrap().unwrap();
        }
        let (after, _) = w.c.verify_audit().await.unwrap().unwrap();
        assert_eq!(after, before + 40, "{}", db.label);
        let records = w.c.audit_records().await.unwrap();
        for i in 0..40 {
            let target = format!("look {i}");
            let n = records.iter().filter(|r| r.event.target == target).count();
            assert_eq!(n, 1, "{}: {target}", db.label);
        }
    }
}

#[tokio::test]
async fn sign_in_needs_the_second_factor_once_set_and_codes_work_once() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let pending = match w
            .c
            .login("OWNER@example.org ", GOOD, &from("10.0.0.5"))
            .await
            .unwrap()
        {
            Login::SecondFactor { pending } => pending,
            Login::Done(_) => panic!("the owner has a second factor"),
        };
        let wrong =
            w.c.login_second_factor(&pending, "000000", &from("10.0.0.5"))
                .await;
        assert!(matches!(wrong, Err(AppError::Credentials(_))));
        // The half-done sign-in is used up by a wrong code: start again.
        let again =
            w.c.login_second_factor(&pending, "000000", &from("10.0.0.5"))
                .await;
        assert!(matches!(again, Err(AppError::Expired(_))), "{}", db.label);
        // A code used at set-up cannot be used again in the same step.
        w.clock.set(w.clock.now() + SignedDuration::from_secs(10));
        let Login::SecondFactor { pending } =
            w.c.login("owner@example.org", GOOD, &from("10.0.0.5"))
                .await
                .unwrap()
        else {
            panic!()
        };
        let secret =
            w.c.app()
                .store()
                .account(&w.owner.account.id)
                .await
                .unwrap()
                .unwrap();
        let code = totp_now(secret.totp_secret.as_deref().unwrap(), w.clock.now());
        let replay =
            w.c.login_second_factor(&pending, &code, &from("10.0.0.5"))
                .await;
        assert!(
            matches!(replay, Err(AppError::Credentials(_))),
            "replayed code"
        );
        w.clock.set(w.clock.now() + SignedDuration::from_secs(60));
        let Login::SecondFactor { pending } =
            w.c.login("owner@example.org", GOOD, &from("10.0.0.5"))
                .await
                .unwrap()
        else {
            panic!()
        };
        let code = totp_now(secret.totp_secret.as_deref().unwrap(), w.clock.now());
        let s =
            w.c.login_second_factor(&pending, &code, &from("10.0.0.5"))
                .await
                .unwrap();
        assert!(s.session.second_factor);
        // Unknown account and wrong password answer alike.
        let a =
            w.c.login("nobody@example.org", GOOD, &from("10.0.0.6"))
                .await;
        let b =
            w.c.login("owner@example.org", "wrong wrong wrong", &from("10.0.0.6"))
                .await;
        assert_eq!(format!("{:?}", a.err()), format!("{:?}", b.err()));
    }
}

#[tokio::test]
async fn brute_force_is_slowed_and_sessions_end() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let pat = join_patient(&w, &w.owner, "Pat Able", "pat").await;
        let mut limited = None;
        for i in 0..12 {
            let r =
                w.c.login("pat", "not the password", &from("10.0.0.9"))
                    .await;
            if let Err(AppError::RateLimited(s)) = r {
                limited = Some((i, s));
                break;
            }
        }
        let (i, wait) = limited.expect("rate limited");
        assert_eq!(i, 10, "ten attempts a minute, then refused");
        assert!((1..=60).contains(&wait), "{wait}");
        // Another address is limited by the account's own count too.
        let r = w.c.login("pat", GOOD, &from("10.0.0.10")).await;
        assert!(matches!(r, Err(AppError::RateLimited(_))), "{}", db.label);
        // After the window, the right password works.
        w.clock.set(w.clock.now() + SignedDuration::from_secs(61));
        let s = signed(w.c.login("pat", GOOD, &from("10.0.0.10")).await.unwrap());
        // Idle for 31 minutes: the session is over.
        w.clock.set(w.clock.now() + SignedDuration::from_mins(31));
        assert!(w.c.from_session(&s.token, "x").await.unwrap().is_none());
        // A password change ends every session but the new one.
        let s1 = signed(w.c.login("pat", GOOD, &from("10.0.0.10")).await.unwrap());
        let s2 = signed(w.c.login("pat", GOOD, &from("10.0.0.11")).await.unwrap());
        let me = principal(&w.c, &s1.token).await;
        let fresh =
            w.c.change_password(&me, GOOD, "quiet harbour violin seventy")
                .await
                .unwrap();
        assert!(w.c.from_session(&s1.token, "x").await.unwrap().is_none());
        assert!(w.c.from_session(&s2.token, "x").await.unwrap().is_none());
        assert!(w.c.from_session(&fresh.token, "x").await.unwrap().is_some());
        // Twelve hours after sign-in, even a busy session ends.
        for _ in 0..26 {
            w.clock.set(w.clock.now() + SignedDuration::from_mins(29));
            let _ = w.c.from_session(&fresh.token, "x").await.unwrap();
        }
        assert!(w.c.from_session(&fresh.token, "x").await.unwrap().is_none());
        let _ = pat;
    }
}

#[tokio::test]
async fn links_work_once_expire_and_can_be_reissued() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let first =
            w.c.invite_patient(&w.owner, &w.clinic, "Pat Able", None, None)
                .await
                .unwrap();
        assert_eq!(token_of(&first.link).len(), 43, "256 bits, base64url");
        let second =
            w.c.reissue_invite(&w.owner, &w.clinic, &first.account_id)
                .await
                .unwrap();
        let old =
            w.c.invitation(&token_of(&first.link), &from("1.1.1.1"))
                .await;
        assert!(
            matches!(old, Err(AppError::Expired(_))),
            "the old link is retired"
        );
        let view =
            w.c.invitation(&token_of(&second.link), &from("1.1.1.1"))
                .await
                .unwrap();
        assert_eq!(view.clinic, "Back Room Physio");
        assert_eq!(view.inviter, "Olive Owner");
        w.clock
            .set(w.clock.now() + SignedDuration::from_hours(24 * 7 + 1));
        let late =
            w.c.accept_with_password(&token_of(&second.link), "pat", GOOD, &from("1.1.1.1"))
                .await;
        assert!(matches!(late, Err(AppError::Expired(_))), "{}", db.label);
        let third =
            w.c.reissue_invite(&w.owner, &w.clinic, &first.account_id)
                .await
                .unwrap();
        w.c.accept_with_password(&token_of(&third.link), "pat", GOOD, &from("1.1.1.1"))
            .await
            .unwrap();
        let twice =
            w.c.accept_with_password(&token_of(&third.link), "pat2", GOOD, &from("1.1.1.1"))
                .await;
        assert!(matches!(twice, Err(AppError::Expired(_))));
    }
}

#[tokio::test]
async fn a_patient_moves_clinics_and_erases_their_account() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let pat = join_patient(&w, &w.owner, "Pat Able", "pat").await;
        pat_logs(&w.c, &pat).await;
        // A second clinic invites the same person; signed in, they accept and keep one journal.
        let (other, owner_link) =
            w.c.init_clinic("Second Clinic", "second@example.org", "Sam Second")
                .await
                .unwrap();
        let s =
            w.c.accept_with_password(&token_of(&owner_link.link), "", GOOD, &from("1.1.1.2"))
                .await
                .unwrap();
        let second_owner = principal(&w.c, &s.token).await;
        let inv =
            w.c.invite_patient(&second_owner, &other.id, "Pat Able", None, None)
                .await
                .unwrap();
        w.c.accept_signed_in(&pat, &token_of(&inv.link))
            .await
            .unwrap();
        let seen =
            w.c.patient(
                &second_owner,
                &other.id,
                &pat.account.id,
                Action::ReadPatient,
                "journal",
            )
            .await
            .unwrap();
        assert_eq!(seen.app.entry_count().await.unwrap(), 1, "{}", db.label);
        // Erasing needs the sign-in name typed; then the journal is gone and the clinics keep
        // only the bare relationship until their retention ends.
        assert!(w.c.erase_me(&pat, "someone").await.is_err());
        w.c.erase_me(&pat, "pat").await.unwrap();
        assert!(
            w.c.app()
                .store()
                .account(&pat.account.id)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            w.c.app()
                .for_user(&pat.account.id)
                .entry_count()
                .await
                .unwrap(),
            0
        );
        assert!(w.c.patients(&w.owner, &w.clinic).await.unwrap().is_empty());
        assert_eq!(
            w.c.purge_retained().await.unwrap(),
            0,
            "kept for the retention period"
        );
        w.clock
            .set(w.clock.now() + SignedDuration::from_hours(24 * (8 * 365 + 3)));
        assert_eq!(w.c.purge_retained().await.unwrap(), 2, "one per clinic");
        assert!(w.c.verify_audit().await.unwrap().is_ok());
    }
}

async fn pat_logs(c: &ClinicApp, pat: &Principal) {
    let app = c.own_app(pat);
    let mut e = app.new_entry().await.unwrap();
    e.pain = Some(unknot_core::score::Score::new(4, "pain").unwrap());
    app.log(e).await.unwrap();
}

/// Signs the owner in with a password and then `code`.
async fn second_step(w: &World, code: &str) -> Result<unknot_app::clinic::SignedIn, AppError> {
    let Login::SecondFactor { pending } =
        w.c.login("owner@example.org", GOOD, &from("10.0.0.7"))
            .await
            .unwrap()
    else {
        panic!("the owner has a second factor")
    };
    w.c.login_second_factor(&pending, code, &from("10.0.0.7"))
        .await
}

#[tokio::test]
async fn every_recovery_code_works_once_as_shown_or_retyped() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        for (i, code) in w.recovery.iter().enumerate() {
            // A minute apart, so the sign-in rate limit stays out of the way.
            w.clock.set(w.clock.now() + SignedDuration::from_secs(61));
            assert!(
                code.chars()
                    .all(|c| c == '-' || c.is_ascii_lowercase() || ('2'..='7').contains(&c)),
                "{code}"
            );
            // Typed in capitals without the hyphens, or with spaces, it still counts.
            let typed = if i % 2 == 0 {
                code.replace('-', "").to_uppercase()
            } else {
                code.replace('-', " ")
            };
            let s = second_step(&w, &typed).await;
            assert!(s.is_ok(), "{}: code {i} {code}: {:?}", db.label, s.err());
            let again = second_step(&w, code).await;
            assert!(
                matches!(again, Err(AppError::Credentials(_))),
                "code {i} twice"
            );
        }
    }
}

#[tokio::test]
async fn a_new_link_cannot_take_over_an_account_that_is_set_up() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let assistant = join_staff(&w, "ash@example.org", Role::Assistant).await;
        let pat = join_patient(&w, &w.owner, "Pat Able", "pat").await;
        // Anyone on the staff may send a patient a new link (say, to join from a new phone)...
        let link =
            w.c.reissue_invite(&assistant, &w.clinic, &pat.account.id)
                .await
                .unwrap();
        let token = token_of(&link.link);
        // ...but it cannot set a new password or passkey on an account that has one.
        let password =
            w.c.accept_with_password(&token, "", "crimson ladder quiet otter", &from("6.6.6.6"))
                .await;
        assert!(
            matches!(password, Err(AppError::Credentials(_))),
            "{password:?}"
        );
        let passkey = w.c.invite_passkey_begin(&token, "", &from("6.6.6.6")).await;
        assert!(matches!(passkey, Err(AppError::Credentials(_))));
        assert!(
            w.c.invitation(&token, &from("6.6.6.6"))
                .await
                .unwrap()
                .existing
        );
        // The patient's own password still works; the new one was never set.
        assert!(w.c.login("pat", GOOD, &from("10.0.0.8")).await.is_ok());
        assert!(
            w.c.login("pat", "crimson ladder quiet otter", &from("10.0.0.8"))
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn a_working_second_factor_is_never_replaced_or_switched_off() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let again = w.c.totp_begin(&w.owner).await;
        assert!(matches!(again, Err(AppError::Denied(Decision::Forbidden))));
        let wrong = w.c.totp_confirm(&w.owner, "000000").await;
        assert!(wrong.is_err());
        let account =
            w.c.app()
                .store()
                .account(&w.owner.account.id)
                .await
                .unwrap()
                .unwrap();
        assert!(account.totp_enabled, "still on after a wrong code");
        // No API token before the second factor: a fresh password-only session is refused.
        let staff = join_staff(&w, "casey@example.org", Role::Clinician).await;
        assert!(staff.second_factor_pending());
        let made = w.c.create_token(&staff, "script", true).await;
        assert!(matches!(made, Err(AppError::Denied(Decision::Forbidden))));
    }
}

#[tokio::test]
async fn guesses_at_the_code_are_counted_per_account_from_any_address() {
    let w = world(&support::databases().await.remove(0).url).await;
    let mut limited = false;
    for i in 0..25 {
        // Each try from a new address, after a correct password: only the account's own count
        // can stop this.
        let address = format!("198.51.100.{i}");
        let Login::SecondFactor { pending } =
            w.c.login("owner@example.org", GOOD, &from(&address))
                .await
                .unwrap()
        else {
            panic!("the owner has a second factor")
        };
        match w
            .c
            .login_second_factor(&pending, "000000", &from(&address))
            .await
        {
            Err(AppError::RateLimited(wait)) => {
                assert!(i >= 20, "limited too early, at try {i}");
                assert!(wait > 60, "the wait is counted in the hour: {wait}");
                limited = true;
                break;
            }
            Err(AppError::Credentials(_)) => {}
            other => panic!("try {i}: {other:?}"),
        }
    }
    assert!(limited, "25 guesses in an hour were all allowed");
}

#[tokio::test]
async fn a_token_signs_in_as_its_account_with_its_roles_and_settings() {
    for db in support::databases().await {
        let w = world(&db.url).await;
        let (token, made) = w.c.create_token(&w.owner, "script", false).await.unwrap();
        // One statement reads the token, the account, its roles and its settings; what it
        // gives is what the session's separate reads gave.
        let by_token = w.c.from_token(&token, "10.0.0.2").await.unwrap().unwrap();
        assert_eq!(by_token.account.id, w.owner.account.id);
        assert_eq!(by_token.account.display_name, w.owner.account.display_name);
        assert_eq!(by_token.roles.len(), 1);
        assert_eq!(by_token.roles[0].clinic_id, w.clinic);
        assert_eq!(by_token.roles[0].role, w.owner.roles[0].role);
        assert_eq!(by_token.scopes, Some(vec!["read".to_string()]));
        assert!(by_token.session.is_none());
        // The settings read with the token are the ones saved, and the request's use cases
        // get them without reading them again.
        let app = w.c.app().for_user(&w.owner.account.id);
        let saved = unknot_core::settings::Settings {
            name: Some("Ana".into()),
            ..Default::default()
        };
        app.save_settings(&saved).await.unwrap();
        // Settings saved by another request after this one signed in are not what this one
        // sees: it kept those read with its token (or session). The next request sees them.
        let later = unknot_core::settings::Settings {
            name: Some("Bea".into()),
            ..Default::default()
        };
        let seen = unknot_app::one_request(async {
            assert!(w.c.from_token(&token, "10.0.0.2").await.unwrap().is_some());
            save_elsewhere(&app, &later).await;
            app.settings().await.unwrap()
        })
        .await;
        assert_eq!(seen, saved, "kept from the token's statement");
        let session = second_step(&w, &w.recovery[0]).await.unwrap();
        let seen = unknot_app::one_request(async {
            let by_session = w.c.from_session(&session.token, "10.0.0.2").await.unwrap();
            assert_eq!(by_session.unwrap().roles.len(), 1);
            save_elsewhere(&app, &saved).await;
            app.settings().await.unwrap()
        })
        .await;
        assert_eq!(seen, later, "kept from the session's statement");
        assert_eq!(app.settings().await.unwrap(), saved);
        // A revoked token, and one never made, sign nobody in.
        w.c.revoke_token(&w.owner, &made.id).await.unwrap();
        assert!(w.c.from_token(&token, "10.0.0.2").await.unwrap().is_none());
        assert!(
            w.c.from_token("no-such-token", "10.0.0.2")
                .await
                .unwrap()
                .is_none()
        );
    }
}

/// Saves `settings` for `app`'s person from another task, outside the running request's scope,
/// as another request would.
async fn save_elsewhere(app: &App, settings: &unknot_core::settings::Settings) {
    let (app, settings) = (app.clone(), settings.clone());
    tokio::spawn(async move { app.save_settings(&settings).await.unwrap() })
        .await
        .unwrap();
}
