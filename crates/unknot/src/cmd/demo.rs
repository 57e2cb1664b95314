//! `unknot demo`: fills an empty journal with made-up but lifelike entries, so a newcomer has
//! something to look at and the benchmarks have years of data to chew on.
//!
//! The story it tells: a desk worker whose back flares up now and then, worse after heavy
//! lifting days, with knots in the usual places. A seed makes it repeatable.

use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::{Time, Weekday};
use jiff::{ToSpan, Zoned};
use unknot_core::body::{Muscle, Region, Side};
use unknot_core::journal::{Activity, Entry, EntryId, Knot, PainKind, RegionPain};
use unknot_core::score::Score;

use unknot_app::Clock;

use crate::app::DataOptions;
use crate::exit::usage;

/// Arguments of `unknot demo`.
#[derive(Debug, Args)]
#[command(after_help = "Example:  UNKNOT_DATA_DIR=/tmp/unknot-demo unknot demo --years 5")]
pub struct DemoArgs {
    /// How many years of entries to make, ending today.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub years: u16,

    /// Entries per day.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=12))]
    pub per_day: u8,

    /// Seed for the made-up data (the same seed gives the same journal).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,

    /// Add to a journal that already has entries (normally refused, to keep real journals clean).
    #[arg(long)]
    pub add: bool,
}

/// `unknot demo`.
pub async fn run(data: &DataOptions, args: DemoArgs) -> Result<()> {
    let app = data.app().await?;
    let now = app.now().await?;
    let existing = app.entry_count().await?;
    if existing > 0 && !args.add {
        return Err(usage(format!(
            "the journal already holds {existing} entries; demo data would mix with them. \
             Use an empty --data-dir, or pass --add"
        )));
    }
    let days = i64::from(args.years) * 365;
    let total = days as u64 * u64::from(args.per_day);
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} entries, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("making demo entries");

    let mut story = Story::new(args.seed);
    let mut batch = Vec::with_capacity(4096);
    let first_day = now.date().checked_sub((days - 1).days())?;
    for offset in 0..days {
        let day = first_day.checked_add(offset.days())?;
        story.next_day(day.weekday());
        for slot in 0..args.per_day {
            let at = story.time_of(day, slot, args.per_day, &now)?;
            if at.timestamp() > now.timestamp() {
                continue;
            }
            let entry = story.entry(EntryId::new(app.new_id())?, at, slot, args.per_day)?;
            batch.push(entry);
        }
        if batch.len() >= 4000 {
            app.log_many(&batch).await?;
            bar.inc(batch.len() as u64);
            batch.clear();
        }
    }
    app.log_many(&batch).await?;
    bar.inc(batch.len() as u64);
    bar.set_message("playing the coach's weeks");
    // The coach's twelve weeks, on a clock stepped through them. Each session writes a journal
    // entry of its own, so the journal is counted after them: the sum said is what `history`
    // then shows.
    let clock = Clock::fixed(now.timestamp());
    let coach = app.with_clock(clock.clone());
    super::demo_coach::play(&coach, &clock, &now, args.seed).await?;
    let count = app.entry_count().await?;
    bar.finish_and_clear();
    app.close().await;
    println!(
        "Added {} over {}, and {} weeks of the coach: a safety check, a plan, sessions (some \
         only in part) and weekly check-ins. Try: unknot today, unknot trends, or unknot serve \
         --open",
        unknot_core::words::count(count - existing, "journal entry", "journal entries"),
        unknot_core::words::count(args.years, "year", "years"),
        super::demo_coach::WEEKS_AGO
    );
    Ok(())
}

/// The made-up person's state from day to day.
struct Story {
    rng: fastrand::Rng,
    baseline: f64,
    flare_days: u32,
    lifted_yesterday: bool,
    today: Vec<Activity>,
    lifting_today: bool,
}

impl Story {
    fn new(seed: u64) -> Story {
        Story {
            rng: fastrand::Rng::with_seed(seed),
            baseline: 3.0,
            flare_days: 0,
            lifted_yesterday: false,
            today: Vec::new(),
            lifting_today: false,
        }
    }

    fn next_day(&mut self, weekday: Weekday) {
        self.lifted_yesterday = self.lifting_today;
        let workday = !matches!(weekday, Weekday::Saturday | Weekday::Sunday);
        self.lifting_today =
            matches!(weekday, Weekday::Monday | Weekday::Thursday) && self.rng.f64() < 0.8;
        self.today.clear();
        if workday {
            self.today.push(Activity::DeskWork);
        }
        if self.lifting_today {
            self.today.push(Activity::Weightlifting);
        }
        if weekday == Weekday::Saturday && self.rng.f64() < 0.7 {
            self.today.push(Activity::Running);
        }
        if self.rng.f64() < 0.25 {
            self.today.push(Activity::Driving);
        }
        if self.rng.f64() < 0.5 {
            self.today.push(Activity::Walking);
        }
        // A slow drift, with a flare-up now and then, more likely after heavy lifting.
        self.baseline = (self.baseline + (self.rng.f64() - 0.5) * 0.4).clamp(1.5, 5.0);
        let flare_chance = if self.lifted_yesterday { 0.12 } else { 0.015 };
        if self.flare_days == 0 && self.rng.f64() < flare_chance {
            self.flare_days = 2 + self.rng.u32(0..6);
        } else if self.flare_days > 0 {
            self.flare_days -= 1;
        }
    }

    fn time_of(
        &mut self,
        day: jiff::civil::Date,
        slot: u8,
        per_day: u8,
        now: &Zoned,
    ) -> Result<Zoned> {
        // Spread entries from 07:30 to 22:00, with a little jitter.
        let span_minutes = 14 * 60 + 30;
        let base = 7 * 60 + 30 + i64::from(slot) * span_minutes / i64::from(per_day.max(1));
        let minute = (base + i64::from(self.rng.u8(0..20))).min(23 * 60 + 59);
        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0)?;
        Ok(day.to_datetime(time).to_zoned(now.time_zone().clone())?)
    }

    fn entry(&mut self, id: EntryId, at: Zoned, slot: u8, per_day: u8) -> Result<Entry> {
        let flare = if self.flare_days > 0 { 3.0 } else { 0.0 };
        let evening = slot + 1 == per_day;
        let mut pain = self.baseline + flare + (self.rng.f64() - 0.5) * 2.0;
        if evening && self.today.contains(&Activity::DeskWork) {
            pain += 0.8;
        }
        let pain = pain.round().clamp(0.0, 10.0) as i64;
        let mut e = Entry::new(id, at);
        e.pain = Some(Score::new(pain, "pain")?);
        let lower = (pain + self.rng.i64(-1..=1)).clamp(0, 10);
        e.regions.push(RegionPain {
            region: Region::LowerBack,
            pain: Score::new(lower, "pain")?,
        });
        if self.rng.f64() < 0.3 {
            let neck = (pain - 1 + self.rng.i64(-1..=1)).clamp(0, 10);
            e.regions.push(RegionPain {
                region: Region::Neck,
                pain: Score::new(neck, "pain")?,
            });
        }
        if self.rng.f64() < 0.35 {
            let (muscle, side, refers) = match self.rng.u8(0..10) {
                0..=3 => (Muscle::Rhomboids, Side::Left, vec![]),
                4..=6 => (Muscle::UpperTrapezius, Side::Right, vec![Region::Neck]),
                7..=8 => (
                    Muscle::QuadratusLumborum,
                    Side::Right,
                    vec![Region::Buttocks],
                ),
                _ => (Muscle::Piriformis, Side::Left, vec![Region::Buttocks]),
            };
            let tender = (pain + 1 + self.rng.i64(-1..=1)).clamp(0, 10);
            e.knots.push(Knot {
                muscle,
                side,
                tenderness: Score::new(tender, "tenderness")?,
                refers_to: refers,
            });
        }
        e.pain_kinds.push(if slot == 0 {
            PainKind::Stiffness
        } else {
            PainKind::Aching
        });
        if slot == 0 {
            e.context.sleep_quality = Some(Score::new(self.rng.i64(3..=9), "sleep")?);
        }
        if evening {
            e.context.activities = self.today.clone();
            e.context.stress = Some(Score::new(self.rng.i64(1..=8), "stress")?);
            if self.today.contains(&Activity::DeskWork) {
                e.context.sitting_hours = Some(f64::from(self.rng.u8(10..=18)) / 2.0);
            }
            if pain >= 5 && self.rng.f64() < 0.6 {
                e.treatments.heat_minutes = Some(20);
            }
            e.treatments.stretching = self.rng.f64() < 0.5;
            e.treatments.foam_rolling = self.rng.f64() < 0.15;
        }
        if pain >= 7 && self.rng.f64() < 0.3 {
            e.note = Some("Flared up; kept moving gently.".to_string());
        }
        Ok(e)
    }
}
