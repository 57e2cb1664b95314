//! `unknot history`: journal entries as a table, JSON or CSV.

use anyhow::Result;
use clap::Args;
use unknot_app::journal::Filter;
use unknot_core::body::Region;
use unknot_core::when;

use super::entry_fields::{id, vocabulary};
use crate::app::DataOptions;
use crate::output;

/// Arguments of `unknot history`.
#[derive(Debug, Args)]
#[command(after_long_help = vocabulary())]
pub struct HistoryArgs {
    /// Only entries from this time on, e.g. 2026-03-01 or '2 weeks ago'.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// Only entries up to this time (a date includes that whole day).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Only entries that touch this region (rated there, or a knot there or spreading there).
    /// Repeat for several.
    #[arg(long = "region", value_name = "REGION", value_parser = id::<Region>)]
    pub regions: Vec<Region>,

    /// Show at most the latest N entries (default: every entry a filter matches; without a
    /// filter, the latest 30 in the table and all with --json or --csv).
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub last: Option<u32>,

    /// Show every matching entry in the table.
    #[arg(long, conflicts_with = "last")]
    pub all: bool,

    /// Print JSON (the same entry format as the backup).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// Print CSV for spreadsheets, with a header row.
    #[arg(long)]
    pub csv: bool,
}

/// `unknot history`.
pub async fn run(data: &DataOptions, args: HistoryArgs) -> Result<()> {
    let app = data.app().await?;
    let now = app.now().await?;
    let (since, until) = when::parse_period(args.since.as_deref(), args.until.as_deref(), &now)?;
    let filtered = since.is_some() || until.is_some() || !args.regions.is_empty();
    let machine = args.json || args.csv;
    // A filter shows everything it matches; the bare table shows the latest 30.
    let last = match (args.last, args.all || machine || filtered) {
        (Some(n), _) => Some(n as usize),
        (None, true) => None,
        (None, false) => Some(30),
    };
    let filter = Filter {
        since,
        until,
        regions: args.regions.clone(),
    };
    let page = app.history(&filter, last).await?;
    app.close().await;
    if args.json {
        output::json(&page.entries)
    } else if args.csv {
        let mut out = std::io::stdout().lock();
        unknot_export::csv::write_entries(&page.entries, &mut out)?;
        Ok(())
    } else {
        output::history_table(&page, filtered);
        Ok(())
    }
}
