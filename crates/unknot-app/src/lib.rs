//! unknot's use cases, each implemented once.
//!
//! Every operation that reads records, lets core decide and writes the outcome lives here:
//! the journal (log, edit, delete, history, import), the coach (assess, check-in, plan, review,
//! Today), sessions and heat or cold, every export and the visit summary's data. The terminal,
//! the web pages, the JSON API and the clinic server are edges around this crate: they parse
//! input into core types, call an [`App`] method, and render the result or word the error.
//! None of them builds a query or makes a decision, so they cannot drift apart.
//!
//! An [`App`] holds the store (already scoped to one person), the library's content layers, a
//! [`Clock`] and an id maker. Core stays pure: this crate reads the clock once per operation
//! and hands `now` down.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// In a library, `pub` should mean "part of the API": an item marked `pub` that no caller
// outside the crate can reach is an accident, so say `pub(crate)` for it.
#![warn(unreachable_pub)]

pub mod clinic;
mod clock;
pub mod coach;
pub mod data;
mod error;
pub mod journal;
mod libraries;
pub mod library;
pub mod report;
mod request;
pub mod session;
pub mod settings;
pub mod therapy;

use std::sync::{Arc, Mutex};

use jiff::Zoned;
use jiff::tz::TimeZone;
use unknot_core::catalogue::{self, Catalogue, Layer};
use unknot_store::{LibraryStamp, Store};

use libraries::Kept;

pub use clock::{Clock, Ids};
pub use error::{AppError, AppResult, Missing};
pub use request::one_request;

/// The computer's time zone, as `jiff::tz::TimeZone::system` finds it but without listing the
/// whole zone database first (see `unknot_store::zones`).
pub fn system_zone() -> TimeZone {
    unknot_store::zones::system()
}

/// A fresh random id (UUIDv7) for a record made outside an [`App`] (the reminder worker, which
/// records through a short-lived process).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The application: one person's journal and coach, with the library they see.
///
/// Cheap to clone (the web server hands a clone to every request). [`App::for_user`] gives the
/// same application scoped to another person (the clinic server makes one per request); the
/// clock, ids and loaded libraries are shared.
#[derive(Clone)]
pub struct App {
    store: Store,
    shared: Arc<Shared>,
}

/// What every person's app shares.
struct Shared {
    content: Vec<Layer>,
    /// The library without anyone's own exercises, loaded once.
    base: Mutex<Option<Arc<Catalogue>>>,
    /// Each person's library, with the stamp it was built from.
    libraries: Kept<LibraryStamp>,
    /// Each clinic's library, with the clinic's change counter it was built from.
    clinic_libraries: Kept<i64>,
    clock: Clock,
    ids: Ids,
    system_zone: TimeZone,
}

impl App {
    /// An app over `store`, with the library's `content` layers (built in first, then any
    /// content folder; the user's own exercises are added from the store) and a clock.
    pub fn new(store: Store, content: Vec<Layer>, clock: Clock) -> App {
        App {
            store,
            shared: Arc::new(Shared {
                ids: Ids::for_clock(&clock),
                content,
                base: Mutex::new(None),
                libraries: Kept::default(),
                clinic_libraries: Kept::default(),
                clock,
                system_zone: unknot_store::zones::system(),
            }),
        }
    }

    /// An app over `store` with the built-in library and the computer's clock.
    pub fn local(store: Store) -> App {
        App::new(store, vec![catalogue::builtin()], Clock::system())
    }

    /// Whose journal this application reads and writes (`local` on a single-user install).
    pub fn user(&self) -> &str {
        self.store.user()
    }

    /// The same application, scoped to `user`'s journal (the clock, ids and libraries shared).
    pub fn for_user(&self, user: &str) -> App {
        App {
            store: self.store.for_user(user),
            shared: self.shared.clone(),
        }
    }

    /// The same journal and library on another clock (the demo steps a fixed one through weeks).
    pub fn with_clock(&self, clock: Clock) -> App {
        App::new(self.store().clone(), self.shared.content.clone(), clock)
    }

    /// The store (persistence only).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Closes the database connections, waiting for them to finish (SQLite then checkpoints
    /// its log). Other clones of this app must not be used afterwards.
    pub async fn close(self) {
        self.store.close().await;
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// A new record id, made now.
    pub fn new_id(&self) -> String {
        self.shared.ids.next(self.shared.clock.now())
    }

    /// The person's time zone: the one chosen in the settings, else the computer's.
    pub async fn zone(&self) -> AppResult<TimeZone> {
        let settings = self.settings().await?;
        // The chosen zone through the store's quick lookup (as `Settings::zone` would find it).
        Ok(settings
            .time_zone
            .as_deref()
            .and_then(|z| unknot_store::zones::named(z).ok())
            .unwrap_or_else(|| self.shared.system_zone.clone()))
    }

    /// Now, in the person's time zone.
    pub async fn now(&self) -> AppResult<Zoned> {
        Ok(self.shared.clock.now().to_zoned(self.zone().await?))
    }

    /// The library as this person sees it: built in, any content folder, the exercises of the
    /// clinics they work in or are cared for by, then their own. Kept once loaded, with the
    /// stamp it was built from: a change made anywhere (another server too) changes the stamp,
    /// so the next call loads it again.
    pub async fn catalogue(&self) -> AppResult<Arc<Catalogue>> {
        let stamp = self.store().library_stamp().await?;
        // People with no exercises of their own share the library of the clinics they see, so
        // a clinic's patients hold one copy between them, not one each.
        let key = if stamp.own.0 == 0 {
            let clinics: Vec<&str> = stamp.clinics.iter().map(|(c, _)| c.as_str()).collect();
            format!("clinics {}", clinics.join(" "))
        } else {
            self.store.user().to_string()
        };
        if let Some(c) = self.shared.libraries.cached(&key, &stamp) {
            return Ok(c);
        }
        let c = self.load_library(&stamp).await?;
        self.shared.libraries.keep(key, stamp, c.clone());
        Ok(c)
    }

    /// The library with nobody's own exercises, loaded once for everyone.
    pub(crate) fn base_catalogue(&self) -> AppResult<Arc<Catalogue>> {
        if let Some(c) = self.shared.base.lock().ok().and_then(|b| b.clone()) {
            return Ok(c);
        }
        let c = Arc::new(self.check_library(&[])?);
        if let Ok(mut b) = self.shared.base.lock() {
            *b = Some(c.clone());
        }
        Ok(c)
    }

    /// The library's content layers below the user's own exercises.
    pub fn content_layers(&self) -> &[Layer] {
        &self.shared.content
    }

    /// Whether the database answers now (one trivial query): the clinic server's breaker
    /// checks this before letting requests through again after an outage.
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// True when the records live on a PostgreSQL server (which can be out of reach as a
    /// whole), false for an SQLite file.
    pub fn on_database_server(&self) -> bool {
        self.store.engine() == unknot_store::Engine::Postgres
    }

    /// Forgets this person's loaded library, after their own exercises changed.
    pub fn library_changed(&self) {
        self.shared.libraries.forget(self.store.user());
    }
}
