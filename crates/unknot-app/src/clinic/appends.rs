//! Audit events from requests running at the same time, written to the chain together.
//!
//! Every request a clinic server answers appends to one hash chain, and each append holds the
//! chain's lock from reading its end to committing: one at a time for the whole database, so
//! dashboards and writes queued on it (docs/PERFORMANCE.md, "The journal's own tables,
//! audit appends together, FHIR pages"). Here the requests of one server take turns, and the one whose turn it is
//! writes every event waiting by then in one transaction. The chain itself, its format and its
//! check are unchanged; each request still returns only once its own event is committed.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::oneshot;
use unknot_core::clinic::audit::Event;
use unknot_store::Store;

use crate::AppResult;

/// An event waiting for its turn: its ticket, the event, and where to say how it went
/// (`None` once written, or the event given back when its batch failed).
type Waiting = (u64, Event, oneshot::Sender<Option<Event>>);

/// The events waiting to be written, and the turn to write them.
#[derive(Default)]
pub(crate) struct Appends {
    waiting: Mutex<Vec<Waiting>>,
    turn: tokio::sync::Mutex<()>,
    /// The next ticket: tells a request whether the batch it takes holds its own event.
    tickets: AtomicU64,
}

impl Appends {
    /// Writes `event` to the chain, with whatever other events are waiting when its turn
    /// comes, and returns once it is committed.
    pub(crate) async fn append(&self, store: &Store, event: Event) -> AppResult<()> {
        let (tell, mut told) = oneshot::channel();
        let own = event.clone();
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
        self.waiting().push((ticket, event, tell));
        // Written by another request's turn, or this request's turn to write: whichever comes
        // first (a request whose event is committed does not wait for the next turn).
        let turn = tokio::select! {
            biased;
            outcome = &mut told => return Self::after(store, outcome.ok(), own).await,
            turn = self.turn.lock() => turn,
        };
        if let Ok(outcome) = told.try_recv() {
            return Self::after(store, Some(outcome), own).await;
        }
        let batch = std::mem::take(&mut *self.waiting());
        let mine = batch.iter().any(|(t, _, _)| *t == ticket);
        let events: Vec<Event> = batch.iter().map(|(_, e, _)| e.clone()).collect();
        let result = if events.is_empty() {
            Ok(Vec::new())
        } else {
            store.append_audits(events).await
        };
        for (_, event, tell) in batch {
            // A request that went away no longer listens; its event is written all the same.
            let _ = tell.send(result.is_err().then_some(event));
        }
        // Only now: a request whose event this batch held must find the answer when its turn
        // comes, not take the turn with its event gone from the list.
        drop(turn);
        if !mine {
            // An earlier turn took this event and had not told yet (its request went away
            // mid-write and is being dropped): its word comes at once.
            return Self::after(store, told.await.ok(), own).await;
        }
        result?;
        Ok(())
    }

    /// The waiting list. A request that panicked while holding it cannot have left it half
    /// changed (a push or a take), so it is used as it is.
    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What a request learns when another request's turn took its event: written (`None`
    /// inside), or given back because that batch failed, in which case it is written alone so
    /// the error reported is this request's own. When the writing request went away mid-write
    /// (nothing learnt), whether the event was committed is unknown: it is written again, as
    /// one record too many beats one missing.
    async fn after(store: &Store, outcome: Option<Option<Event>>, own: Event) -> AppResult<()> {
        match outcome {
            Some(None) => Ok(()),
            Some(Some(event)) => Ok(store.append_audit(event).await.map(|_| ())?),
            None => Ok(store.append_audit(own).await.map(|_| ())?),
        }
    }
}
