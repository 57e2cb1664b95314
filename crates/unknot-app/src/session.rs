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

use crate::{App, AppResult, Missing};

/// A finished guided session, as a player reports it.
#[derive(Debug, Clone)]
pub struct Finished {
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
        let now = self.now().await?;
        let catalogue = self.catalogue().await?;
        let record = SessionRecord {
            id: self.new_id(),
            at: finished.started.unwrap_or_else(|| now.clone()),
            items: finished.items,
            pain_before: finished.pain_before,
            pain_after: finished.pain_after,
            warning_signs: finished.warning_signs,
        };
        session::check_record(&record, &catalogue)?;
        let entry = session::journal_entry(&record, &catalogue, EntryId::new(self.new_id())?, &now);
        if let Some(e) = &entry {
            e.check(now.timestamp())?;
        }
        self.store()
            .save_session_with_entry(&record, entry.as_ref())
            .await?;
        let safety = if record.warning_signs.is_empty() {
            None
        } else {
            self.watch().await?.map(|w| w.triage)
        };
        Ok(Recorded {
            completion: Completion::of(&record.items),
            session: record,
            entry,
            safety,
        })
    }
}
