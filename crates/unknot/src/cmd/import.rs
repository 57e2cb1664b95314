//! `unknot import`: a backup or an entries CSV, checked whole first, then written in one
//! transaction.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use unknot_app::data::ImportKind;

use crate::app::DataOptions;
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
fn read(file: &std::path::Path) -> Result<String> {
    crate::files::read_text(file, unknot_app::data::MAX_IMPORT_BYTES)
}
