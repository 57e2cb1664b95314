//! Audit events from requests running at the same time, written to the chain together.
//!
//! Every request a clinic server answers appends to one hash chain, and each append holds the
//! chain's lock from reading its end to committing: one at a time for the whole database, so
//! dashboards and writes queued on it (docs/PERFORMANCE.md, "One audit append for many
//! requests"). Here the requests of one server take turns, and the one whose turn it is
//! writes every event waiting by then in one transaction. The chain itself, its format and its
//! check are unchanged; each request still returns only once its own event is committed.

use std::sync::Mutex;

use tokio::sync::oneshot;
use unknot_core::clinic::audit::Event;
use unknot_store::Store;

use crate::AppResult;

/// An event waiting for its turn, and where to say how it went: `None` once written, or the
/// event given back when its batch failed.
type Waiting = (Event, oneshot::Sender<Option<Event>>);

/// The events waiting to be written, and the turn to write them.
#[derive(Default)]
pub(crate) struct Appends {
    waiting: Mutex<Vec<Waiting>>,
    turn: tokio::sync::Mutex<()>,
}

impl Appends {
    /// Writes `event` to the chain, with whatever other events are waiting when its turn
    /// comes, and returns once it is committed.
    pub(crate) async fn append(&self, store: &Store, event: Event) -> AppResult<()> {
        let (tell, mut told) = oneshot::channel();
        let own = event.clone();
        let queued = match self.waiting.lock() {
            Ok(mut w) => {
                w.push((event, tell));
                true
            }
            Err(_) => false,
        };
        if !queued {
            // A request panicked while holding the list: write alone.
            return Ok(store.append_audit(own).await.map(|_| ())?);
        }
        let _turn = self.turn.lock().await;
        match told.try_recv() {
            // An earlier turn wrote it.
            Ok(None) => return Ok(()),
            // An earlier turn failed: alone now, so the error reported is this one's own.
            Ok(Some(event)) => return Ok(store.append_audit(event).await.map(|_| ())?),
            // The request whose turn it was went away mid-write, so whether the event was
            // committed is unknown: written again, as one record too many beats one missing.
            Err(oneshot::error::TryRecvError::Closed) => {
                return Ok(store.append_audit(own).await.map(|_| ())?);
            }
            // Still waiting: this turn writes it.
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let batch = self
            .waiting
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        let events: Vec<Event> = batch.iter().map(|(e, _)| e.clone()).collect();
        let result = store.append_audits(events).await;
        for (event, tell) in batch {
            // A request that went away no longer listens; its event is written all the same.
            let _ = tell.send(result.is_err().then_some(event));
        }
        result?;
        Ok(())
    }
}
