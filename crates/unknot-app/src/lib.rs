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

mod clock;
pub mod coach;
pub mod data;
mod error;
pub mod journal;
pub mod library;
pub mod report;
pub mod session;
pub mod settings;
pub mod therapy;

use std::sync::{Arc, Mutex};

use jiff::Zoned;
use jiff::tz::TimeZone;
use unknot_core::catalogue::{self, Catalogue, Layer};
use unknot_store::Store;

pub use clock::{Clock, Ids};
pub use error::{AppError, AppResult, Missing};

/// A fresh random id (UUIDv7) for a record made outside an [`App`] (the reminder worker, which
/// records through a short-lived process).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The application: one person's journal and coach, with the library they see.
///
/// Cheap to clone (the web server hands a clone to every request).
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    content: Vec<Layer>,
    catalogue: Mutex<Option<Arc<Catalogue>>>,
    clock: Clock,
    ids: Ids,
    system_zone: TimeZone,
}

impl App {
    /// An app over `store`, with the library's `content` layers (built in first, then any
    /// content folder; the user's own exercises are added from the store) and a clock.
    pub fn new(store: Store, content: Vec<Layer>, clock: Clock) -> App {
        App {
            inner: Arc::new(Inner {
                ids: Ids::for_clock(&clock),
                store,
                content,
                catalogue: Mutex::new(None),
                clock,
                system_zone: TimeZone::system(),
            }),
        }
    }

    /// An app over `store` with the built-in library and the computer's clock.
    pub fn local(store: Store) -> App {
        App::new(store, vec![catalogue::builtin()], Clock::system())
    }

    /// The same journal and library on another clock (the demo steps a fixed one through weeks).
    pub fn with_clock(&self, clock: Clock) -> App {
        App::new(self.store().clone(), self.inner.content.clone(), clock)
    }

    /// The store (persistence only).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Closes the database connections, waiting for them to finish (SQLite then checkpoints
    /// its log). Other clones of this app must not be used afterwards.
    pub async fn close(self) {
        self.store().clone().close().await;
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// A new record id, made now.
    pub fn new_id(&self) -> String {
        self.inner.ids.next(self.inner.clock.now())
    }

    /// The person's time zone: the one chosen in the settings, else the computer's.
    pub async fn zone(&self) -> AppResult<TimeZone> {
        let settings = self.store().settings().await?;
        Ok(settings.zone(&self.inner.system_zone))
    }

    /// Now, in the person's time zone.
    pub async fn now(&self) -> AppResult<Zoned> {
        Ok(self.inner.clock.now().to_zoned(self.zone().await?))
    }

    /// The library as this person sees it: built in, any content folder, then their own
    /// exercises. Loaded once and kept; [`App::library_changed`] drops it after an edit.
    pub async fn catalogue(&self) -> AppResult<Arc<Catalogue>> {
        if let Some(c) = self.cached_catalogue() {
            return Ok(c);
        }
        let yours = self.store().custom_exercises().await?;
        let c = Arc::new(self.check_library(&yours)?);
        if let Ok(mut slot) = self.inner.catalogue.lock() {
            *slot = Some(c.clone());
        }
        Ok(c)
    }

    fn cached_catalogue(&self) -> Option<Arc<Catalogue>> {
        self.inner.catalogue.lock().ok().and_then(|c| c.clone())
    }

    /// The library's content layers below the user's own exercises.
    pub fn content_layers(&self) -> &[Layer] {
        &self.inner.content
    }

    /// Forgets the loaded library, after the user's own exercises changed.
    pub fn library_changed(&self) {
        if let Ok(mut slot) = self.inner.catalogue.lock() {
            *slot = None;
        }
    }
}
