//! `unknot assess` (the safety check, starting scores and habits) and `unknot assess habits`.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use unknot_app::coach::AssessOutcome;
use unknot_core::intake::Answers;

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::term::Style;
use crate::{intake_form, output, show};

/// Reads an answers file (or `-` for standard input).
pub fn read_answers(path: &std::path::Path) -> Result<Answers> {
    let text = crate::files::read_text(path, crate::files::MAX_SMALL_FILE_BYTES)?;
    Answers::from_json(&text).with_context(|| {
        format!(
            "{} is not a valid answers file (see docs/intake.md)",
            path.display()
        )
    })
}

/// Arguments of `unknot assess`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(
    after_help = "Examples:\n  unknot assess                       (asks step by step)\n  \
                        unknot assess --answers me.json --json\n  unknot assess habits\n\n\
                        The answers file format is documented in docs/intake.md."
)]
pub struct AssessArgs {
    #[command(subcommand)]
    pub command: Option<AssessCmd>,

    /// Read the answers from a JSON file (or - for standard input) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Print the result as JSON: {"urgency": …, "reasons": […], …}.
    #[arg(long)]
    pub json: bool,

    /// Check without saving the assessment.
    #[arg(long)]
    pub no_save: bool,
}

/// `unknot assess` subcommands.
#[derive(Debug, Subcommand)]
pub enum AssessCmd {
    /// Check your desk, phone, car, lifting, bed and activity habits, and get a short list of changes.
    Habits {
        /// Read the habits from a JSON file holding the `habits` object of docs/intake.md.
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `unknot assess`.
pub async fn run(data: &DataOptions, args: AssessArgs) -> Result<()> {
    if let Some(AssessCmd::Habits { answers, json }) = args.command {
        return habits(data, answers, json).await;
    }
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None if app::interactive() => intake_form::intake()?,
        None => {
            return Err(usage(
                "give --answers FILE (see docs/intake.md), or run on a terminal to be asked",
            ));
        }
    };
    // Checked before the journal is opened, so a bad answer changes nothing on disk.
    answers.check()?;
    let app = data.app().await?;
    let out = app.assess(answers, !args.no_save).await?;
    app.close().await;
    if args.json {
        return output::json(&out);
    }
    print_outcome(&out);
    Ok(())
}

fn print_outcome(out: &AssessOutcome) {
    let s = Style::detect();
    let t = &out.triage;
    show::safety(t, &s);
    let sc = &out.scores;
    if t.plan_allowed && !sc.is_empty() {
        println!("\n{}", s.heading("Your starting scores"));
        if let Some(p) = sc.pain_now {
            println!("  pain now: {p}/10");
        }
        if let Some(p) = sc.peg {
            println!("  PEG: {p:.1}/10 (lower is better)");
        }
        if let Some(p) = sc.psfs {
            println!("  activities (PSFS): {p:.1}/10 (higher is better)");
        }
    }
    show::habits(&out.habits, &s);
    if t.plan_allowed {
        println!("\nNext: unknot plan");
    }
}

async fn habits(data: &DataOptions, file: Option<PathBuf>, json: bool) -> Result<()> {
    let h = match file {
        Some(path) => {
            let text = crate::files::read_text(&path, crate::files::MAX_SMALL_FILE_BYTES)?;
            let wrapped = format!("{{\"habits\": {text}}}");
            Answers::from_json(&wrapped)?.habits.unwrap_or_default()
        }
        None if app::interactive() => intake_form::habits()?,
        None => {
            return Err(usage(
                "give --answers FILE, or run on a terminal to be asked",
            ));
        }
    };
    let app = data.app().await?;
    let changes = app.assess_habits(h).await?;
    app.close().await;
    if json {
        return output::json(&changes);
    }
    let s = Style::detect();
    if changes.is_empty() {
        println!("Your habits look kind to your back. Keep moving often.");
    }
    show::habits(&changes, &s);
    Ok(())
}
