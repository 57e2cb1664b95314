//! The journal change counter: every write to what a clinic server may keep of a person
//! (entries, sessions, settings, assessments and the marks on them) moves it, in the write's
//! own transaction, so a server that kept the records sees on its next read that they are out
//! of date. A write that is refused leaves it where it was.

use unknot_core::backup::Extras;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::journal::EntryId;
use unknot_core::settings::Settings;
use unknot_store::Store;

use crate::support::{databases, entry, open, session};

/// The counter as stored (0 before the first counted write).
async fn version(url: &str, user: &str) -> i64 {
    use sqlx::{Connection, Row};
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let r = sqlx::query("SELECT version FROM journal_changes WHERE user_id = $1")
        .bind(user)
        .fetch_optional(&mut c)
        .await
        .unwrap();
    r.map_or(0, |r| r.try_get(0).unwrap())
}

fn check_in(id: &str) -> Assessment {
    Assessment {
        id: id.into(),
        kind: AssessmentKind::Checkin,
        at: "2026-03-03T09:00:00+01:00[Europe/Paris]".parse().unwrap(),
        answers: Answers::from_json(r#"{"pain_now": 3}"#).unwrap(),
    }
}

/// Runs every kind of write once and checks that each moved the counter.
async fn each_write_moves_it(store: &Store, url: &str, label: &str) {
    let user = store.user().to_string();
    let mut last = version(url, &user).await;
    let mut moved = |now: i64, what: &str| {
        assert!(now > last, "{label}: {what} did not move the counter");
        last = now;
    };
    let at = "2026-03-01T09:00:00+01:00[Europe/Paris]";
    store.insert_entry(&entry("e-1", at, 3)).await.unwrap();
    moved(version(url, &user).await, "insert_entry");
    store
        .insert_entry_if_absent(&entry("e-2", at, 4))
        .await
        .unwrap();
    moved(version(url, &user).await, "insert_entry_if_absent");
    store.update_entry(&entry("e-2", at, 5)).await.unwrap();
    moved(version(url, &user).await, "update_entry");
    store
        .delete_entry(&EntryId::new("e-2").unwrap())
        .await
        .unwrap();
    moved(version(url, &user).await, "delete_entry");
    store.insert_entries(&[entry("e-3", at, 2)]).await.unwrap();
    moved(version(url, &user).await, "insert_entries");
    store
        .import_backup(&[entry("e-4", at, 2)], &Extras::default())
        .await
        .unwrap();
    moved(version(url, &user).await, "import_backup");
    store.save_session(&session("s-1")).await.unwrap();
    moved(version(url, &user).await, "save_session");
    store
        .save_session_with_entry(&session("s-2"), None)
        .await
        .unwrap();
    moved(version(url, &user).await, "save_session_with_entry");
    store
        .save_session_with_entry_if_absent(&session("s-3"), None)
        .await
        .unwrap();
    moved(
        version(url, &user).await,
        "save_session_with_entry_if_absent",
    );
    store.save_settings(&Settings::default()).await.unwrap();
    moved(version(url, &user).await, "save_settings");
    store.save_assessment(&check_in("a-1")).await.unwrap();
    moved(version(url, &user).await, "save_assessment");
    store
        .insert_assessment_if_absent(&check_in("a-2"))
        .await
        .unwrap();
    moved(version(url, &user).await, "insert_assessment_if_absent");
    assert!(
        store
            .mark_assessment_error(&user, "a-2", &user, jiff::Timestamp::now())
            .await
            .unwrap()
    );
    moved(version(url, &user).await, "mark_assessment_error");
}

/// A clinic patient's store: a user of their own, as the clinic makes for each account.
async fn patient(db_url: &str, local: &Store) -> Store {
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(db_url).await.unwrap();
    sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES ('pat', NULL, 0)")
        .execute(&mut c)
        .await
        .unwrap();
    local.for_user("pat")
}

#[tokio::test]
async fn every_write_to_what_a_server_keeps_moves_the_counter() {
    for db in databases().await {
        let local = open(&db).await;
        let store = patient(&db.url, &local).await;
        each_write_moves_it(&store, &db.url, db.label).await;
        // Refused writes leave it alone: nothing changed.
        let before = version(&db.url, store.user()).await;
        assert!(
            store
                .delete_entry(&EntryId::new("gone").unwrap())
                .await
                .is_err()
        );
        assert!(
            store
                .update_entry(&entry("gone", "2026-03-01T09:00:00+01:00[Europe/Paris]", 1))
                .await
                .is_err()
        );
        assert_eq!(version(&db.url, store.user()).await, before, "{}", db.label);
        // The local journal's one person has no clinic keeping their records: their writes
        // skip the counter (and the transaction round a single statement).
        local
            .insert_entry(&entry("l-1", "2026-03-01T09:00:00+01:00[Europe/Paris]", 2))
            .await
            .unwrap();
        local.save_settings(&Settings::default()).await.unwrap();
        assert_eq!(version(&db.url, local.user()).await, 0, "{}", db.label);
        assert_eq!(local.count_entries().await.unwrap(), 1);
    }
}
