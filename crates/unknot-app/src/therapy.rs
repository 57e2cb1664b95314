//! Heat, cold and contrast: the checked phases and warnings before a timer starts, and the
//! journal entry after it stops. The same rules whether the terminal or a page keeps time.

use jiff::ToSpan;
use serde::Serialize;
use unknot_core::body::Region;
use unknot_core::catalogue::{COLD_MIN_GAP_MINUTES, TherapyKind};
use unknot_core::journal::{Entry, EntryId};
use unknot_core::therapy::{self, Done, Request, Warning};
use unknot_store::EntryRange;

use crate::{App, AppResult};

/// Everything a timer needs before it starts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prepared {
    /// Heat, cold or contrast.
    pub kind: TherapyKind,
    /// The protocol's name.
    pub name: String,
    /// Phases to time, in order: (heat or cold, minutes), all within the hard limits.
    pub phases: Vec<(TherapyKind, u16)>,
    /// The barrier to confirm, in words.
    pub barrier: String,
    /// When to stop at once.
    pub stop_if: Vec<String>,
    /// Warnings to show first (cold too soon after cold).
    pub warnings: Vec<WarningView>,
}

/// A warning with its words.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningView {
    /// What kind, with its numbers.
    #[serde(flatten)]
    pub warning: Warning,
    /// In plain words.
    pub says: String,
}

/// What a finished (or stopped) timer did.
#[derive(Debug, Clone)]
pub struct Timed {
    /// Heat, cold or contrast.
    pub kind: TherapyKind,
    /// Seconds of heat applied.
    pub heat_seconds: u32,
    /// Seconds of cold applied.
    pub cold_seconds: u32,
    /// Where the pack went.
    pub region: Option<Region>,
    /// True when stopped before the end.
    pub stopped_early: bool,
    /// The person confirmed the barrier.
    pub barrier: bool,
}

impl App {
    /// Checks a request against the hard limits and the journal, before any timer starts.
    pub async fn prepare_therapy(&self, request: Request) -> AppResult<Prepared> {
        let catalogue = self.catalogue().await?;
        let t = catalogue.therapies();
        let phases = therapy::phases(t, request)?;
        let (name, barrier, stop_if) = match request.kind {
            TherapyKind::Cold => (&t.cold.name, t.cold.barrier.clone(), &t.cold.stop_if),
            TherapyKind::Heat => (&t.heat.name, t.heat.barrier.clone(), &t.heat.stop_if),
            TherapyKind::Contrast => (
                &t.contrast.name,
                "a cloth around the cold pack and a towel around the warm one".to_string(),
                &t.contrast.stop_if,
            ),
        };
        let now = self.now().await?;
        let gap = t.cold.min_gap_minutes.max(COLD_MIN_GAP_MINUTES);
        let since = now.checked_sub(i64::from(gap + 30).minutes())?.timestamp();
        let recent = self
            .store()
            .list_entries(EntryRange {
                since: Some(since),
                ..Default::default()
            })
            .await?;
        let warnings = therapy::warnings(request.kind, &recent, &now, gap)
            .into_iter()
            .map(|w| WarningView {
                says: w.says(),
                warning: w,
            })
            .collect();
        Ok(Prepared {
            kind: request.kind,
            name: name.clone(),
            phases,
            barrier,
            stop_if: stop_if.clone(),
            warnings,
        })
    }

    /// Records what a timer did, within the limits of the protocol it ran. `None` when less
    /// than a minute was applied: nothing is stored then.
    pub async fn record_therapy(&self, timed: Timed) -> AppResult<Option<Entry>> {
        therapy::require_barrier(timed.barrier)?;
        let catalogue = self.catalogue().await?;
        let t = catalogue.therapies();
        let phases = therapy::phases(
            t,
            Request {
                kind: timed.kind,
                minutes: None,
            },
        )?;
        let most = |kind: TherapyKind| -> u32 {
            let minutes = match (timed.kind, kind) {
                (TherapyKind::Contrast, _) => phases
                    .iter()
                    .filter(|(k, _)| *k == kind)
                    .map(|(_, m)| u32::from(*m))
                    .sum(),
                (k, _) if k == kind => u32::from(therapy::limit_minutes(kind)),
                _ => 0,
            };
            minutes * 60
        };
        for (given, kind, field) in [
            (timed.heat_seconds, TherapyKind::Heat, "heat_seconds"),
            (timed.cold_seconds, TherapyKind::Cold, "cold_seconds"),
        ] {
            if given > most(kind) {
                return Err(unknot_core::InputError::malformed(
                    field,
                    given.to_string(),
                    format!("more than this session allows ({} s)", most(kind)),
                )
                .into());
            }
        }
        let name = match timed.kind {
            TherapyKind::Cold => &t.cold.name,
            TherapyKind::Heat => &t.heat.name,
            TherapyKind::Contrast => &t.contrast.name,
        };
        let now = self.now().await?;
        let done = Done {
            protocol: name,
            heat_seconds: timed.heat_seconds,
            cold_seconds: timed.cold_seconds,
            region: timed.region,
            stopped_early: timed.stopped_early,
        };
        let entry = therapy::journal_entry(EntryId::new(self.new_id())?, &now, &done)?;
        if let Some(e) = &entry {
            self.store().insert_entry(e).await?;
        }
        Ok(entry)
    }
}
