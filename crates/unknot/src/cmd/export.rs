//! `unknot export`: the full backup, CSV files, a FHIR Bundle or a calendar of the plan.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use unknot_app::data::{CsvKind as Kind, Period};

use crate::app::DataOptions;
use crate::exit::usage;
use crate::files::write_atomically;

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
pub async fn run(data: &DataOptions, args: ExportArgs) -> Result<()> {
    let app = data.app().await?;
    let now = app.now().await?;
    let (since, until) =
        unknot_core::when::parse_period(args.since.as_deref(), args.until.as_deref(), &now)?;
    if args.format == Format::Json && (since.is_some() || until.is_some()) {
        return Err(usage(
            "a backup is always whole: --since and --until apply to csv, csv-zip and fhir",
        ));
    }
    let period = Period { since, until };
    let bytes = match args.format {
        Format::Json => unknot_core::backup::render(&app.backup().await?).into_bytes(),
        Format::Csv => app.export_csv(kind(args.kind), period).await?,
        Format::CsvZip => app.export_csv_zip(period).await?,
        Format::Fhir => app.export_fhir(period).await?,
        Format::Ics => app.export_calendar(args.at).await?.into_bytes(),
    };
    app.close().await;
    match &args.out {
        Some(path) => {
            write_atomically(path, &bytes)?;
            if args.format == Format::Json {
                data.note_backup(path, &now.timestamp());
            }
            eprintln!("Wrote {} ({} bytes).", path.display(), bytes.len());
        }
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(())
}

fn kind(k: CsvKind) -> Kind {
    match k {
        CsvKind::Entries => Kind::Entries,
        CsvKind::Knots => Kind::Knots,
        CsvKind::Sessions => Kind::Sessions,
        CsvKind::Scores => Kind::Scores,
    }
}
