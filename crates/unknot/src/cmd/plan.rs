//! `unknot plan`, `unknot plan review` and `unknot plan history`.

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;
use unknot_app::AppError;

use crate::app::DataOptions;
use crate::term::Style;
use crate::{output, show};

/// Arguments of `unknot plan`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:\n  unknot plan\n  unknot plan review\n  unknot plan history")]
pub struct PlanArgs {
    #[command(subcommand)]
    pub command: Option<PlanCmd>,

    /// Make a fresh plan from the latest assessment even if one is current.
    #[arg(long)]
    pub rebuild: bool,

    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot plan` subcommands.
#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Review the plan against your journal and sessions, and adapt it (also run by `unknot checkin`).
    Review {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every version of your plan and what changed.
    History {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct NoPlan {
    plan: Option<()>,
    urgency: &'static str,
    advice: &'static str,
}

/// `unknot plan`.
pub async fn run(data: &DataOptions, args: PlanArgs) -> Result<()> {
    match args.command {
        Some(PlanCmd::Review { json }) => return review(data, json).await,
        Some(PlanCmd::History { json }) => return history(data, json).await,
        None => {}
    }
    let app = data.app().await?;
    let outcome = app.plan(args.rebuild).await;
    let catalogue = app.catalogue().await?;
    app.close().await;
    let stored = match outcome {
        Ok(p) => p.stored,
        Err(AppError::Withheld(t)) => {
            // A warning sign (at intake or since) outranks any plan already stored.
            if args.json {
                return output::json(&NoPlan {
                    plan: None,
                    urgency: t.urgency.id(),
                    advice: t.advice,
                });
            }
            show::safety(&t, &Style::detect());
            println!("\nNo exercise plan is made at this level: please get the help above first.");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        return output::json(&stored);
    }
    show::plan(&stored, &catalogue, &Style::detect());
    Ok(())
}

async fn review(data: &DataOptions, json: bool) -> Result<()> {
    let app = data.app().await?;
    let out = app.review().await?;
    app.close().await;
    if json {
        return output::json(&out);
    }
    show::review(&out, out.reviewed_version, &Style::detect());
    Ok(())
}

async fn history(data: &DataOptions, json: bool) -> Result<()> {
    let app = data.app().await?;
    let plans = app.plan_history().await?;
    let zone = app.zone().await?;
    app.close().await;
    if json {
        return output::json(&plans);
    }
    if plans.is_empty() {
        println!("No plan yet: run `unknot assess`, then `unknot plan`.");
        return Ok(());
    }
    let s = Style::detect();
    for p in &plans {
        let when = p.created.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M");
        let n = p.plan.routine.len();
        println!(
            "{}",
            s.bold(&format!(
                "Version {} ({when}), {n} exercise{}",
                p.plan.version,
                if n == 1 { "" } else { "s" }
            ))
        );
        for c in &p.plan.changes {
            println!("{}", s.wrap(&c.reason, "  • ", "    "));
        }
    }
    Ok(())
}
