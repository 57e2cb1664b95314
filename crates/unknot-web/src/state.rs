//! What every handler shares: the application (one person's journal and coach), the library's
//! search index, the CSRF token, and a small cache of the pages that are read far more often
//! than the journal changes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jiff::Zoned;
use unknot_app::App;
use unknot_core::catalogue::Catalogue;
use unknot_search::KnowledgeBase;

use crate::cache::CachedBody;

/// How the app was started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Multiply session timers by this (tests and demos run sessions fast); 1.0 for real time.
    pub speed: f64,
    /// Host names (with or without a port) the server may be reached by besides the loopback
    /// names (`localhost`, `127.0.0.1`, `[::1]`), which are always allowed. Every request must
    /// be addressed to one of them, in every mode: another name means another site reached
    /// this server through DNS rebinding. The clinic server passes the names it is served as.
    pub allowed_hosts: Vec<String>,
    /// The SQLite file, when the store is one: its size and modification time (and its WAL's)
    /// tell the page cache about writes made by other processes, such as `unknot log`.
    pub database_file: Option<std::path::PathBuf>,
}

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    kb: KnowledgeBase,
    csrf: String,
    options: Options,
    generation: AtomicU64,
    cache: Mutex<HashMap<String, (u64, Arc<CachedBody>)>>,
}

impl AppState {
    /// Builds the state; the library is loaded and its search index built here, once.
    pub async fn new(app: App, options: Options) -> Result<AppState, crate::WebError> {
        let catalogue = app.catalogue().await?;
        let kb = KnowledgeBase::build(&catalogue)
            .map_err(|e| crate::WebError::Internal(e.to_string()))?;
        Ok(AppState {
            inner: Arc::new(Inner {
                app,
                kb,
                csrf: random_token()?,
                options: Options {
                    speed: if options.speed > 0.0 {
                        options.speed
                    } else {
                        1.0
                    },
                    allowed_hosts: options
                        .allowed_hosts
                        .iter()
                        .map(|h| h.trim().to_ascii_lowercase())
                        .filter(|h| !h.is_empty())
                        .collect(),
                    database_file: options.database_file.clone(),
                },
                generation: AtomicU64::new(0),
                cache: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The application every handler calls.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The library as the person sees it.
    pub async fn catalogue(&self) -> Result<Arc<Catalogue>, crate::WebError> {
        Ok(self.inner.app.catalogue().await?)
    }

    /// The search index over the library.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.inner.kb
    }

    /// The token every form and state-changing request must carry.
    pub fn csrf(&self) -> &str {
        &self.inner.csrf
    }

    /// Timer speed for the session player.
    pub fn speed(&self) -> f64 {
        self.inner.options.speed
    }

    /// The host names allowed besides the loopback names, lowercased.
    pub fn allowed_hosts(&self) -> &[String] {
        &self.inner.options.allowed_hosts
    }

    /// Now, in the person's chosen time zone (or the computer's).
    pub async fn now(&self) -> Result<Zoned, crate::WebError> {
        Ok(self.inner.app.now().await?)
    }

    /// Records that something was written, so cached pages are rendered again.
    pub fn changed(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// A cached body for `key`, if nothing has been written since it was made, here or by
    /// another process (callers put the date in the key, since pages show "today").
    pub fn cached(&self, key: &str) -> Option<Arc<CachedBody>> {
        let generation = self.generation();
        let cache = self.inner.cache.lock().ok()?;
        cache
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, b)| b.clone())
    }

    /// A fingerprint of the database files: changes whenever any process commits to them.
    fn files_fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let Some(db) = &self.inner.options.database_file else {
            return 0;
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut wal = db.clone().into_os_string();
        wal.push("-wal");
        for path in [db.as_os_str(), wal.as_os_str()] {
            if let Ok(m) = std::fs::metadata(path) {
                m.len().hash(&mut h);
                m.modified().ok().hash(&mut h);
            }
        }
        h.finish()
    }

    /// Keeps a body for `key`, made when the write generation was `generation`.
    pub fn keep(&self, key: String, generation: u64, body: CachedBody) -> Arc<CachedBody> {
        let body = Arc::new(body);
        if let Ok(mut cache) = self.inner.cache.lock() {
            if cache.len() > 256 {
                cache.clear();
            }
            cache.insert(key, (generation, body.clone()));
        }
        body
    }

    /// The current write generation: writes through the app, mixed with the database files'
    /// fingerprint for writes from elsewhere. Read before rendering, so a write during rendering
    /// makes the result stale rather than cached.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::SeqCst) ^ self.files_fingerprint().rotate_left(17)
    }
}

fn random_token() -> Result<String, crate::WebError> {
    let mut bytes = [0u8; 24];
    // Without the system's randomness there is no unguessable token, and a guessable one would
    // let other sites post forms here: refuse to start instead.
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::WebError::Internal(format!("no system randomness for tokens: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
