//! Test databases: a temporary SQLite file, or a fresh PostgreSQL database per test.

use sqlx::migrate::MigrateDatabase;
use unknot_core::journal::{Entry, EntryId};
use unknot_core::score::Score;
use unknot_store::Store;

/// A database made for one test and removed after it.
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    _dir: Option<tempfile::TempDir>,
    drop_pg: bool,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.drop_pg {
            let url = self.url.clone();
            // Drop runs outside any runtime; give the clean-up one of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    let _ = rt.block_on(sqlx::Any::force_drop_database(&url));
                }
            })
            .join();
        }
    }
}

/// The engines to test on: always SQLite, and PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("unknot.db");
    let mut out = vec![TestDb {
        url: unknot_store::sqlite_url_for(&path),
        label: "sqlite",
        _dir: Some(dir),
        drop_pg: false,
    }];
    if let Some(pg) = postgres().await {
        out.push(pg);
    }
    out
}

/// A fresh PostgreSQL database, or `None` when `UNKNOT_TEST_POSTGRES_URL` is unset.
pub async fn postgres() -> Option<TestDb> {
    let base = std::env::var("UNKNOT_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())?;
    sqlx::any::install_default_drivers();
    let name = format!("unknot_test_{}", uuid_simple());
    let (server, _) = base
        .rsplit_once('/')
        .expect("UNKNOT_TEST_POSTGRES_URL ends in /DATABASE");
    let url = format!("{server}/{name}");
    sqlx::Any::create_database(&url).await.unwrap_or_else(|e| {
        panic!("UNKNOT_TEST_POSTGRES_URL is set but cannot create a database: {e}")
    });
    Some(TestDb {
        url,
        label: "postgres",
        _dir: None,
        drop_pg: true,
    })
}

fn uuid_simple() -> String {
    unknot_store::new_id().replace('-', "")
}

/// The store over `db` with every table, the clinic's too: most tests here reach both.
pub async fn open(db: &TestDb) -> Store {
    Store::open_clinic(&db.url, 1)
        .await
        .unwrap_or_else(|e| panic!("{}: open failed: {e}", db.label))
}

pub fn entry(id: &str, at: &str, pain: i64) -> Entry {
    let mut e = Entry::new(EntryId::new(id).unwrap(), at.parse().unwrap());
    e.pain = Some(Score::new(pain, "pain").unwrap());
    e
}

/// A guided session on 2 March 2026 with one exercise (bird dog) done in full for two minutes.
pub fn session(id: &str) -> unknot_core::adapt::SessionRecord {
    use unknot_core::adapt::{ItemOutcome, ItemStatus, SessionRecord};
    SessionRecord {
        id: id.into(),
        at: "2026-03-02T18:00:00+01:00[Europe/Paris]".parse().unwrap(),
        items: vec![ItemOutcome {
            exercise: "bird-dog".into(),
            status: ItemStatus::Done,
            seconds: 120,
        }],
        pain_before: None,
        pain_after: None,
        warning_signs: Vec::new(),
    }
}
