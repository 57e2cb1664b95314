//! A sandbox per test: a temp data folder, and the database URL of the engine under test.

use std::path::PathBuf;
use std::process::Output;

use sqlx::migrate::MigrateDatabase;
use std::process::Command;

/// One place for a test's data, on one engine.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
    pub label: &'static str,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(url) = self.url.clone() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    let _ = rt.block_on(sqlx::Any::force_drop_database(&url));
                }
            })
            .join();
        }
    }
}

impl Sandbox {
    pub fn sqlite() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            url: None,
            label: "sqlite",
        }
    }

    /// A fresh PostgreSQL database, when the environment names a server.
    pub fn postgres() -> Option<Sandbox> {
        let base = std::env::var("UNKNOT_TEST_POSTGRES_URL")
            .ok()
            .filter(|s| !s.is_empty())?;
        let (server, _) = base.rsplit_once('/')?;
        let url = format!("{server}/unknot_cli_{}", uuid_simple());
        let create = url.clone();
        std::thread::spawn(move || {
            sqlx::any::install_default_drivers();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(sqlx::Any::create_database(&create))
        })
        .join()
        .expect("thread")
        .unwrap_or_else(|e| {
            panic!("UNKNOT_TEST_POSTGRES_URL is set but cannot create a database: {e}")
        });
        Some(Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            url: Some(url),
            label: "postgres",
        })
    }

    /// SQLite always, and PostgreSQL when configured.
    pub fn all() -> Vec<Sandbox> {
        let mut out = vec![Sandbox::sqlite()];
        out.extend(Sandbox::postgres());
        out
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_unknot"));
        cmd.env_clear()
            .env("UNKNOT_DATA_DIR", self.dir.path())
            .env("TZ", "Europe/Paris")
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        if let Some(url) = &self.url {
            cmd.env("UNKNOT_DATABASE_URL", url);
        }
        cmd
    }

    /// Runs unknot with `args` and returns its output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run unknot")
    }

    /// Runs unknot, expects success, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: unknot {:?} failed: {}",
            self.label,
            args,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Runs unknot and parses stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    pub fn db_file(&self) -> PathBuf {
        self.dir.path().join("unknot.db")
    }

    /// A digest of every file in the data folder, to prove a command refused before opening
    /// the database touched nothing at all.
    pub fn file_digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(self.dir.path())
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        (
                            e.file_name().to_string_lossy().to_string(),
                            std::fs::read(e.path()).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        files.hash(&mut h);
        h.finish()
    }

    /// The journal's whole content, as the backup renders it.
    pub fn content(&self) -> String {
        self.ok(&["export", "--format", "json"])
    }
}

fn uuid_simple() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{nanos}", std::process::id())
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}
