//! `unknot therapy cold|heat|contrast`: a timed session within the hard limits, recorded in the
//! journal.
//!
//! The limits come from core (`check_minutes`), so this timer cannot be talked past them: a cold
//! session over 20 minutes or a heat session over 30 is refused with exit code 2 before anything
//! starts.

use std::time::Duration;

use anyhow::Result;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::ToSpan;
use unknot_core::body::Region;
use unknot_core::catalogue::{COLD_MIN_GAP_MINUTES, TherapyKind, check_minutes};
use unknot_core::journal::{Entry, EntryId};
use unknot_store::EntryRange;

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::form;
use crate::term::Style;

/// Which therapy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A wrapped cold pack (15 minutes by default, never over 20).
    Cold,
    /// A heat pack (20 minutes by default, never over 30).
    Heat,
    /// Alternating heat and cold rounds, ending on cold.
    Contrast,
}

fn region(s: &str) -> Result<Region, String> {
    s.parse()
        .map_err(|e: unknot_core::InputError| e.to_string())
}

/// Arguments of `unknot therapy`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot therapy heat --region lower-back\n  unknot therapy cold --minutes 10\n  \
                        unknot therapy contrast\n\nLimits: cold at most 20 minutes, with an hour between sessions; \
                        heat at most 30 minutes. Always with a cloth or towel between pack and skin."
)]
pub struct TherapyArgs {
    /// Cold, heat or contrast.
    #[arg(value_enum)]
    pub kind: Kind,

    /// Minutes (cold: 15 by default, at most 20; heat: 20 by default, at most 30).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=600))]
    pub minutes: Option<u16>,

    /// Where the pack goes (recorded in the journal).
    #[arg(long, value_parser = region)]
    pub region: Option<Region>,

    /// Confirm there is a cloth or towel between the pack and your skin (needed when not
    /// asked on a terminal).
    #[arg(long)]
    pub barrier: bool,

    /// Demo option: run the timer this many times faster (1 = real time).
    #[arg(long, default_value_t = 1.0, value_parser = speed)]
    pub speed: f64,

    /// No terminal bell at the start and end of each phase.
    #[arg(long)]
    pub quiet: bool,
}

fn speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (1.0..=10_000.0).contains(&v) => Ok(v),
        _ => Err(format!("speed must be a number from 1 to 10000, got {s}")),
    }
}

/// `unknot therapy`.
pub async fn run(data: &DataOptions, args: TherapyArgs) -> Result<()> {
    let store = data.open().await?;
    let catalogue = data.catalogue(Some(&store)).await?;
    let t = catalogue.therapies();
    let phases: Vec<(TherapyKind, u16)> = match args.kind {
        Kind::Cold => vec![(
            TherapyKind::Cold,
            args.minutes.unwrap_or(t.cold.default_minutes),
        )],
        Kind::Heat => vec![(
            TherapyKind::Heat,
            args.minutes.unwrap_or(t.heat.default_minutes),
        )],
        Kind::Contrast => {
            if args.minutes.is_some() {
                return Err(usage(
                    "contrast runs fixed rounds; --minutes does not apply to it",
                ));
            }
            t.contrast.phases()
        }
    };
    // The hard limits, before anything starts.
    for (kind, minutes) in &phases {
        check_minutes(*kind, *minutes).map_err(|e| usage(e.to_string()))?;
    }
    let s = Style::detect();
    let (protocol_name, barrier, stop_if) = match args.kind {
        Kind::Cold => (&t.cold.name, t.cold.barrier.as_str(), &t.cold.stop_if),
        Kind::Heat => (&t.heat.name, t.heat.barrier.as_str(), &t.heat.stop_if),
        Kind::Contrast => (
            &t.contrast.name,
            "a cloth around the cold pack and a towel around the warm one",
            &t.contrast.stop_if,
        ),
    };
    if !args.barrier {
        if !app::interactive() {
            return Err(usage(format!(
                "confirm the barrier first: put {barrier}, then run again with --barrier"
            )));
        }
        if !form::confirm(&format!("Is there {barrier}?"))? {
            println!("Put {barrier} first, then start again.");
            return Ok(());
        }
    }
    let now = app::now();
    if phases.iter().any(|(k, _)| *k == TherapyKind::Cold) {
        let since = now
            .checked_sub(i64::from(COLD_MIN_GAP_MINUTES + 30).minutes())?
            .timestamp();
        let recent = store
            .list_entries(EntryRange {
                since: Some(since),
                ..Default::default()
            })
            .await?;
        let last_cold_end = recent
            .iter()
            .filter_map(|e| e.treatments.cold_minutes.map(|_| e.at.timestamp()))
            .max();
        if let Some(end) = last_cold_end {
            let gap = (now.timestamp().as_second() - end.as_second()) / 60;
            if gap < i64::from(COLD_MIN_GAP_MINUTES) {
                eprintln!(
                    "{}",
                    s.bold(&format!(
                        "Warning: your last cold session ended {gap} minutes ago. Leave at least {COLD_MIN_GAP_MINUTES} minutes between cold sessions so the skin can warm through."
                    ))
                );
            }
        }
    }
    println!("{}", s.heading(protocol_name));
    println!(
        "{}",
        s.wrap(
            &format!("Stop at once if: {}", stop_if.join("; ").to_lowercase()),
            "",
            ""
        )
    );
    if args.speed > 1.0 {
        println!(
            "{}",
            s.dim(&format!("(demo: running {}× faster)", args.speed))
        );
    }

    let mut done = [0u32; 2]; // seconds of heat, of cold
    let mut stopped = false;
    for (i, (kind, minutes)) in phases.iter().enumerate() {
        let label = match kind {
            TherapyKind::Cold => "cold",
            _ => "heat",
        };
        if !args.quiet {
            print!("\x07");
        }
        let total = u64::from(*minutes) * 60;
        let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            ProgressBar::new(total)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{msg} {wide_bar} {elapsed_precise:>8} of {len} s")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(format!("{label} ({}/{})", i + 1, phases.len()));
        if bar.is_hidden() {
            println!("{label}: {minutes} min ({} of {})", i + 1, phases.len());
        }
        let tick = Duration::from_secs_f64(1.0 / args.speed);
        let mut elapsed = 0u64;
        while elapsed < total {
            tokio::select! {
                _ = tokio::time::sleep(tick) => {
                    elapsed += 1;
                    bar.set_position(elapsed);
                }
                _ = tokio::signal::ctrl_c() => {
                    stopped = true;
                    break;
                }
            }
        }
        bar.finish_and_clear();
        done[usize::from(*kind == TherapyKind::Cold)] += u32::try_from(elapsed).unwrap_or(u32::MAX);
        if stopped {
            break;
        }
    }
    if !args.quiet {
        print!("\x07");
    }
    let to_minutes = |secs: u32| u16::try_from(secs.div_ceil(60)).unwrap_or(u16::MAX);
    let mut entry = Entry::new(EntryId::new(unknot_store::new_id())?, app::now());
    entry.treatments.heat_minutes = Some(to_minutes(done[0])).filter(|m| *m > 0);
    entry.treatments.cold_minutes = Some(to_minutes(done[1])).filter(|m| *m > 0);
    let place = args
        .region
        .map(|r| format!(" on the {}", r.label().to_lowercase()))
        .unwrap_or_default();
    entry.note = Some(format!(
        "{}{place}{}",
        protocol_name,
        if stopped { ", stopped early" } else { "" }
    ));
    if entry.treatments.heat_minutes.is_none() && entry.treatments.cold_minutes.is_none() {
        println!("Stopped before a minute had passed; nothing recorded.");
        return Ok(());
    }
    entry.check(app::now().timestamp())?;
    store.insert_entry(&entry).await?;
    store.close().await;
    println!(
        "{} Recorded in your journal ({}).",
        if stopped { "Stopped early." } else { "Done." },
        entry.treatments.summary().join(", ")
    );
    Ok(())
}
