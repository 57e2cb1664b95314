//! What every handler shares: the application (one person's journal and coach), the library's
//! search index, the CSRF token, and a small cache of the pages that are read far more often
//! than the journal changes.
//!
//! On the clinic server the same state is scoped to the signed-in person for each request
//! ([`AppState::scoped`]): `app()` is then their journal, `csrf()` their session's token, and
//! cached pages are kept per person.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jiff::Zoned;
use unknot_app::App;
use unknot_app::clinic::{ClinicApp, Principal};
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
    scope: Option<Arc<Scope>>,
}

/// The signed-in person a request is for, with the application scoped to their journal.
struct Scope {
    who: Principal,
    app: App,
    /// When a member of staff previews a patient's pages: the patient's name.
    preview: Option<String>,
}

struct Inner {
    app: App,
    clinic: Option<ClinicApp>,
    kb: KnowledgeBase,
    csrf: String,
    options: Options,
    generation: AtomicU64,
    cache: Mutex<HashMap<String, (u64, Arc<CachedBody>)>>,
    /// Fails requests fast while PostgreSQL is out of reach (not used over SQLite, whose
    /// "busy" is a moment's lock, not an outage).
    breaker: crate::breaker::Breaker,
}

impl AppState {
    /// The database circuit breaker, on a clinic server over PostgreSQL (`None` otherwise).
    pub(crate) fn breaker(&self) -> Option<&crate::breaker::Breaker> {
        (self.inner.clinic.is_some() && self.inner.app.on_database_server())
            .then_some(&self.inner.breaker)
    }

    /// Builds the state; the library is loaded and its search index built here, once.
    pub async fn new(app: App, options: Options) -> Result<AppState, crate::WebError> {
        AppState::build(app, None, options).await
    }

    /// The clinic server's state: accounts, sign-in and the clinic's pages, over `clinic`'s
    /// store and library.
    pub async fn for_clinic(
        clinic: ClinicApp,
        options: Options,
    ) -> Result<AppState, crate::WebError> {
        AppState::build(clinic.app().clone(), Some(clinic), options).await
    }

    async fn build(
        app: App,
        clinic: Option<ClinicApp>,
        options: Options,
    ) -> Result<AppState, crate::WebError> {
        let catalogue = app.catalogue().await?;
        let kb = KnowledgeBase::build(&catalogue)
            .map_err(|e| crate::WebError::Internal(e.to_string()))?;
        Ok(AppState {
            scope: None,
            inner: Arc::new(Inner {
                app,
                clinic,
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
                breaker: crate::breaker::Breaker::default(),
            }),
        })
    }

    /// The same state for one signed-in person: their journal, their session's form token,
    /// their own cached pages.
    pub fn scoped(&self, who: Principal) -> AppState {
        let app = self.inner.app.for_user(&who.account.id);
        AppState {
            inner: self.inner.clone(),
            scope: Some(Arc::new(Scope {
                who,
                app,
                preview: None,
            })),
        }
    }

    /// The state for a member of staff previewing a patient's pages: the patient's journal
    /// (`app`, opened through the access rules), the staff member's own session and token.
    pub fn previewing(&self, app: App, patient_name: String) -> Option<AppState> {
        let who = self.principal()?.clone();
        Some(AppState {
            inner: self.inner.clone(),
            scope: Some(Arc::new(Scope {
                who,
                app,
                preview: Some(patient_name),
            })),
        })
    }

    /// The patient's name, when this is a staff preview (read-only).
    pub fn preview_of(&self) -> Option<&str> {
        self.scope.as_ref().and_then(|s| s.preview.as_deref())
    }

    /// The application every handler calls: the signed-in person's on the clinic server.
    pub fn app(&self) -> &App {
        self.scope.as_ref().map_or(&self.inner.app, |s| &s.app)
    }

    /// The clinic server's operations, when this is one.
    pub fn clinic(&self) -> Option<&ClinicApp> {
        self.inner.clinic.as_ref()
    }

    /// Who is signed in (clinic server only).
    pub fn principal(&self) -> Option<&Principal> {
        self.scope.as_ref().map(|s| &s.who)
    }

    /// The library as the person sees it.
    pub async fn catalogue(&self) -> Result<Arc<Catalogue>, crate::WebError> {
        Ok(self.app().catalogue().await?)
    }

    /// The search index over the library.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.inner.kb
    }

    /// The token every form and state-changing request must carry: the session's own on the
    /// clinic server, the process's on the local app.
    pub fn csrf(&self) -> &str {
        self.scope
            .as_ref()
            .and_then(|s| s.who.session.as_ref())
            .map_or(&self.inner.csrf, |s| &s.csrf)
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
        Ok(self.app().now().await?)
    }

    /// The cache key for this person: pages are never shared between people.
    fn person_key(&self, key: &str) -> String {
        match &self.scope {
            Some(s) if s.preview.is_some() => {
                format!("preview\u{1f}{}\u{1f}{key}", s.app.user())
            }
            Some(s) => format!("{}\u{1f}{key}", s.who.account.id),
            None => key.to_string(),
        }
    }

    /// Records that something was written, so cached pages are rendered again.
    pub fn changed(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// A cached body for `key`, if nothing has been written since it was made, here or by
    /// another process (callers put the date in the key, since pages show "today").
    pub fn cached(&self, key: &str) -> Option<Arc<CachedBody>> {
        // The clinic server may run as several processes over one database, and a write through
        // another process would not reach this one's counter: it renders every page afresh.
        if self.inner.clinic.is_some() {
            return None;
        }
        let generation = self.generation();
        let cache = self.inner.cache.lock().ok()?;
        cache
            .get(&self.person_key(key))
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
        if self.inner.clinic.is_some() {
            return body;
        }
        if let Ok(mut cache) = self.inner.cache.lock() {
            if cache.len() > 256 {
                cache.clear();
            }
            cache.insert(self.person_key(&key), (generation, body.clone()));
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
