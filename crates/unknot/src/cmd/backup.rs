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
    /// Journal entries as CSV for spreadsheets.
    Csv,
}

/// Arguments of `unknot export`.
#[derive(Debug, Args)]
#[command(after_help = "Example:  unknot export --format json --out unknot-backup.json")]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,

    /// Write to this file instead of standard output. The file appears whole or not at all.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `unknot export`.
pub async fn export(data: &DataOptions, args: ExportArgs) -> Result<()> {
    let store = data.open().await?;
    let full = store.backup().await?;
    store.close().await;
    let bytes = match args.format {
        Format::Json => backup::render(&full).into_bytes(),
        Format::Csv => {
            let mut buf = Vec::new();
            unknot_export::csv::write_entries(&full.entries, &mut buf)?;
            buf
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
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
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
    /// A backup written by `unknot export --format json` (or - for standard input).
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
