//! `log`, `history`, `edit` and `delete`: writing and reading the journal.

use anyhow::Result;
use clap::{Args, ValueEnum};
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::journal::{Activity, Entry, EntryId, Knot, PainKind, Professional, RegionPain};
use unknot_core::score::Score;
use unknot_core::when;
use unknot_store::EntryRange;

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::{form, output};

/// Lists every id a flag accepts, shown under `--help`.
fn vocabulary() -> String {
    fn line(name: &str, ids: impl Iterator<Item = &'static str>) -> String {
        format!("  {name}: {}\n", ids.collect::<Vec<_>>().join(", "))
    }
    let mut out = String::from("Accepted values:\n");
    out += &line("regions", Region::ids());
    out += &line("muscles", Muscle::ids());
    out += &line("sides", Side::ids());
    out += &line("kinds of pain", PainKind::ids());
    out += &line("activities", Activity::ids());
    out += &line("professionals", Professional::ids());
    out += "\nTimes (--at, --since, --until): now, 14:30, yesterday 18:00, 2026-03-01, \
            2026-03-01 08:15, '3 days ago', or an RFC 3339 time.\n\n\
            This journal is a record, not a diagnosis. Numbness between the legs, new bladder or \
            bowel trouble, or leg weakness that is getting worse need emergency care now.";
    out
}

fn score(field: &'static str) -> impl Fn(&str) -> Result<Score, String> + Clone {
    move |s| Score::parse(s, field).map_err(|e| e.to_string())
}

fn id<T: std::str::FromStr<Err = unknot_core::InputError>>(s: &str) -> Result<T, String> {
    s.parse()
        .map_err(|e: unknot_core::InputError| e.to_string())
}

fn hours(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(h) if (0.0..=24.0).contains(&h) => Ok(h),
        _ => Err(format!("hours must be a number from 0 to 24, got {s}")),
    }
}

fn minutes(s: &str) -> Result<u16, String> {
    let max = unknot_core::journal::MAX_THERAPY_MINUTES;
    match s.trim().parse::<u16>() {
        Ok(m) if (1..=max).contains(&m) => Ok(m),
        _ => Err(format!(
            "minutes must be a whole number from 1 to {max}, got {s}"
        )),
    }
}

/// Everything an entry can hold, as flags. Shared by `log` and `edit`.
#[derive(Debug, Clone, Default, Args)]
pub struct EntryFields {
    /// Overall pain now, from 0 (none) to 10 (worst you can imagine).
    #[arg(long, value_name = "0-10", value_parser = score("pain"))]
    pub pain: Option<Score>,

    /// Pain in one region as REGION=PAIN, e.g. lower-back=7. Repeat for more regions.
    #[arg(long = "region", value_name = "REGION=PAIN", value_parser = |s: &str| RegionPain::parse(s).map_err(|e| e.to_string()))]
    pub regions: Vec<RegionPain>,

    /// A knot as MUSCLE:SIDE:TENDERNESS, optionally with where its pain spreads, e.g.
    /// rhomboids:left:7 or upper-trapezius:right:8:neck,arm. Repeat for more knots.
    #[arg(long = "knot", value_name = "MUSCLE:SIDE:0-10[:REGIONS]", value_parser = |s: &str| Knot::parse(s).map_err(|e| e.to_string()))]
    pub knots: Vec<Knot>,

    /// How the pain feels: aching, sharp, burning, tingling, numbness, shooting, stiffness.
    #[arg(long = "kind", value_name = "KIND", value_delimiter = ',', value_parser = id::<PainKind>)]
    pub kinds: Vec<PainKind>,

    /// Hours spent sitting today so far, e.g. 6.5.
    #[arg(long, value_name = "HOURS", value_parser = hours)]
    pub sitting: Option<f64>,

    /// Stress today, from 0 (none) to 10 (overwhelming).
    #[arg(long, value_name = "0-10", value_parser = score("stress"))]
    pub stress: Option<Score>,

    /// Last night's sleep, from 0 (very poor) to 10 (excellent).
    #[arg(long, value_name = "0-10", value_parser = score("sleep"))]
    pub sleep: Option<Score>,

    /// What you did since the last entry, e.g. desk-work,driving. Repeat or separate with commas.
    #[arg(long = "activity", value_name = "ACTIVITY", value_delimiter = ',', value_parser = id::<Activity>)]
    pub activities: Vec<Activity>,

    /// You stretched.
    #[arg(long)]
    pub stretching: bool,

    /// You did strengthening exercise.
    #[arg(long)]
    pub strengthening: bool,

    /// Minutes of heat (a heat pack or hot water bottle).
    #[arg(long, value_name = "MINUTES", value_parser = minutes)]
    pub heat: Option<u16>,

    /// Minutes of cold (an ice pack wrapped in cloth).
    #[arg(long, value_name = "MINUTES", value_parser = minutes)]
    pub cold: Option<u16>,

    /// You had a massage, or massaged a knot yourself.
    #[arg(long)]
    pub massage: bool,

    /// You used a foam roller.
    #[arg(long)]
    pub foam_rolling: bool,

    /// A medicine you took, by the name you know it by (no doses: follow the label and ask a
    /// pharmacist or doctor). Repeat for more.
    #[arg(long = "medication", value_name = "NAME")]
    pub medications: Vec<String>,

    /// A professional you saw: physiotherapist, massage-therapist, chiropractor, osteopath,
    /// acupuncturist, doctor.
    #[arg(long = "visit", value_name = "WHO", value_delimiter = ',', value_parser = id::<Professional>)]
    pub visits: Vec<Professional>,

    /// A note in your own words.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// When you felt this, if not now: e.g. 08:30, 'yesterday 18:00', 2026-03-01.
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
}

impl EntryFields {
    fn is_empty(&self) -> bool {
        self.pain.is_none()
            && self.regions.is_empty()
            && self.knots.is_empty()
            && self.kinds.is_empty()
            && self.sitting.is_none()
            && self.stress.is_none()
            && self.sleep.is_none()
            && self.activities.is_empty()
            && !self.stretching
            && !self.strengthening
            && self.heat.is_none()
            && self.cold.is_none()
            && !self.massage
            && !self.foam_rolling
            && self.medications.is_empty()
            && self.visits.is_empty()
            && self.note.is_none()
            && self.at.is_none()
    }

    /// Writes every given field into `entry`; lists given on the command line replace the
    /// entry's list.
    fn apply(self, entry: &mut Entry, now: &jiff::Zoned) -> Result<()> {
        if let Some(at) = &self.at {
            entry.at = when::parse_moment(at, "--at", now)?;
        }
        if self.pain.is_some() {
            entry.pain = self.pain;
        }
        if !self.regions.is_empty() {
            entry.regions = self.regions;
        }
        if !self.knots.is_empty() {
            entry.knots = self.knots;
        }
        if !self.kinds.is_empty() {
            entry.pain_kinds = self.kinds;
        }
        let ctx = &mut entry.context;
        ctx.sitting_hours = self.sitting.or(ctx.sitting_hours);
        ctx.stress = self.stress.or(ctx.stress);
        ctx.sleep_quality = self.sleep.or(ctx.sleep_quality);
        if !self.activities.is_empty() {
            ctx.activities = self.activities;
        }
        let t = &mut entry.treatments;
        t.stretching |= self.stretching;
        t.strengthening |= self.strengthening;
        t.massage |= self.massage;
        t.foam_rolling |= self.foam_rolling;
        t.heat_minutes = self.heat.or(t.heat_minutes);
        t.cold_minutes = self.cold.or(t.cold_minutes);
        if !self.medications.is_empty() {
            t.medications = self
                .medications
                .into_iter()
                .map(|m| m.trim().to_string())
                .collect();
        }
        if !self.visits.is_empty() {
            t.visits = self.visits;
        }
        if let Some(note) = self.note {
            entry.note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
        }
        Ok(())
    }
}

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

/// `unknot log`: records one entry, from flags or, with none on a terminal, from prompts.
pub async fn log(data: &DataOptions, args: LogArgs) -> Result<()> {
    let now = app::now();
    let mut entry = Entry::new(EntryId::new(unknot_store::new_id())?, now.clone());
    if args.fields.is_empty() {
        if !app::interactive() {
            return Err(usage(
                "nothing to log: give at least --pain, --region, --knot or --note (see unknot log --help)",
            ));
        }
        entry = form::entry(entry, &now)?;
    } else {
        args.fields.apply(&mut entry, &now)?;
    }
    entry.check(now.timestamp())?;
    let store = data.open().await?;
    store.insert_entry(&entry).await?;
    store.close().await;
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

    /// Show at most the latest N entries (default: 30 in the table, all with --json or --csv).
    #[arg(long, value_name = "N")]
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
pub async fn history(data: &DataOptions, args: HistoryArgs) -> Result<()> {
    let now = app::now();
    let (since, until) = when::parse_period(args.since.as_deref(), args.until.as_deref(), &now)?;
    let machine = args.json || args.csv;
    let last = match (args.last, args.all || machine) {
        (Some(n), _) => Some(n),
        (None, true) => None,
        (None, false) => Some(30),
    };
    let store = data.open().await?;
    // With a region filter the limit applies after filtering, so load the whole window.
    let range = EntryRange {
        since,
        until,
        last: if args.regions.is_empty() { last } else { None },
    };
    let mut entries = store.list_entries(range).await?;
    let total = store.count_entries().await?;
    store.close().await;
    if !args.regions.is_empty() {
        entries.retain(|e| args.regions.iter().any(|r| e.touches(*r)));
        if let Some(n) = last {
            let n = n as usize;
            if entries.len() > n {
                entries.drain(..entries.len() - n);
            }
        }
    }
    if args.json {
        output::json(&entries)
    } else if args.csv {
        let mut out = std::io::stdout().lock();
        unknot_export::csv::write_entries(&entries, &mut out)?;
        Ok(())
    } else {
        output::history_table(&entries, total);
        Ok(())
    }
}

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

/// `unknot edit`: changes the given fields, or with none on a terminal, asks with the current
/// values filled in.
pub async fn edit(data: &DataOptions, args: EditArgs) -> Result<()> {
    let now = app::now();
    let store = data.open().await?;
    let mut entry = store.find_entry(&args.id).await?;
    if args.fields.is_empty() && args.clear.is_empty() {
        if !app::interactive() {
            return Err(usage(format!(
                "nothing to change in {}: give the fields to change, e.g. --pain 4 (see unknot edit --help)",
                args.id
            )));
        }
        entry = form::entry(entry, &now)?;
    } else {
        for field in &args.clear {
            clear(&mut entry, *field);
        }
        args.fields.apply(&mut entry, &now)?;
    }
    entry.check(now.timestamp())?;
    store.update_entry(&entry).await?;
    store.close().await;
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
pub async fn delete(data: &DataOptions, args: DeleteArgs) -> Result<()> {
    let store = data.open().await?;
    let entry = store.find_entry(&args.id).await?;
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
    store.delete_entry(&entry.id).await?;
    store.close().await;
    if args.json {
        output::json(&entry)
    } else {
        println!("Deleted {}.", entry.id.short());
        Ok(())
    }
}
