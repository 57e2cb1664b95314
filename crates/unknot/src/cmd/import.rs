//! `unknot import`: a backup or an entries CSV, checked whole first, then written in one
//! transaction.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use unknot_app::data::ImportKind;

use crate::app::DataOptions;
use crate::exit::usage;
use crate::output;

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

/// `unknot import`.
pub async fn run(data: &DataOptions, args: ImportArgs) -> Result<()> {
    let text = read(&args.file)?;
    let not_imported = || format!("{} was not imported", args.file.display());
    // Read and checked whole before the journal is even opened.
    let now = data.clock().now();
    let parsed = unknot_app::data::parse_import(&text, now).with_context(not_imported)?;
    let app = data.app().await?;
    let imported = app.import(parsed).await.with_context(not_imported)?;
    app.close().await;
    if args.json {
        return output::json(&imported.summary);
    }
    let s = imported.summary;
    match imported.kind {
        ImportKind::Backup => println!(
            "Imported {}: {} new, {} updated, {} already there; {} assessments, plans and sessions added.",
            args.file.display(),
            s.added,
            s.updated,
            s.unchanged,
            s.records
        ),
        ImportKind::EntriesCsv => println!(
            "Imported {}: {} new, {} updated, {} already there.",
            args.file.display(),
            s.added,
            s.updated,
            s.unchanged
        ),
    }
    Ok(())
}

/// The file's text (or standard input's, for `-`), read up to the import limit.
fn read(file: &PathBuf) -> Result<String> {
    let limit = unknot_app::data::MAX_IMPORT_BYTES;
    let mut bytes = Vec::new();
    let read = if file.as_os_str() == "-" {
        std::io::stdin().take(limit + 1).read_to_end(&mut bytes)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => f.take(limit + 1).read_to_end(&mut bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(usage(format!("no such file: {}", file.display())));
            }
            Err(e) => Err(e),
        }
    };
    read.with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.len() as u64 > limit {
        return Err(usage(format!(
            "{} is larger than {} MiB, more than any unknot backup; is it the right file?",
            file.display(),
            limit / 1024 / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        usage(format!(
            "{} is not a text file (expected a JSON backup or an entries CSV)",
            file.display()
        ))
    })
}
