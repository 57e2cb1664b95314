//! `unknot edit`: changes the given fields of an entry, or with none on a terminal, asks with
//! the current values filled in.

use anyhow::Result;
use clap::{Args, ValueEnum};
use unknot_core::journal::Entry;

use super::entry_fields::{EntryFields, vocabulary};
use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::{form, output};

/// A field `unknot edit --clear` can empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Clearable {
    /// The overall pain rating.
    Pain,
    /// Pain per region.
    Regions,
    /// Knots.
    Knots,
    /// Kinds of pain.
    Kinds,
    /// Hours sitting.
    Sitting,
    /// Stress.
    Stress,
    /// Sleep.
    Sleep,
    /// Activities.
    Activities,
    /// Stretching.
    Stretching,
    /// Strengthening.
    Strengthening,
    /// Heat minutes.
    Heat,
    /// Cold minutes.
    Cold,
    /// Massage.
    Massage,
    /// Foam rolling.
    FoamRolling,
    /// Medications.
    Medications,
    /// Professional visits.
    Visits,
    /// The note.
    Note,
}

/// Arguments of `unknot edit`.
#[derive(Debug, Args)]
#[command(after_long_help = vocabulary())]
#[command(after_help = "Example:  unknot edit 9f3a2b1c --pain 4 --clear knots")]
pub struct EditArgs {
    /// The entry: its full id, or the short id `unknot history` shows.
    pub id: String,

    #[command(flatten)]
    pub fields: EntryFields,

    /// Empty a field. Repeat or separate with commas, e.g. --clear knots,note.
    #[arg(long, value_name = "FIELD", value_delimiter = ',')]
    pub clear: Vec<Clearable>,

    /// Print the changed entry as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot edit`.
pub async fn run(data: &DataOptions, args: EditArgs) -> Result<()> {
    let nothing = args.fields.is_empty() && args.clear.is_empty();
    if nothing && !app::interactive() {
        return Err(usage(format!(
            "nothing to change in {}: give the fields to change, e.g. --pain 4 (see unknot edit --help)",
            args.id
        )));
    }
    let app = data.app().await?;
    let now = app.now().await?;
    let mut changed = app.entry(&args.id).await?;
    if nothing {
        changed = form::entry(changed, &now)?;
    } else {
        for field in &args.clear {
            clear(&mut changed, *field);
        }
        args.fields.apply(&mut changed, &now)?;
    }
    let id = changed.id.clone();
    let entry = app
        .edit(id.as_str(), |e| {
            *e = changed;
            Ok(())
        })
        .await?;
    app.close().await;
    if args.json {
        output::json(&entry)
    } else {
        println!(
            "Changed {} ({}).",
            entry.id.short(),
            output::describe(&entry)
        );
        Ok(())
    }
}

fn clear(entry: &mut Entry, field: Clearable) {
    let (c, t) = (&mut entry.context, &mut entry.treatments);
    match field {
        Clearable::Pain => entry.pain = None,
        Clearable::Regions => entry.regions.clear(),
        Clearable::Knots => entry.knots.clear(),
        Clearable::Kinds => entry.pain_kinds.clear(),
        Clearable::Sitting => c.sitting_hours = None,
        Clearable::Stress => c.stress = None,
        Clearable::Sleep => c.sleep_quality = None,
        Clearable::Activities => c.activities.clear(),
        Clearable::Stretching => t.stretching = false,
        Clearable::Strengthening => t.strengthening = false,
        Clearable::Heat => t.heat_minutes = None,
        Clearable::Cold => t.cold_minutes = None,
        Clearable::Massage => t.massage = false,
        Clearable::FoamRolling => t.foam_rolling = false,
        Clearable::Medications => t.medications.clear(),
        Clearable::Visits => t.visits.clear(),
        Clearable::Note => entry.note = None,
    }
}
