//! Faults on the real PostgreSQL server (skipped when `UNKNOT_TEST_POSTGRES_URL` is unset): a
//! connection cut with `pg_terminate_backend` in the middle of a multi-row write leaves nothing
//! of that write, the failure is reported as "retry", and the pool carries on with a new
//! connection.

use std::time::{Duration, Instant};

use sqlx::Connection as _;
use sqlx::Row as _;
use unknot_store::{EntryRange, Store};

use crate::support::{entry, postgres};

/// Ends, from another connection, the first backend of `database` that is inside a transaction
/// which has written something; returns how many it ended.
async fn cut_a_writer(admin: &mut sqlx::AnyConnection, database: &str) -> i64 {
    sqlx::query(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
    )
    .bind(database)
    .fetch_one(admin)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

#[tokio::test]
async fn a_connection_cut_mid_transaction_leaves_nothing_half_written() {
    let Some(db) = postgres().await else {
        eprintln!("skipped: UNKNOT_TEST_POSTGRES_URL is not set");
        return;
    };
    let store = Store::open_with(&db.url, 2).await.unwrap();
    let database = db.url.rsplit('/').next().unwrap().to_string();
    let mut admin = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    // Many rows, each its own statement in one transaction: long enough to be caught midway.
    let entries: Vec<_> = (0..20_000)
        .map(|i| {
            let at = "2025-01-01T00:00:00+00:00[UTC]";
            let mut e = entry(&format!("cut-{i:05}"), at, i % 11);
            e.at =
                e.at.checked_add(jiff::SignedDuration::from_mins(i))
                    .unwrap();
            e
        })
        .collect();
    let writer = {
        let store = store.clone();
        tokio::spawn(async move { store.insert_entries(&entries).await })
    };
    let started = Instant::now();
    let mut cut = 0;
    while cut == 0 && !writer.is_finished() && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        cut = cut_a_writer(&mut admin, &database).await;
    }
    let outcome = writer.await.unwrap();
    assert_eq!(
        cut, 1,
        "the write finished before it could be cut: make it longer"
    );
    let err = outcome.expect_err("a write whose connection was cut cannot have succeeded");
    assert!(
        err.is_retryable(),
        "a cut connection is answered as retry: {err}"
    );
    // Nothing of it is stored, seen from outside and through the same pool, which has
    // replaced the dead connection by itself.
    let outside: i64 = sqlx::query("SELECT COUNT(*) FROM entries")
        .fetch_one(&mut admin)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(outside, 0);
    assert_eq!(store.count_entries().await.unwrap(), 0);
    // And the pool works again for the next write.
    let one = entry("after-the-cut", "2025-02-01T09:00:00+00:00[UTC]", 3);
    store.insert_entry(&one).await.unwrap();
    assert_eq!(
        store
            .list_entries(EntryRange::default())
            .await
            .unwrap()
            .len(),
        1
    );
    store.close().await;
}
