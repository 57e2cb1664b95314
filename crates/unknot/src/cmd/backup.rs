//! `unknot export` and `unknot import`: the full, versioned backup.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use unknot_core::backup;

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::output;

/// What `unknot export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The full backup that `unknot import` reads back.
    Json,
    /// One CSV file for spreadsheets (choose which with --kind).
    Csv,
    /// A zip of every CSV file (entries, knots, sessions, scores).
    CsvZip,
    /// A FHIR R4 Bundle for clinical software (pain and PEG observations, check-ins, the plan).
    Fhir,
    /// An iCalendar file of the plan: the daily routine and the weekly check-in, with alarms.
    Ics,
}

/// Which CSV file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvKind {
    /// One row per journal entry (`unknot import` reads it back).
    Entries,
    /// One row per knot.
    Knots,
    /// One row per guided session.
    Sessions,
    /// One row per assessment or check-in, with its scores.
    Scores,
}

/// Arguments of `unknot export`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot export --format json --out unknot-backup.json\n  \
    unknot export --format csv --kind knots --since 2026-01-01\n  \
    unknot export --format csv-zip --out unknot-csv.zip\n  \
    unknot export --format fhir --out unknot-fhir.json\n  \
    unknot export --format ics --at 18:30 --out unknot-plan.ics"
)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,

    /// Which CSV file (with --format csv).
    #[arg(long, value_enum, default_value_t = CsvKind::Entries)]
    pub kind: CsvKind,

    /// Only records from this time on (CSV and FHIR), e.g. 2026-03-01 or '3 months ago'.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// Only records up to this time (a date includes that whole day).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Time of day for the routine in the calendar (with --format ics).
    #[arg(long, value_name = "HH:MM", default_value = "18:00", value_parser = clock)]
    pub at: jiff::civil::Time,

    /// Write to this file instead of standard output. The file appears whole or not at all.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn clock(s: &str) -> Result<jiff::civil::Time, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a time of day such as 18:30"))
}

/// `unknot export`.
pub async fn export(data: &DataOptions, args: ExportArgs) -> Result<()> {
    let now = app::now();
    let (since, until) =
        unknot_core::when::parse_period(args.since.as_deref(), args.until.as_deref(), &now)?;
    if args.format == Format::Json && (since.is_some() || until.is_some()) {
        return Err(usage(
            "a backup is always whole: --since and --until apply to csv, csv-zip and fhir",
        ));
    }
    let store = data.open().await?;
    let mut full = store.backup().await?;
    let settings = store.settings().await?;
    store.close().await;
    let within = |t: jiff::Timestamp| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u);
    if args.format != Format::Json {
        full.entries.retain(|e| within(e.at.timestamp()));
        full.sessions.retain(|s| within(s.at.timestamp()));
        full.assessments.retain(|a| within(a.at.timestamp()));
    }
    let csv = |kind: CsvKind| -> Result<Vec<u8>> {
        use unknot_export::csv as c;
        let mut buf = Vec::new();
        match kind {
            CsvKind::Entries => c::write_entries(&full.entries, &mut buf)?,
            CsvKind::Knots => c::write_knots(&full.entries, &mut buf)?,
            CsvKind::Sessions => c::write_sessions(&full.sessions, &mut buf)?,
            CsvKind::Scores => c::write_scores(&full.assessments, &mut buf)?,
        }
        Ok(buf)
    };
    let bytes = match args.format {
        Format::Json => backup::render(&full).into_bytes(),
        Format::Csv => csv(args.kind)?,
        Format::CsvZip => {
            unknot_export::csv::write_zip(&full.entries, &full.sessions, &full.assessments)?
        }
        Format::Fhir => {
            let bundle = unknot_export::fhir::bundle(
                &unknot_export::fhir::Input {
                    person: unknot_export::fhir::Person {
                        name: settings.name.clone(),
                    },
                    entries: &full.entries,
                    assessments: &full.assessments,
                    plan: full.plans.last(),
                },
                &now,
            );
            let mut text = serde_json::to_vec_pretty(&bundle)?;
            text.push(b'\n');
            text
        }
        Format::Ics => {
            let Some(plan) = full.plans.last() else {
                return Err(usage(
                    "no plan yet, so nothing to put in a calendar: run `unknot assess`, then `unknot plan`",
                ));
            };
            unknot_export::ics::calendar(
                plan,
                &unknot_export::ics::Schedule {
                    start: now.date(),
                    routine_at: args.at,
                    checkin_at: jiff::civil::Time::constant(9, 0, 0, 0),
                    alarm_minutes_before: 10,
                },
                now.timestamp(),
            )
            .into_bytes()
        }
    };
    match &args.out {
        Some(path) => {
            write_atomically(path, &bytes)?;
            eprintln!("Wrote {} ({} bytes).", path.display(), bytes.len());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

/// Writes to a temporary file beside `path`, syncs it, then renames it into place, so a crash
/// leaves either the old file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Arguments of `unknot import`.
#[derive(Debug, Args)]
#[command(
    after_help = "Entries whose id is already in the journal are replaced by the file's version.\n\
                        Nothing is written unless the whole file is valid."
)]
pub struct ImportArgs {
    /// A backup written by `unknot export --format json`, or an entries CSV written by
    /// `unknot export --format csv` (or - for standard input).
    pub file: PathBuf,

    /// Print what was imported as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot import`: validates the whole file first, then restores it in one transaction.
pub async fn import(data: &DataOptions, args: ImportArgs) -> Result<()> {
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        s
    } else {
        match std::fs::read(&args.file) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                usage(format!(
                    "{} is not a text file (expected a JSON backup)",
                    args.file.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(usage(format!("no such file: {}", args.file.display())));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", args.file.display()));
            }
        }
    };
    if looks_like_csv(&text) {
        return import_csv(data, &args, &text).await;
    }
    let parsed = backup::parse(&text, app::now().timestamp())
        .with_context(|| format!("{} was not imported", args.file.display()))?;
    let store = data.open().await?;
    if !parsed.exercises.is_empty() {
        // The exercises must validate with the library as it loads here, before anything is
        // written; ones already stored under the same id are replaced by the file's version.
        let mut yours = store.custom_exercises().await?;
        yours.retain(|m| !parsed.exercises.iter().any(|p| p.id == m.id));
        yours.extend(parsed.exercises.iter().cloned());
        let mut layers = vec![unknot_core::catalogue::builtin()];
        layers.extend(data.content_layer()?);
        layers.push(unknot_core::catalogue::Layer::user(&yours));
        unknot_core::catalogue::Catalogue::load(&layers).map_err(|e| {
            usage(format!(
                "{} was not imported: {}",
                args.file.display(),
                e.to_string().trim_end()
            ))
        })?;
    }
    let extras = backup::Extras {
        exercises: parsed.exercises,
        assessments: parsed.assessments,
        plans: parsed.plans,
        sessions: parsed.sessions,
        breaks: parsed.breaks,
    };
    let summary = store.import_backup(&parsed.entries, &extras).await?;
    store.close().await;
    if args.json {
        output::json(&summary)
    } else {
        println!(
            "Imported {}: {} new, {} updated, {} already there; {} assessments, plans and sessions added.",
            args.file.display(),
            summary.added,
            summary.updated,
            summary.unchanged,
            summary.records
        );
        Ok(())
    }
}

/// True when the text starts with the header of an entries CSV rather than JSON.
fn looks_like_csv(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    !first.trim_start().starts_with('{') && first.contains(',') && first.starts_with("id,")
}

/// Imports an entries CSV written by `unknot export --format csv`: every row is read and checked
/// first (the first bad one is named by line and field), then all are written in one
/// transaction.
async fn import_csv(data: &DataOptions, args: &ImportArgs, text: &str) -> Result<()> {
    let entries = unknot_export::csv::read_entries(text, app::now().timestamp())
        .map_err(|e| usage(format!("{} was not imported: {e}", args.file.display())))?;
    let store = data.open().await?;
    let summary = store.import_entries(&entries).await?;
    store.close().await;
    if args.json {
        output::json(&summary)
    } else {
        println!(
            "Imported {}: {} new, {} updated, {} already there.",
            args.file.display(),
            summary.added,
            summary.updated,
            summary.unchanged
        );
        Ok(())
    }
}
