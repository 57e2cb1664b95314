//! `assess`, `plan` (with `review` and `history`), `today` and `checkin`: the coach.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde::Serialize;
use unknot_core::catalogue::{Catalogue, TherapyKind};
use unknot_core::habits::{self, HabitChange};
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_core::triage::{Triage, Urgency, triage};
use unknot_store::{PlanOutcome, ReviewOutcome, Store, StoredPlan, current_answers, scores};

use crate::app::{self, DataOptions};
use crate::exit::usage;
use crate::term::Style;
use crate::{intake_form, output};

fn read_answers(path: &PathBuf) -> Result<Answers> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .context("cannot read standard input")?;
        s
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?
    };
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

#[derive(Serialize)]
struct AssessOut<'a> {
    #[serde(flatten)]
    triage: &'a Triage,
    urgency_label: &'static str,
    scores: unknot_store::Scores,
    habits: Vec<HabitChange>,
    assessment_id: Option<String>,
}

/// `unknot assess`.
pub async fn assess(data: &DataOptions, args: AssessArgs) -> Result<()> {
    if let Some(AssessCmd::Habits { answers, json }) = args.command {
        return assess_habits(data, answers, json).await;
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
    answers.check()?;
    let t = triage(&answers);
    let mut id = None;
    if !args.no_save {
        let store = data.open().await?;
        let a = Assessment {
            id: unknot_store::new_id(),
            kind: AssessmentKind::Intake,
            at: app::now(),
            answers: answers.clone(),
        };
        store.save_assessment(&a).await?;
        store.close().await;
        id = Some(a.id);
    }
    let out = AssessOut {
        triage: &t,
        urgency_label: t.urgency.label(),
        scores: scores(&answers),
        habits: habits::changes(&answers, 5),
        assessment_id: id,
    };
    if args.json {
        return output::json(&out);
    }
    let s = Style::detect();
    print_triage(&t, &s);
    let sc = &out.scores;
    if t.plan_allowed && (sc.pain_now.is_some() || sc.peg.is_some() || sc.psfs.is_some()) {
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
    print_habits(&out.habits, &s);
    if t.plan_allowed {
        println!("\nNext: unknot plan");
    }
    Ok(())
}

fn print_triage(t: &Triage, s: &Style) {
    if t.urgency == Urgency::Emergency {
        let bar = "!".repeat(60);
        println!("{}", s.bold(&bar));
        println!("{}", s.bold("EMERGENCY: get help now"));
        println!("{}", s.bold(&s.wrap(t.advice, "", "")));
        println!("{}", s.bold(&bar));
    } else {
        println!("{} {}", s.bold("Result:"), t.urgency.label());
        println!("{}", s.wrap(t.advice, "", ""));
    }
    if !t.reasons.is_empty() {
        println!("\n{}", s.heading("Why"));
        for r in &t.reasons {
            println!("{}", s.wrap(r.says, "  • ", "    "));
        }
    }
    println!("\n{}", s.dim(&s.wrap(t.come_back, "", "")));
    println!("{}", s.dim("This is a check, not a diagnosis."));
}

fn print_habits(changes: &[HabitChange], s: &Style) {
    if changes.is_empty() {
        return;
    }
    println!("\n{}", s.heading("Habits worth changing"));
    for c in changes {
        println!(
            "{}",
            s.wrap(
                &format!("{} (unknot learn {})", c.change, c.article),
                "  • ",
                "    "
            )
        );
    }
}

async fn assess_habits(data: &DataOptions, file: Option<PathBuf>, json: bool) -> Result<()> {
    let h = match file {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
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
    let store = data.open().await?;
    let latest = latest_intake(&store).await?;
    let mut answers = latest.map(|a| a.answers).unwrap_or_default();
    answers.habits = Some(h);
    answers.check()?;
    store
        .save_assessment(&Assessment {
            id: unknot_store::new_id(),
            kind: AssessmentKind::Intake,
            at: app::now(),
            answers: answers.clone(),
        })
        .await?;
    store.close().await;
    let changes = habits::changes(&answers, 8);
    if json {
        return output::json(&changes);
    }
    let s = Style::detect();
    if changes.is_empty() {
        println!("Your habits look kind to your back. Keep moving often.");
    }
    print_habits(&changes, &s);
    Ok(())
}

async fn latest_intake(store: &Store) -> Result<Option<Assessment>> {
    Ok(store
        .assessments()
        .await?
        .into_iter()
        .rfind(|a| a.kind == AssessmentKind::Intake))
}

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
pub async fn plan(data: &DataOptions, args: PlanArgs) -> Result<()> {
    let store = data.open().await?;
    let catalogue = data.catalogue(Some(&store)).await?;
    match args.command {
        Some(PlanCmd::Review { json }) => return review(&store, &catalogue, json).await,
        Some(PlanCmd::History { json }) => return history(&store, json).await,
        None => {}
    }
    let now = app::now();
    let stored = match store.current_plan(&catalogue, &now, args.rebuild).await? {
        PlanOutcome::NoAssessment => {
            return Err(usage("no assessment yet: run `unknot assess` first"));
        }
        PlanOutcome::Withheld(t) => {
            // A warning sign (at intake or since) outranks any plan already stored.
            if args.json {
                return output::json(&NoPlan {
                    plan: None,
                    urgency: t.urgency.id(),
                    advice: t.advice,
                });
            }
            print_triage(&t, &Style::detect());
            println!("\nNo exercise plan is made at this level: please get the help above first.");
            return Ok(());
        }
        PlanOutcome::Plan { stored, .. } => *stored,
    };
    store.close().await;
    if args.json {
        return output::json(&stored);
    }
    print_plan(&stored, &catalogue, &Style::detect());
    Ok(())
}

fn minutes(seconds: u32) -> String {
    format!("{:.0} min", (f64::from(seconds) / 60.0).ceil())
}

fn print_plan(stored: &StoredPlan, catalogue: &Catalogue, s: &Style) {
    let p = &stored.plan;
    println!(
        "{}",
        s.heading(&format!(
            "Your plan, version {} ({} of your {} minutes a day)",
            p.version,
            minutes(p.total_seconds),
            p.budget_minutes
        ))
    );
    for n in &p.notes {
        println!("{}", s.dim(&s.wrap(n, "", "")));
    }
    println!("\n{}", s.heading("Daily routine"));
    for (i, item) in p.routine.iter().enumerate() {
        println!(
            "{} {}",
            s.bold(&format!("{:>2}. {}", i + 1, item.name)),
            s.dim(&format!(
                "· {} · {}",
                item.dosage.describe(),
                minutes(item.seconds)
            ))
        );
        // The reason starts with the exercise's name (for JSON readers); the heading has it.
        let reason = item
            .why
            .split_once(": ")
            .map_or(item.why.as_str(), |(_, r)| r);
        println!("{}", s.wrap(reason, "    ", "    "));
    }
    if p.routine.is_empty() {
        println!(
            "  (nothing fits yet: try more minutes a day, or add equipment in `unknot assess`)"
        );
    }
    println!("\n{}", s.heading("Heat or cold"));
    let which = match p.heat_cold.therapy {
        TherapyKind::Heat => "Heat",
        TherapyKind::Cold => "Cold",
        TherapyKind::Contrast => "Contrast",
    };
    println!(
        "{}",
        s.wrap(
            &format!(
                "{which}, {} minutes at a time. {}",
                p.heat_cold.minutes, p.heat_cold.why
            ),
            "  ",
            "  "
        )
    );
    println!("\n{}", s.heading("Breaks"));
    let names: Vec<String> = p
        .breaks
        .micro_breaks
        .iter()
        .filter_map(|id| catalogue.exercise(id).map(|e| e.name.to_lowercase()))
        .collect();
    println!(
        "{}",
        s.wrap(
            &format!(
                "Get up every {} minutes of sitting; for a minute or two try: {}.",
                p.breaks.every_minutes,
                names.join(", ")
            ),
            "  ",
            "  "
        )
    );
    print_habits(&p.habits, s);
    if !p.reading.is_empty() {
        println!("\n{}", s.heading("Read"));
        for a in &p.reading {
            let title = catalogue
                .article(a)
                .map_or(a.clone(), |x| x.meta.title.clone());
            println!("  • {title} (unknot learn {a})");
        }
    }
    if p.version > 1 && !p.changes.is_empty() {
        println!("\n{}", s.heading("What changed at the last review"));
        for c in &p.changes {
            println!("{}", s.wrap(&c.reason, "  • ", "    "));
        }
    }
}

/// Runs a review and stores what it decided.
async fn run_review(store: &Store, catalogue: &Catalogue) -> Result<(ReviewOutcome, u32)> {
    match store.review_plan(catalogue, &app::now()).await? {
        Some(out) => {
            let v = out.reviewed_version;
            Ok((out, v))
        }
        None if store.plans().await?.is_empty() => Err(usage(
            "no plan yet: run `unknot assess`, then `unknot plan`",
        )),
        None => Err(usage("no assessment yet: run `unknot assess` first")),
    }
}

fn print_review(out: &ReviewOutcome, version: u32, s: &Style) {
    let r = &out.review;
    if let Some(t) = &r.triage {
        print_triage(t, s);
        println!();
    }
    println!(
        "{}",
        s.heading(&format!(
            "Plan review: {} days on version {version}, {} sessions ({:.0}% of days)",
            r.days,
            r.sessions,
            r.adherence * 100.0
        ))
    );
    if r.changes.is_empty() {
        println!(
            "No changes: keep going with the same plan. (Progress comes after two steady weeks.)"
        );
    }
    for c in &r.changes {
        println!("{}", s.wrap(&c.reason, "  • ", "    "));
    }
    match (out.saved_version, &r.triage) {
        (Some(v), _) => println!("\nSaved as version {v}. See it with: unknot plan"),
        (None, Some(t)) if !t.plan_allowed => {
            println!("\nThe plan is paused until you have had the help above.")
        }
        _ => {}
    }
}

async fn review(store: &Store, catalogue: &Catalogue, json: bool) -> Result<()> {
    let (out, version) = run_review(store, catalogue).await?;
    if json {
        return output::json(&out);
    }
    print_review(&out, version, &Style::detect());
    Ok(())
}

async fn history(store: &Store, json: bool) -> Result<()> {
    let plans = store.plans().await?;
    if json {
        return output::json(&plans);
    }
    if plans.is_empty() {
        println!("No plan yet: run `unknot assess`, then `unknot plan`.");
        return Ok(());
    }
    let s = Style::detect();
    for p in &plans {
        let when = p
            .created
            .to_zoned(app::now().time_zone().clone())
            .strftime("%Y-%m-%d %H:%M");
        println!(
            "{}",
            s.bold(&format!(
                "Version {} ({when}), {} exercises",
                p.plan.version,
                p.plan.routine.len()
            ))
        );
        for c in &p.plan.changes {
            println!("{}", s.wrap(&c.reason, "  • ", "    "));
        }
    }
    Ok(())
}

/// Arguments of `unknot today`.
#[derive(Debug, Args)]
pub struct TodayArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot today`: what is due.
pub async fn today(data: &DataOptions, args: TodayArgs) -> Result<()> {
    let store = data.open().await?;
    let now = app::now();
    let out = store.today(&now, true).await?;
    let latest = current_answers(&store.assessments().await?);
    let plan = store.plans().await?.pop();
    store.close().await;
    let t = latest.as_ref().map(|(_, a)| triage(a));
    let plan_ok = t.as_ref().is_none_or(|t| t.plan_allowed);
    if args.json {
        return output::json(&out);
    }
    let s = Style::detect();
    if let Some(t) = &t
        && t.urgency > Urgency::SelfCare
    {
        print_triage(t, &s);
        println!();
    }
    println!("{}", s.heading(&format!("Today, {}", out.date)));
    if let Some(p) = &plan
        && plan_ok
    {
        let status = if out.routine_due { "due" } else { "done" };
        println!(
            "  Routine ({} min, {} exercises): {status}",
            out.routine_minutes,
            p.plan.routine.len()
        );
        println!(
            "  Breaks: every {} minutes of sitting",
            p.plan.breaks.every_minutes
        );
    }
    if out.streak_days > 1 {
        println!("  Streak: {} days in a row", out.streak_days);
    }
    for n in &out.next {
        println!("  • {n}");
    }
    Ok(())
}

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

/// `unknot checkin`: the weekly scores and warning signs, then a plan review.
pub async fn checkin(data: &DataOptions, args: CheckinArgs) -> Result<()> {
    let store = data.open().await?;
    let Some((_, current)) = current_answers(&store.assessments().await?) else {
        return Err(usage("no assessment yet: run `unknot assess` first"));
    };
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None if app::interactive() => intake_form::checkin(current.psfs.as_deref())?,
        None => {
            return Err(usage(
                "give --answers FILE, or run on a terminal to be asked",
            ));
        }
    };
    let catalogue = data.catalogue(Some(&store)).await?;
    let Some(out) = store.checkin(&answers, &catalogue, &app::now()).await? else {
        return Err(usage("no assessment yet: run `unknot assess` first"));
    };
    store.close().await;
    if args.json {
        return output::json(&out);
    }
    let t = &out.triage;
    let s = Style::detect();
    if t.urgency > Urgency::Routine {
        print_triage(t, &s);
        println!();
    }
    println!("{}", s.heading("This week"));
    for c in out.changes_since_start.iter() {
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
        print_review(r, r.reviewed_version, &s);
    }
    Ok(())
}
