//! The rules of a timed heat, cold or contrast session, whoever runs the timer (the terminal,
//! the web app's timer, or a phone): the phases within the hard limits, the barrier that must
//! be confirmed, the warning when cold comes too soon after cold, and the journal entry that
//! records what was really done.

use jiff::Zoned;
use serde::Serialize;

use crate::body::Region;
use crate::catalogue::{
    COLD_MAX_MINUTES, COLD_MIN_GAP_MINUTES, HEAT_MAX_MINUTES, Therapies, TherapyKind, check_minutes,
};
use crate::error::InputError;
use crate::journal::{Entry, EntryId};

/// A session asked for: which therapy, and minutes for heat or cold (contrast runs fixed
/// rounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Heat, cold or contrast.
    pub kind: TherapyKind,
    /// Minutes, when not the protocol's default.
    pub minutes: Option<u16>,
}

/// Checked phases to time, in order: (heat or cold, minutes). Every phase is within the hard
/// limits, so no option or content folder can push a timer past them.
pub fn phases(
    therapies: &Therapies,
    request: Request,
) -> Result<Vec<(TherapyKind, u16)>, InputError> {
    let phases = match request.kind {
        TherapyKind::Cold => vec![(
            TherapyKind::Cold,
            request.minutes.unwrap_or(therapies.cold.default_minutes),
        )],
        TherapyKind::Heat => vec![(
            TherapyKind::Heat,
            request.minutes.unwrap_or(therapies.heat.default_minutes),
        )],
        TherapyKind::Contrast => {
            if let Some(m) = request.minutes {
                return Err(InputError::malformed(
                    "minutes",
                    m.to_string(),
                    "contrast runs fixed rounds, so minutes do not apply to it",
                ));
            }
            therapies.contrast.phases()
        }
    };
    for (kind, minutes) in &phases {
        check_minutes(*kind, *minutes)
            .map_err(|e| InputError::malformed("minutes", minutes.to_string(), e.to_string()))?;
    }
    Ok(phases)
}

/// The longest one heat or cold phase may last, in minutes (contrast has no single limit: each
/// of its phases has its own).
pub fn limit_minutes(kind: TherapyKind) -> u16 {
    match kind {
        TherapyKind::Cold => COLD_MAX_MINUTES,
        TherapyKind::Heat => HEAT_MAX_MINUTES,
        TherapyKind::Contrast => HEAT_MAX_MINUTES.max(COLD_MAX_MINUTES),
    }
}

/// The barrier (a cloth or towel between pack and skin) must be confirmed before a timer starts.
pub fn require_barrier(confirmed: bool) -> Result<(), InputError> {
    if confirmed {
        Ok(())
    } else {
        Err(InputError::malformed(
            "barrier",
            "false",
            "put a cloth or towel between the pack and your skin, then confirm it",
        ))
    }
}

/// A warning to show before a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The last cold session ended less than the minimum gap ago.
    ColdTooSoon {
        /// Minutes since it ended.
        minutes_ago: i64,
        /// The gap to leave.
        gap_minutes: u16,
    },
}

impl Warning {
    /// The warning in plain words.
    pub fn says(&self) -> String {
        match self {
            Warning::ColdTooSoon {
                minutes_ago,
                gap_minutes,
            } => format!(
                "Your last cold session ended {minutes_ago} minutes ago. Leave at least \
                 {gap_minutes} minutes between cold sessions so the skin can warm through."
            ),
        }
    }
}

/// Warnings for a session of `kind` starting at `now`, given the journal's entries of the last
/// `gap_minutes` and more (each entry is stamped when its session ended). `gap_minutes` is the
/// cold protocol's gap (`Therapies::cold.min_gap_minutes`), never under
/// [`COLD_MIN_GAP_MINUTES`].
pub fn warnings(
    kind: TherapyKind,
    recent: &[Entry],
    now: &Zoned,
    gap_minutes: u16,
) -> Vec<Warning> {
    let gap_minutes = gap_minutes.max(COLD_MIN_GAP_MINUTES);
    if kind == TherapyKind::Heat {
        return Vec::new();
    }
    let last_cold = recent
        .iter()
        .filter(|e| e.treatments.cold_minutes.is_some())
        .map(|e| e.at.timestamp())
        .filter(|t| *t <= now.timestamp())
        .max();
    last_cold
        .map(|end| (now.timestamp().as_second() - end.as_second()) / 60)
        .filter(|gap| *gap < i64::from(gap_minutes))
        .map(|minutes_ago| Warning::ColdTooSoon {
            minutes_ago,
            gap_minutes,
        })
        .into_iter()
        .collect()
}

/// What a finished (or stopped) session did.
#[derive(Debug, Clone)]
pub struct Done<'a> {
    /// The protocol's name, for the note.
    pub protocol: &'a str,
    /// Seconds of heat applied.
    pub heat_seconds: u32,
    /// Seconds of cold applied.
    pub cold_seconds: u32,
    /// Where the pack went.
    pub region: Option<Region>,
    /// True when stopped before the end.
    pub stopped_early: bool,
}

/// The journal entry for a session, or `None` when less than a minute was applied (nothing
/// happened worth recording). Minutes round up, so a session stopped at 9 min 10 s records 10.
pub fn journal_entry(id: EntryId, now: &Zoned, done: &Done) -> Result<Option<Entry>, InputError> {
    let minutes = |secs: u32| u16::try_from(secs.div_ceil(60)).unwrap_or(u16::MAX);
    if done.heat_seconds < 60 && done.cold_seconds < 60 {
        return Ok(None);
    }
    let mut entry = Entry::new(id, now.clone());
    entry.treatments.heat_minutes =
        Some(minutes(done.heat_seconds)).filter(|_| done.heat_seconds >= 60);
    entry.treatments.cold_minutes =
        Some(minutes(done.cold_seconds)).filter(|_| done.cold_seconds >= 60);
    let place = done
        .region
        .map(|r| format!(" on the {}", r.label().to_lowercase()))
        .unwrap_or_default();
    entry.note = Some(format!(
        "{}{place}{}",
        done.protocol,
        if done.stopped_early {
            ", stopped early"
        } else {
            ""
        }
    ));
    entry.check(now.timestamp())?;
    Ok(Some(entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue;

    fn now() -> Zoned {
        jiff::civil::date(2026, 3, 10)
            .at(12, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap_or_default()
    }

    fn therapies() -> Option<Therapies> {
        catalogue::Catalogue::load(&[catalogue::builtin()])
            .ok()
            .map(|c| c.therapies().clone())
    }

    #[test]
    fn phases_stay_within_the_limits() {
        let Some(t) = therapies() else {
            panic!("the built-in library loads")
        };
        let cold = |m| Request {
            kind: TherapyKind::Cold,
            minutes: Some(m),
        };
        assert!(phases(&t, cold(20)).is_ok());
        assert!(phases(&t, cold(21)).is_err());
        assert!(phases(&t, cold(0)).is_err());
        let contrast = Request {
            kind: TherapyKind::Contrast,
            minutes: Some(5),
        };
        assert!(phases(&t, contrast).is_err());
    }

    #[test]
    fn cold_within_the_gap_warns() {
        let mut e = Entry::new(EntryId::new("a").unwrap_or_else(|_| panic!()), now());
        e.at = now()
            .checked_sub(jiff::SignedDuration::from_mins(20))
            .unwrap_or_default();
        e.treatments.cold_minutes = Some(15);
        let w = warnings(TherapyKind::Cold, std::slice::from_ref(&e), &now(), 120);
        assert!(matches!(
            w[..],
            [Warning::ColdTooSoon {
                minutes_ago: 20,
                gap_minutes: 120
            }]
        ));
        assert!(warnings(TherapyKind::Heat, &[e], &now(), 120).is_empty());
    }

    #[test]
    fn under_a_minute_records_nothing() {
        let id = || EntryId::new("b").unwrap_or_else(|_| panic!());
        let mut done = Done {
            protocol: "Cold pack",
            heat_seconds: 0,
            cold_seconds: 59,
            region: None,
            stopped_early: true,
        };
        assert_eq!(journal_entry(id(), &now(), &done).ok().flatten(), None);
        done.cold_seconds = 550;
        let e = journal_entry(id(), &now(), &done).ok().flatten();
        assert_eq!(e.and_then(|e| e.treatments.cold_minutes), Some(10));
    }
}
