//! The person's data going out and coming in: the full backup, CSV files, the FHIR Bundle, the
//! calendar feed, and imports of a backup or an entries CSV. One period rule for every export,
//! and imports checked in full (with the library as this app loads it) before one transaction
//! writes them.

use jiff::Timestamp;
use jiff::civil::Time;
use serde::Serialize;
use unknot_core::InputError;
use unknot_core::backup::{self, Backup, Extras};
use unknot_core::catalogue::{Catalogue, Layer};
use unknot_core::journal::{Entry, EntryId};
use unknot_export::{csv, fhir, ics};
use unknot_store::{EntryRange, ImportSummary};

use crate::journal::Filter;
use crate::{App, AppError, AppResult, Missing};

/// The largest import file read, in bytes: years of a busy journal fit many times over, and a
/// runaway input (a device, a wrong file) is refused instead of filling memory.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// A span of time for an export; both ends inclusive, open when `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    /// Earliest instant.
    pub since: Option<Timestamp>,
    /// Latest instant.
    pub until: Option<Timestamp>,
}

impl Period {
    /// Everything.
    pub const ALL: Period = Period {
        since: None,
        until: None,
    };

    /// True when `t` falls in the period.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u)
    }
}

/// One CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    /// One row per journal entry (imports read it back).
    Entries,
    /// One row per knot.
    Knots,
    /// One row per guided session.
    Sessions,
    /// One row per assessment or check-in, with its scores.
    Scores,
}

impl CsvKind {
    /// The file name it downloads as.
    pub fn file_name(self) -> &'static str {
        match self {
            CsvKind::Entries => "unknot-entries.csv",
            CsvKind::Knots => "unknot-knots.csv",
            CsvKind::Sessions => "unknot-sessions.csv",
            CsvKind::Scores => "unknot-scores.csv",
        }
    }
}

/// What an import brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// A full backup (JSON).
    Backup,
    /// An entries CSV.
    EntriesCsv,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Imported {
    /// What the file was.
    pub kind: ImportKind,
    /// The counts.
    #[serde(flatten)]
    pub summary: ImportSummary,
}

impl App {
    /// Everything the person has, as a backup.
    pub async fn backup(&self) -> AppResult<Backup> {
        let store = self.store();
        let entries = store.list_entries(Default::default()).await?;
        let sessions = store.sessions().await?;
        let mut exercises = store.custom_exercises().await?;
        exercises.extend(self.clinic_exercises_done(&sessions, &exercises).await?);
        let extras = Extras {
            exercises,
            assessments: store.assessments().await?,
            plans: store.plans().await?,
            sessions,
            breaks: store.breaks_since(Timestamp::MIN).await?,
        };
        Ok(backup::build(entries, extras))
    }

    /// The exercises of a clinic's own that the person's sessions name, in the library's
    /// format: a backup carries them as the person's own, so it can be read back anywhere
    /// (their own computer has no clinic) with every session's exercise in it.
    async fn clinic_exercises_done(
        &self,
        sessions: &[unknot_core::adapt::SessionRecord],
        own: &[unknot_core::catalogue::UserExercise],
    ) -> AppResult<Vec<unknot_core::catalogue::UserExercise>> {
        let base = self.base_catalogue()?;
        let library = self.catalogue().await?;
        let mut ids: Vec<&str> = sessions
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.exercise.as_str()))
            .filter(|id| base.exercise(id).is_none() && !own.iter().any(|o| o.id == *id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids
            .into_iter()
            .filter_map(|id| library.exercise(id))
            .filter_map(|e| {
                let toml = toml::to_string(e).ok()?;
                Some(unknot_core::catalogue::UserExercise {
                    id: e.id.clone(),
                    toml,
                })
            })
            .collect())
    }

    /// The backup's records that fall in `period` (entries, sessions and assessments; plans
    /// and exercises are kept whole).
    async fn backup_within(&self, period: Period) -> AppResult<Backup> {
        let mut b = self.backup().await?;
        b.entries.retain(|e| period.contains(e.at.timestamp()));
        b.sessions.retain(|s| period.contains(s.at.timestamp()));
        b.assessments.retain(|a| period.contains(a.at.timestamp()));
        Ok(b)
    }

    /// One CSV file of the records in `period`.
    pub async fn export_csv(&self, kind: CsvKind, period: Period) -> AppResult<Vec<u8>> {
        let b = self.backup_within(period).await?;
        let mut buf = Vec::new();
        match kind {
            CsvKind::Entries => csv::write_entries(&b.entries, &mut buf),
            CsvKind::Knots => csv::write_knots(&b.entries, &mut buf),
            CsvKind::Sessions => csv::write_sessions(&b.sessions, &mut buf),
            CsvKind::Scores => csv::write_scores(&b.assessments, &mut buf),
        }
        .map_err(AppError::internal)?;
        Ok(buf)
    }

    /// Every CSV file of the records in `period`, in one zip.
    pub async fn export_csv_zip(&self, period: Period) -> AppResult<Vec<u8>> {
        let b = self.backup_within(period).await?;
        csv::write_zip(&b.entries, &b.sessions, &b.assessments).map_err(AppError::internal)
    }

    /// A FHIR R4 Bundle of the records in `period`, as pretty JSON ending in a newline.
    pub async fn export_fhir(&self, period: Period) -> AppResult<Vec<u8>> {
        let b = self.backup_within(period).await?;
        let name = self.settings().await?.name;
        let now = self.now().await?;
        let bundle = fhir::bundle(
            &fhir::Input {
                person: fhir::Person { name },
                entries: &b.entries,
                assessments: &b.assessments,
                plan: b.plans.last(),
            },
            &now,
        );
        let mut text = serde_json::to_vec_pretty(&bundle).map_err(AppError::internal)?;
        text.push(b'\n');
        Ok(text)
    }

    /// The plan as an iCalendar feed: the daily routine at `routine_at` and the weekly check-in,
    /// starting on the day the current plan version was made (so the feed is the same whenever
    /// it is fetched).
    pub async fn export_calendar(&self, routine_at: Time) -> AppResult<String> {
        let Some(plan) = self.store().latest_plan().await? else {
            return Err(AppError::Missing(Missing::Plan));
        };
        let now = self.now().await?;
        let start = plan.created.to_zoned(now.time_zone().clone()).date();
        let schedule = ics::Schedule {
            start,
            routine_at,
            checkin_at: Time::constant(9, 0, 0, 0),
            alarm_minutes_before: 10,
        };
        Ok(ics::calendar(&plan, &schedule, now.timestamp()))
    }

    /// Imports a backup or an entries CSV (told apart by their first line): [`parse_import`]
    /// then [`App::import`].
    pub async fn import_text(&self, text: &str) -> AppResult<Imported> {
        let parsed = parse_import(text, self.clock().now())?;
        self.import(parsed).await
    }

    /// Stores a parsed import in one transaction, after checking the user's own exercises in it
    /// against the library as this app loads it; a bad file changes nothing.
    pub async fn import(&self, parsed: Parsed) -> AppResult<Imported> {
        let (kind, backup) = match parsed {
            Parsed::EntriesCsv(entries) => {
                let summary = self.store().import_entries(&entries).await?;
                return Ok(Imported {
                    kind: ImportKind::EntriesCsv,
                    summary,
                });
            }
            Parsed::Backup(b) => (ImportKind::Backup, *b),
        };
        let mut yours = self.store().custom_exercises().await?;
        yours.retain(|m| !backup.exercises.iter().any(|p| p.id == m.id));
        yours.extend(backup.exercises.iter().cloned());
        let library = self.check_library(&yours)?;
        let current = self.catalogue().await?;
        // Sessions name exercises: each must be in the library as it will load (the file's
        // and the person's own, or a clinic's they see).
        for (i, s) in backup.sessions.iter().enumerate() {
            unknot_core::session::check_record(s, &library)
                .or_else(|_| unknot_core::session::check_record(s, &current))
                .map_err(|e| {
                    unknot_core::InputError::Inconsistent(format!(
                        "session {} (id {}): {e}",
                        i + 1,
                        s.id
                    ))
                })?;
        }
        let extras = Extras {
            exercises: backup.exercises,
            assessments: backup.assessments,
            plans: backup.plans,
            sessions: backup.sessions,
            breaks: backup.breaks,
        };
        let summary = self.store().import_backup(&backup.entries, &extras).await?;
        self.library_changed();
        Ok(Imported { kind, summary })
    }

    /// Validates the library with `yours` as the user's own exercises, without keeping it.
    pub(crate) fn check_library(
        &self,
        yours: &[unknot_core::catalogue::UserExercise],
    ) -> AppResult<Catalogue> {
        let mut layers: Vec<Layer> = self.content_layers().to_vec();
        layers.push(Layer::user(yours));
        Catalogue::load(&layers).map_err(|e| AppError::Content(e.to_string().trim_end().into()))
    }
}

/// An import file, read and checked in full, not yet stored.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A full backup.
    Backup(Box<Backup>),
    /// An entries CSV.
    EntriesCsv(Vec<unknot_core::journal::Entry>),
}

/// Reads and checks a whole import file (a backup, or an entries CSV told apart by its first
/// line) without touching any store: an edge can refuse a bad file before opening the journal.
pub fn parse_import(text: &str, now: Timestamp) -> AppResult<Parsed> {
    if looks_like_csv(text) {
        let entries = csv::read_entries(text, now).map_err(|e| {
            unknot_core::InputError::Inconsistent(format!("not a valid entries CSV: {e}"))
        })?;
        return Ok(Parsed::EntriesCsv(entries));
    }
    Ok(Parsed::Backup(Box::new(backup::parse(text, now)?)))
}

/// True when the text starts with the header of an entries CSV rather than JSON.
pub fn looks_like_csv(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    !first.trim_start().starts_with('{') && first.contains(',') && first.starts_with("id,")
}

/// Where a page of the entry list starts: the time (milliseconds since the epoch) and id of the
/// last entry on the page before. The list's order is stable (time, then id), so a cursor
/// names one place in it however entries are added or deleted around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The entry's time, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The entry's id.
    pub id: EntryId,
}

impl Cursor {
    /// The cursor just past `entry`.
    pub fn of(entry: &Entry) -> Cursor {
        Cursor {
            at_ms: entry.at.timestamp().as_millisecond(),
            id: entry.id.clone(),
        }
    }

    /// Reads a cursor as [`Cursor`]'s `Display` writes it (`MILLISECONDS.ID`).
    pub fn parse(text: &str) -> Result<Cursor, InputError> {
        let bad = || InputError::malformed("cursor", text, "expected the `next` of a page");
        let (ms, id) = text.split_once('.').ok_or_else(bad)?;
        let at_ms: i64 = ms.parse().map_err(|_| bad())?;
        Timestamp::from_millisecond(at_ms).map_err(|_| bad())?;
        let id = EntryId::new(id).map_err(|_| bad())?;
        Ok(Cursor { at_ms, id })
    }

    fn key(entry: &Entry) -> (i64, &str) {
        (entry.at.timestamp().as_millisecond(), entry.id.as_str())
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.at_ms, self.id)
    }
}

/// One page of the entry list, newest first.
#[derive(Debug, Clone)]
pub struct EntriesPage {
    /// The entries, newest first (by time, then id).
    pub entries: Vec<Entry>,
    /// Where the next (older) page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl App {
    /// Up to `limit` entries matching `filter`, newest first, strictly older than `before` in
    /// the list's order (time, then id), and the cursor of the next page when there is one.
    pub async fn entries_page(
        &self,
        filter: &Filter,
        limit: usize,
        before: Option<Cursor>,
    ) -> AppResult<EntriesPage> {
        let limit = limit.max(1);
        let mut found = match &before {
            None => self.history(filter, Some(limit + 1)).await?.entries,
            Some(c) => self.entries_before(filter, c, limit + 1).await?,
        };
        let more = found.len() > limit;
        if more {
            found.drain(..found.len() - limit);
        }
        found.reverse();
        let next = if more {
            found.last().map(Cursor::of)
        } else {
            None
        };
        Ok(EntriesPage {
            entries: found,
            next,
        })
    }

    /// The last `n` entries (oldest first) matching `filter` that come before `c`: those at
    /// earlier milliseconds, and those at the same millisecond with a smaller id.
    async fn entries_before(&self, filter: &Filter, c: &Cursor, n: usize) -> AppResult<Vec<Entry>> {
        let at = Timestamp::from_millisecond(c.at_ms).map_err(AppError::internal)?;
        let inside = filter.since.is_none_or(|s| at >= s) && filter.until.is_none_or(|u| at <= u);
        let mut older = Filter {
            since: filter.since,
            until: Some(filter.until.map_or(at, |u| u.min(at))),
            regions: filter.regions.clone(),
        };
        older.until = older
            .until
            .and_then(|u| u.checked_sub(jiff::SignedDuration::from_millis(1)).ok());
        let mut out = if older.since.zip(older.until).is_some_and(|(s, u)| s > u) {
            Vec::new()
        } else {
            self.history(&older, Some(n)).await?.entries
        };
        if inside {
            let same = self
                .store()
                .list_entries(EntryRange {
                    since: Some(at),
                    until: Some(at),
                    last: None,
                })
                .await?;
            out.extend(same.into_iter().filter(|e| {
                Cursor::key(e) < (c.at_ms, c.id.as_str())
                    && (filter.regions.is_empty() || filter.regions.iter().any(|r| e.touches(*r)))
            }));
        }
        out.sort_by(|a, b| Cursor::key(a).cmp(&Cursor::key(b)));
        if out.len() > n {
            out.drain(..out.len() - n);
        }
        Ok(out)
    }
}
