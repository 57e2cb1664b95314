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
use unknot_app::therapy::Timed;
use unknot_core::body::Region;
use unknot_core::catalogue::TherapyKind;
use unknot_core::therapy::Request;

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
                        unknot therapy contrast\n\nLimits: cold at most 20 minutes, with two hours between sessions; \
                        heat at most 30 minutes. Always with a cloth or towel between pack and skin."
)]
pub struct TherapyArgs {
    /// Cold, heat or contrast.
    #[arg(value_enum)]
    pub kind: Kind,

    /// Minutes (cold: 15 by default, at most 20; heat: 20 by default, at most 30).
    #[arg(long, allow_negative_numbers = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=600))]
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
    let app = data.app().await?;
    let kind = match args.kind {
        Kind::Cold => TherapyKind::Cold,
        Kind::Heat => TherapyKind::Heat,
        Kind::Contrast => TherapyKind::Contrast,
    };
    // The hard limits, checked before anything starts.
    let prepared = app
        .prepare_therapy(Request {
            kind,
            minutes: args.minutes,
        })
        .await?;
    let s = Style::detect();
    if !confirm_barrier(&prepared.barrier, args.barrier)? {
        return Ok(());
    }
    for w in &prepared.warnings {
        eprintln!("{}", s.bold(&format!("Warning: {}", w.says)));
    }
    println!("{}", s.heading(&prepared.name));
    println!(
        "{}",
        s.wrap(
            &format!(
                "Stop at once if: {}",
                prepared.stop_if.join("; ").to_lowercase()
            ),
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
    let (done, stopped) = time_phases(&prepared.phases, &args).await;
    if !args.quiet {
        print!("\x07");
    }
    let entry = app
        .record_therapy(Timed {
            kind,
            heat_seconds: done[0],
            cold_seconds: done[1],
            region: args.region,
            stopped_early: stopped,
            barrier: true,
        })
        .await?;
    app.close().await;
    match entry {
        None => println!("Stopped before a minute had passed; nothing recorded."),
        Some(e) => println!(
            "{} Recorded in your journal ({}).",
            if stopped { "Stopped early." } else { "Done." },
            e.treatments.summary().join(", ")
        ),
    }
    Ok(())
}

/// The barrier must be confirmed: by flag, or by answering on a terminal. `false` when the
/// person said no (nothing starts).
fn confirm_barrier(barrier: &str, given: bool) -> Result<bool> {
    if given {
        return Ok(true);
    }
    if !app::interactive() {
        return Err(usage(format!(
            "confirm the barrier first: put {barrier}, then run again with --barrier"
        )));
    }
    if !form::confirm(&format!("Is there {barrier}?"))? {
        println!("Put {barrier} first, then start again.");
        return Ok(false);
    }
    Ok(true)
}

/// Times each phase with a progress bar (or a line when not a terminal); Ctrl-C stops early.
/// Returns the seconds of heat and of cold applied, and whether it was stopped.
async fn time_phases(phases: &[(TherapyKind, u16)], args: &TherapyArgs) -> ([u32; 2], bool) {
    let mut done = [0u32; 2];
    for (i, (kind, minutes)) in phases.iter().enumerate() {
        let label = if *kind == TherapyKind::Cold {
            "cold"
        } else {
            "heat"
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
        let mut stopped = false;
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
            return (done, true);
        }
    }
    (done, false)
}
