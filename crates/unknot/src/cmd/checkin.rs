//! `unknot checkin`: the weekly scores and warning signs, then a plan review.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use unknot_app::{AppError, Missing};
use unknot_core::triage::Urgency;

use crate::app::{self, DataOptions};
use crate::cmd::assess::read_answers;
use crate::exit::usage;
use crate::term::Style;
use crate::{intake_form, output, show};

/// Arguments of `unknot checkin`.
#[derive(Debug, Args)]
#[command(
    after_help = "Answers can also come from a JSON file with the fields of docs/intake.md \
                        (pain_now, peg_pain, peg_enjoyment, peg_activity, psfs and the warning signs)."
)]
pub struct CheckinArgs {
    /// Read the answers from a JSON file (or -) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot checkin`.
pub async fn run(data: &DataOptions, args: CheckinArgs) -> Result<()> {
    let app = data.app().await?;
    let Some(standing) = app.standing().await? else {
        return Err(AppError::Missing(Missing::Assessment).into());
    };
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None if app::interactive() => intake_form::checkin(standing.answers.psfs.as_deref())?,
        None => {
            return Err(usage(
                "give --answers FILE, or run on a terminal to be asked",
            ));
        }
    };
    let out = app.checkin(answers).await?;
    app.close().await;
    if args.json {
        return output::json(&out);
    }
    let t = &out.triage;
    let s = Style::detect();
    if t.urgency > Urgency::Routine {
        show::safety(t, &s);
        println!();
    }
    println!("{}", s.heading("This week"));
    for c in &out.changes_since_start {
        println!(
            "{}",
            s.wrap(&format!("Since you started: {}", c.says), "  • ", "    ")
        );
    }
    if out.changes_since_start.is_empty() {
        println!("  Scores recorded. Changes show from your next check-in.");
    }
    for c in out.changes_since_start.iter().map(|c| c.instrument) {
        println!("{}", s.dim(&format!("    {}: {}", c.name(), c.source())));
    }
    println!();
    if let Some(r) = &out.review {
        show::review(r, r.reviewed_version, &s);
    }
    Ok(())
}
