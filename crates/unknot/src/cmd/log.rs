//! `unknot log`: records one entry, from flags or, with none on a terminal, from prompts.

use anyhow::Result;
use clap::Args;
use unknot_core::journal::{Entry, EntryId};

use super::entry_fields::{EntryFields, vocabulary};
use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::{form, output};

/// Arguments of `unknot log`.
#[derive(Debug, Args)]
#[command(after_long_help = vocabulary())]
#[command(
    after_help = "Example:  unknot log --pain 6 --region lower-back=7 --knot rhomboids:left:7 \
                        --activity desk-work --note \"stiff after the meeting\""
)]
pub struct LogArgs {
    #[command(flatten)]
    pub fields: EntryFields,

    /// Print the stored entry as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot log`.
pub async fn run(data: &DataOptions, args: LogArgs) -> Result<()> {
    if args.fields.is_empty() && !app::interactive() {
        return Err(usage(
            "nothing to log: give at least --pain, --region, --knot or --note (see unknot log --help)",
        ));
    }
    if !args.fields.is_empty() {
        // Refused flags leave the journal untouched: checked before it is opened.
        let now = data.clock().now().to_zoned(unknot_app::system_zone());
        let mut probe = Entry::new(EntryId::new("unsaved")?, now.clone());
        args.fields.clone().apply(&mut probe, &now)?;
        probe.check(now.timestamp())?;
    }
    let app = data.app().await?;
    let mut entry = app.new_entry().await?;
    let now = entry.at.clone();
    if args.fields.is_empty() {
        entry = form::entry(entry, &now)?;
    } else {
        args.fields.apply(&mut entry, &now)?;
    }
    let entry = app.log(entry).await?;
    app.close().await;
    if args.json {
        output::json(&entry)
    } else {
        println!(
            "Logged {} ({}).",
            entry.id.short(),
            output::describe(&entry)
        );
        Ok(())
    }
}
