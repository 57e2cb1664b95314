//! Guided sessions: what to guide (today's routine or one exercise) and recording what was done.
//! The players (terminal, browser) only keep time and send the outcomes here.

use jiff::Zoned;
use serde::Serialize;
use unknot_core::adapt::{ItemOutcome, SessionRecord};
use unknot_core::journal::{Entry, EntryId};
use unknot_core::score::Score;
use unknot_core::session::{self, Item};
use unknot_core::today::Completion;
use unknot_core::triage::Triage;

use unknot_store::Inserted;

use crate::journal::{Posted, as_stored, client_id};
use crate::{App, AppResult, Missing};

/// Whether a stored session holds what was posted again under its id: the same outcomes, pain
/// and signs, and the same start (to the millisecond) when the client gave one.
fn same_session(stored: &SessionRecord, posted: &SessionRecord, time_given: bool) -> bool {
    let same_time = !time_given
        || stored.at.timestamp().as_millisecond() == posted.at.timestamp().as_millisecond();
    same_time
        && stored.items == posted.items
        && stored.pain_before == posted.pain_before
        && stored.pain_after == posted.pain_after
        && stored.warning_signs == posted.warning_signs
}

/// A finished guided session, as a player reports it.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The id the client made for it (a phone that may send it twice), or `None` for a new
    /// one. A session with a client id is stored once, and its journal entry takes the same id.
    pub id: Option<String>,
    /// When the session started (defaults to now when absent).
    pub started: Option<Zoned>,
    /// Each exercise's outcome, in order.
    pub items: Vec<ItemOutcome>,
    /// Pain before, 0-10.
    pub pain_before: Option<Score>,
    /// Pain after, 0-10.
    pub pain_after: Option<Score>,
    /// Warning signs the feedback reports: ids of `signs::SESSION_SIGNS` (checked before
    /// anything is stored).
    pub warning_signs: Vec<String>,
}

/// What recording a session stored.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// The session.
    pub session: SessionRecord,
    /// How much was done.
    pub completion: Completion,
    /// The journal entry made for it, when something was done or pain was rated.
    pub entry: Option<Entry>,
    /// When the feedback reported a warning sign: the safety check as it stands now, with that
    /// sign counted (the same check Today, the banner and the plan make).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub safety: Option<Triage>,
}

impl App {
    /// The exercises to guide: one from the library; else the programme a clinician prescribed,
    /// when one is in force (so every player runs it and its sessions count toward adherence);
    /// else today's routine from the person's own plan (made when missing).
    pub async fn session_items(&self, exercise: Option<&str>) -> AppResult<Vec<Item>> {
        if let Some(id) = exercise {
            let catalogue = self.catalogue().await?;
            return Ok(vec![Item::from_exercise(catalogue.find_exercise(id)?)]);
        }
        if let Some((_, version)) = self.prescribed().await? {
            let items = version.body.session_items(&*self.catalogue().await?);
            // A prescription whose exercises all left the library falls back to the own plan
            // rather than leaving the person with an empty session.
            if !items.is_empty() {
                return Ok(items);
            }
        }
        let plan = self.plan(false).await?;
        let items = Item::routine(&plan.stored.plan);
        if items.is_empty() {
            return Err(crate::AppError::Missing(Missing::Routine));
        }
        Ok(items)
    }

    /// Records a finished session, and a journal entry for it when something was done or a
    /// pain rating was given, so the journal, trends and reports all see it. Warning signs the
    /// feedback reports are kept with the session, where the safety net reads them.
    pub async fn record_session(&self, finished: Finished) -> AppResult<Recorded> {
        Ok(self.record_session_once(finished).await?.into_inner())
    }

    /// Like [`App::record_session`], telling a session stored now from one an earlier request
    /// with the same client-made id stored (then nothing is written and the stored session and
    /// entry are answered). The same id with other outcomes, or an id another person's
    /// session or entry holds, is refused with [`crate::AppError::IdInUse`].
    pub async fn record_session_once(&self, finished: Finished) -> AppResult<Posted<Recorded>> {
        let mut now = self.now().await?;
        let catalogue = self.catalogue().await?;
        let client_id = finished.id.as_deref().map(client_id).transpose()?;
        if client_id.is_some() {
            // The first answer then shows the times a retry will read back.
            now = as_stored(&now)?;
        }
        let time_given = finished.started.is_some();
        let record = SessionRecord {
            id: client_id
                .as_ref()
                .map_or_else(|| self.new_id(), |id| id.to_string()),
            at: finished.started.unwrap_or_else(|| now.clone()),
            items: finished.items,
            pain_before: finished.pain_before,
            pain_after: finished.pain_after,
            warning_signs: finished.warning_signs,
        };
        session::check_record(&record, &catalogue)?;
        let entry_id = match client_id {
            Some(id) => id,
            None => EntryId::new(self.new_id())?,
        };
        let entry = session::journal_entry(&record, &catalogue, entry_id, &now);
        if let Some(e) = &entry {
            e.check(now.timestamp())?;
        }
        let (record, entry, new) = if finished.id.is_none() {
            self.store()
                .save_session_with_entry(&record, entry.as_ref())
                .await?;
            (record, entry, true)
        } else {
            match self
                .store()
                .save_session_with_entry_if_absent(&record, entry.as_ref())
                .await?
            {
                Inserted::Added => (record, entry, true),
                Inserted::Existing((old, old_entry))
                    if same_session(&old, &record, time_given)
                        && old_entry.is_some() == entry.is_some() =>
                {
                    (old, old_entry, false)
                }
                Inserted::Existing(_) | Inserted::Taken => {
                    return Err(crate::AppError::IdInUse(record.id));
                }
            }
        };
        let safety = if record.warning_signs.is_empty() {
            None
        } else {
            self.watch().await?.map(|w| w.triage)
        };
        let recorded = Recorded {
            completion: Completion::of(&record.items),
            session: record,
            entry,
            safety,
        };
        Ok(if new {
            Posted::Created(recorded)
        } else {
            Posted::Replayed(recorded)
        })
    }
}
