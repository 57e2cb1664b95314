//! Opening a store: choosing the engine from the URL, connecting, setting SQLite up for
//! durability, and running the migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::error::StoreError;
use crate::schema::{self, Schema};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite, the default.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A handle on the database for one user. Cheap to clone: clones share the pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) engine: Engine,
    pub(crate) user: String,
    /// Whether the clinic's tables are there: a journal's own reads skip them when not.
    pub(crate) clinic_tables: bool,
}

/// How long a first connection to a database server may take before opening gives up and
/// names the server and the cause.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a PostgreSQL connection may sit idle before it is checked with a ping on its next
/// use (a busy connection is not).
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// How long a request waits for a PostgreSQL connection before it is answered "unavailable":
/// long enough for a busy pool to free one, short enough to fail fast while the database
/// server is down (measured with `scripts/fault-pg-restart.py`, docs/PERFORMANCE.md).
pub const POSTGRES_WAIT: Duration = Duration::from_secs(2);

/// One direct connection before the pool is built, so a wrong address, a refused connection or
/// a bad password is reported at once with its cause, not after the pool's wait as "timed out".
async fn probe(options: &AnyConnectOptions, url: &str) -> Result<(), StoreError> {
    use sqlx::ConnectOptions;
    let shown = redact_url(url);
    match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
        Ok(Ok(conn)) => {
            let _ = sqlx::Connection::close(conn).await;
            Ok(())
        }
        Ok(Err(source)) => Err(StoreError::Open { url: shown, source }),
        Err(_) => Err(StoreError::Open {
            url: shown,
            source: sqlx::Error::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            )),
        }),
    }
}

/// Why a SQLite journal would not open: a direct connection and a quick check tell a damaged
/// file ("file is not a database", "malformed") from other failures, so the person is told
/// their file is damaged, not that a pool timed out.
async fn diagnose_sqlite(
    options: &AnyConnectOptions,
    url: &str,
    failed: sqlx::Error,
) -> StoreError {
    use sqlx::{ConnectOptions, Connection};
    let path = url
        .strip_prefix("sqlite://")
        .map_or(url, |p| p.split('?').next().unwrap_or(p))
        .to_string();
    let damaged = |reason: String| StoreError::Damaged {
        path: path.clone(),
        reason,
    };
    if let Some(full) = no_room_beside(&path) {
        return full;
    }
    let looks_damaged = |m: &str| {
        let m = m.to_ascii_lowercase();
        m.contains("not a database") || m.contains("malformed") || m.contains("corrupt")
    };
    match options.connect().await {
        Ok(mut conn) => {
            let check: Result<(String,), _> = sqlx::query_as("PRAGMA quick_check(1)")
                .fetch_one(&mut conn)
                .await;
            let _ = conn.close().await;
            match check {
                Ok((verdict,)) if verdict != "ok" => damaged(verdict),
                Err(e) if looks_damaged(&e.to_string()) => damaged(e.to_string()),
                _ => StoreError::Open {
                    url: redact_url(url),
                    source: failed,
                },
            }
        }
        Err(e) if looks_damaged(&e.to_string()) => damaged(e.to_string()),
        Err(_) => StoreError::Open {
            url: redact_url(url),
            source: failed,
        },
    }
}

/// Whether the folder of a journal file has room for SQLite to open it: in WAL mode opening
/// makes a 32 KiB index file beside the journal, and on a full disk that fails deep in the
/// driver, which then only says its pool timed out. A probe of that size, written and removed
/// at once, tells the person the real cause.
fn no_room_beside(path: &str) -> Option<StoreError> {
    let dir = Path::new(path).parent()?;
    let probe = dir.join(".unknot-space-probe");
    let outcome = std::fs::write(&probe, [0u8; 64 * 1024]);
    let _ = std::fs::remove_file(&probe);
    match outcome {
        Err(e) if e.kind() == std::io::ErrorKind::StorageFull => Some(StoreError::DiskFull {
            reason: format!("{e}, in {}", dir.display()),
        }),
        _ => None,
    }
}

/// The `sqlite://` URL for a database file.
pub fn sqlite_url_for(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    ///
    /// `sqlite://PATH` creates the file and its folder; `postgres://…` expects the database to
    /// exist. SQLite runs in WAL mode with full syncs (a committed entry survives a crash or a
    /// power cut), foreign keys on and a busy timeout, so a second process waits its turn.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, 1).await
    }

    /// Like [`Store::open`], with up to `connections` pooled connections: the web server reads
    /// from several at once (SQLite's WAL lets readers run beside the one writer).
    pub async fn open_with(url: &str, connections: u32) -> Result<Store, StoreError> {
        Store::open_schema(url, connections, Schema::Journal).await
    }

    /// Like [`Store::open_with`], for a clinic: the clinic's tables are made too.
    pub async fn open_clinic(url: &str, connections: u32) -> Result<Store, StoreError> {
        Store::open_schema(url, connections, Schema::Clinic).await
    }

    /// Opens the database and brings it up to `schema`.
    async fn open_schema(url: &str, connections: u32, schema: Schema) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let connections = connections.max(1);
        let (engine, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            (Engine::Sqlite, prepare_sqlite(path)?)
        } else if url.starts_with("sqlite:") {
            (Engine::Sqlite, url.to_string())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_string())
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        let open_err = |source| StoreError::Open {
            url: redact_url(&url),
            source,
        };
        let options = AnyConnectOptions::from_str(&url).map_err(open_err)?;
        if engine == Engine::Postgres {
            probe(&options, &url).await?;
        }
        let pool_options = match engine {
            // One connection is all a command needs, and SQLite has one writer anyway; the web
            // server raises this for readers.
            //
            // Every statement is a round trip to sqlx's SQLite worker thread, and on a busy
            // machine each trip can wait for a core, which a one-shot command like `unknot log`
            // feels: the settings go as one batch (in this order: the timeout before the WAL
            // switch, which may need a lock), and the pool does not ping an embedded connection
            // before every use (it cannot have gone away like a server's).
            Engine::Sqlite => AnyPoolOptions::new()
                .max_connections(connections)
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                             PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            // The server's queries are short: PostgreSQL's JIT compiler, which starts above a
            // cost estimate rather than a run time, spent 60 ms compiling a 20 ms caseload
            // query (docs/PERFORMANCE.md, "The clinic at size").
            //
            // sqlx pings a server connection before every use by default: a second round trip
            // for each query, a fifth of the server's time on Today under load. Only a
            // connection that sat idle (where a restarted or cut server is found) is pinged
            // now; a busy one that has gone fails its query as unavailable (503, and the
            // breaker), and the pool drops it.
            Engine::Postgres => AnyPoolOptions::new()
                .max_connections(connections.max(4))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for >= PING_AFTER_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("SET jit = off").await?;
                        Ok(())
                    })
                }),
        };
        // A command's single connection never waits for another user of the pool, so a long
        // wait there only delays the message when the file cannot be opened at all; the
        // server's pool waits longer for a free connection under load. On PostgreSQL the wait
        // is also how long a request hangs while the server is down or restarting (the pool
        // keeps trying to connect until then): short, so the request is answered "unavailable,
        // retry" (503 with Retry-After) at once, rather than holding the client.
        let wait = match engine {
            Engine::Sqlite if connections == 1 => Duration::from_secs(3),
            Engine::Sqlite => Duration::from_secs(15),
            Engine::Postgres => POSTGRES_WAIT,
        };
        let pool = match pool_options
            .acquire_timeout(wait)
            .connect_with(options.clone())
            .await
        {
            Ok(pool) => pool,
            Err(e) if engine == Engine::Sqlite => {
                return Err(diagnose_sqlite(&options, &url, e).await);
            }
            Err(e) => return Err(open_err(e)),
        };
        let clinic_tables = schema::bring_up_to_date(&pool, schema).await?;
        Ok(Store {
            pool,
            engine,
            user: crate::LOCAL_USER.to_string(),
            clinic_tables,
        })
    }

    /// The same database, scoped to another user: every read and write goes to `user`'s rows.
    /// Cheap (the connection pool is shared).
    pub fn for_user(&self, user: impl Into<String>) -> Store {
        Store {
            pool: self.pool.clone(),
            engine: self.engine,
            user: user.into(),
            clinic_tables: self.clinic_tables,
        }
    }

    /// Whether the database has the clinic's tables: a journal's own (`Store::open`) has not,
    /// unless it was once opened as a clinic's.
    pub fn has_clinic_tables(&self) -> bool {
        self.clinic_tables
    }

    /// The user this store reads and writes for.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Starts a write transaction that takes the write lock at once (SQLite's `BEGIN
    /// IMMEDIATE`), so two writers queue for the lock instead of one failing with "database is
    /// locked" when it tries to upgrade a read.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    /// Which engine this store runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// One trivial query: whether the database answers now (a connection made or reused).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish (SQLite then checkpoints its WAL).
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Runs SQLite's own consistency check and returns its verdict (`"ok"` when sound); on
    /// PostgreSQL, which has no such command, a trivial query stands in.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        use sqlx::Row;
        match self.engine {
            Engine::Sqlite => {
                let row = sqlx::query("PRAGMA integrity_check")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(row.try_get::<String, _>(0)?)
            }
            Engine::Postgres => {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok("ok".to_string())
            }
        }
    }

    /// SQLite's journal mode (`"wal"` once opened by us); `None` on PostgreSQL.
    pub async fn journal_mode(&self) -> Result<Option<String>, StoreError> {
        use sqlx::Row;
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let row = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(row.try_get::<String, _>(0)?))
    }

    /// Whether SQLite enforces foreign keys on this connection; `None` on PostgreSQL, which
    /// always does.
    pub async fn foreign_keys_enforced(&self) -> Result<Option<bool>, StoreError> {
        use sqlx::Row;
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let row = sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(row.try_get::<i64, _>(0)? == 1))
    }

    /// The names of the tables the migrations created, sorted: lets tests check that both
    /// engines end up with the same schema.
    pub async fn table_names(&self) -> Result<Vec<String>, StoreError> {
        use sqlx::Row;
        let sql = match self.engine {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name"
            }
            Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' ORDER BY table_name"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>(0)?))
            .collect()
    }
}

/// Makes the folder for a SQLite file and asks the driver to create the file if missing.
fn prepare_sqlite(path: &str) -> Result<String, StoreError> {
    let (file, query) = match path.split_once('?') {
        Some((f, q)) => (f, Some(q)),
        None => (path, None),
    };
    if let Some(parent) = Path::new(file).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
            url: format!("sqlite://{path}"),
            source: sqlx::Error::Io(e),
        })?;
    }
    Ok(match query {
        Some(q) if q.contains("mode=") => format!("sqlite://{file}?{q}"),
        Some(q) => format!("sqlite://{file}?{q}&mode=rwc"),
        None => format!("sqlite://{file}?mode=rwc"),
    })
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;

    /// The settings sent as one batch all take effect on the pooled connection.
    #[tokio::test]
    async fn sqlite_settings_apply_from_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&sqlite_url_for(&dir.path().join("j.db")))
            .await
            .unwrap();
        for (pragma, expected) in [
            ("PRAGMA foreign_keys", "1"),
            ("PRAGMA busy_timeout", "30000"),
            ("PRAGMA journal_mode", "wal"),
            ("PRAGMA synchronous", "2"),
        ] {
            let row = sqlx::query(pragma).fetch_one(&store.pool).await.unwrap();
            let value = row
                .try_get::<String, _>(0)
                .or_else(|_| row.try_get::<i64, _>(0).map(|v| v.to_string()))
                .unwrap();
            assert_eq!(value, expected, "{pragma}");
        }
        store.close().await;
    }

    #[test]
    fn hides_passwords() {
        assert_eq!(
            redact_url("postgres://me:secret@db/x"),
            "postgres://me:***@db/x"
        );
        assert_eq!(redact_url("postgres://me@db/x"), "postgres://me@db/x");
        assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }
}
