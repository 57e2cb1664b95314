//! `unknot today`: what is due, in the terminal's words.

use anyhow::Result;
use clap::Args;
use unknot_core::today::NextStep;
use unknot_core::triage::Urgency;

use crate::app::DataOptions;
use crate::term::Style;
use crate::{output, show};

/// Arguments of `unknot today`.
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// A next step in words, with the command that does it.
fn step(next: NextStep) -> &'static str {
    match next {
        NextStep::Assess => "Start with a short safety check: unknot assess",
        NextStep::Session => "Do today's routine: unknot session",
        NextStep::Plan => "Make your plan: unknot plan",
        NextStep::Checkin => "Your weekly check-in is due: unknot checkin",
        NextStep::Log => "Log how your back feels: unknot log",
    }
}

/// `unknot today`.
pub async fn run(data: &DataOptions, args: TodayArgs) -> Result<()> {
    let app = data.app().await?;
    let t = app.today().await?;
    app.close().await;
    if args.json {
        return output::json(&t);
    }
    let s = Style::detect();
    if let Some(tr) = t
        .triage
        .as_ref()
        .filter(|tr| tr.urgency > Urgency::SelfCare)
    {
        show::safety(tr, &s);
        println!();
    }
    println!("{}", s.heading(&format!("Today, {}", t.date)));
    if t.plan_allowed && !t.routine.is_empty() {
        let status = if t.routine_due { "due" } else { "done" };
        let n = t.routine.len();
        println!(
            "  Routine ({} min, {n} exercise{}): {status}",
            t.routine_minutes,
            if n == 1 { "" } else { "s" }
        );
    }
    if let Some(every) = t.break_every_minutes {
        println!("  Breaks: every {every} minutes of sitting");
    }
    if t.streak_days > 1 {
        println!(
            "  Streak: {} days in a row with a session or a journal entry",
            t.streak_days
        );
    }
    for n in &t.next {
        println!("  • {}", step(*n));
    }
    if t.next.is_empty() {
        println!("  Nothing else is due today. Keep moving often.");
    }
    Ok(())
}
