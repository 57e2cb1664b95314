//! The flags every journal field has, shared by `unknot log` and `unknot edit`, with the list
//! of accepted ids shown under `--help`.

use anyhow::Result;
use clap::Args;
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::journal::{Activity, Entry, Knot, PainKind, Professional, RegionPain};
use unknot_core::score::Score;
use unknot_core::when;

/// Lists every id a flag accepts, shown under `--help`.
pub fn vocabulary() -> String {
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

pub fn id<T: std::str::FromStr<Err = unknot_core::InputError>>(s: &str) -> Result<T, String> {
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
    #[arg(long, allow_negative_numbers = true, value_name = "0-10", value_parser = score("pain"))]
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
    #[arg(long, allow_negative_numbers = true, value_name = "HOURS", value_parser = hours)]
    pub sitting: Option<f64>,

    /// Stress today, from 0 (none) to 10 (overwhelming).
    #[arg(long, allow_negative_numbers = true, value_name = "0-10", value_parser = score("stress"))]
    pub stress: Option<Score>,

    /// Last night's sleep, from 0 (very poor) to 10 (excellent).
    #[arg(long, allow_negative_numbers = true, value_name = "0-10", value_parser = score("sleep"))]
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
    #[arg(long, allow_negative_numbers = true, value_name = "MINUTES", value_parser = minutes)]
    pub heat: Option<u16>,

    /// Minutes of cold (an ice pack wrapped in cloth).
    #[arg(long, allow_negative_numbers = true, value_name = "MINUTES", value_parser = minutes)]
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
    /// True when no field was given.
    pub fn is_empty(&self) -> bool {
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
    pub fn apply(self, entry: &mut Entry, now: &jiff::Zoned) -> Result<()> {
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
