//! `unknot delete`: removes an entry, after asking.

use anyhow::Result;
use clap::Args;

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::{form, output};

/// Arguments of `unknot delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry: its full id, or the short id `unknot history` shows.
    pub id: String,

    /// Delete without asking (for scripts).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print the deleted entry as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot delete`.
pub async fn run(data: &DataOptions, args: DeleteArgs) -> Result<()> {
    let app = data.app().await?;
    let entry = app.entry(&args.id).await?;
    if !args.yes {
        if !app::interactive() {
            return Err(usage(format!(
                "not deleting {} without confirmation: run it on a terminal, or pass --yes",
                args.id
            )));
        }
        let question = format!("Delete the entry of {}?", output::describe(&entry));
        if !form::confirm(&question)? {
            println!("Kept {}.", entry.id.short());
            return Ok(());
        }
    }
    let entry = app.delete(entry.id.as_str()).await?;
    app.close().await;
    if args.json {
        output::json(&entry)
    } else {
        println!("Deleted {}.", entry.id.short());
        Ok(())
    }
}
