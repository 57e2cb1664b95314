//! The command line: one module per command group, each with its own clap arguments and a
//! `run()`. The doc comments on the argument fields are the `--help` text, written for people.

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::app::DataOptions;

mod assess;
mod checkin;
mod clinic;
mod completions;
mod delete;
mod demo;
mod demo_coach;
mod edit;
mod entry_fields;
mod export;
mod history;
mod import;
mod learn;
mod library;
mod log;
mod plan;
mod remind;
mod report;
mod serve;
mod session;
mod therapy;
mod today;
mod trends;

/// unknot: a private coach for back pain and muscle knots.
///
/// Keep a journal of how your back feels (several entries a day is normal), see what helps and
/// what comes before bad days, and take the numbers to your doctor or physiotherapist. Your data
/// stays on this computer.
///
/// This is not a diagnosis. If you have numbness between your legs, new trouble controlling
/// your bladder or bowels, or weakness in your legs that is getting worse, get emergency care now.
#[derive(Debug, Parser)]
#[command(
    name = "unknot",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Start with:  unknot serve --open   (the app in your browser)\n\
                        Or:          unknot assess   (a short safety check), then unknot plan\n\
                        Every day:   unknot today   ·   unknot log --pain 5 --region lower-back=6\n\
                        More:        unknot help <command>"
)]
pub struct Cli {
    #[command(flatten)]
    pub data: DataOptions,

    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open unknot in your web browser: Today, the journal with a body map, sessions, your plan
    /// and the library (serves on this computer only).
    Serve(serve::ServeArgs),
    /// Record how your back feels now (asks step by step when run without flags).
    Log(log::LogArgs),
    /// List journal entries as a table, JSON or CSV.
    History(history::HistoryArgs),
    /// Show average pain by week and month, the muscles that knot most, and what comes
    /// before bad days.
    Trends(trends::TrendsArgs),
    /// Change an entry: give only the fields to change.
    Edit(edit::EditArgs),
    /// Delete an entry (asks first).
    Delete(delete::DeleteArgs),
    /// Write a full backup of your journal.
    Export(export::ExportArgs),
    /// Restore a backup written by `unknot export`.
    Import(import::ImportArgs),
    /// Check whether self-care is safe (red flags), record your starting scores, and check your habits.
    Assess(assess::AssessArgs),
    /// Your personal plan: show it, review and adapt it, or see how it changed.
    Plan(plan::PlanArgs),
    /// What is due today: routine, breaks, check-in, and any open advice.
    Today(today::TodayArgs),
    /// The weekly check-in: pain, PEG and activity scores, the warning signs, then a plan review.
    Checkin(checkin::CheckinArgs),
    /// Run today's routine (or one exercise) with timers, holds, reps and sides, and record it.
    Session(session::SessionArgs),
    /// Break and posture reminders on your desktop while you sit (runs until stopped).
    Remind(remind::RemindArgs),
    /// Time a heat, cold or contrast session within the safe limits, and record it.
    Therapy(therapy::TherapyArgs),
    /// Browse the exercise library, show one exercise, or add your own.
    Library(library::LibraryArgs),
    /// Read the articles: what knots are, heat or cold, posture, medicines, when to see a doctor…
    Learn(learn::LearnArgs),
    /// Ask a question in your own words and get the best matching articles and exercises.
    Ask(learn::AskArgs),
    /// Write a one-page summary (PDF or HTML) to take to your doctor or physiotherapist.
    Report(report::ReportArgs),
    /// Fill an empty journal with made-up example entries, to try unknot out or to measure it.
    Demo(demo::DemoArgs),
    /// Run a server for a clinic or a household: accounts, invitations, roles and an audit
    /// log, on PostgreSQL or SQLite (`unknot clinic --help` shows the two commands to start).
    Clinic(clinic::ClinicArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
}

/// Runs the chosen command.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.data, args).await,
        Command::Log(args) => log::run(&cli.data, args).await,
        Command::History(args) => history::run(&cli.data, args).await,
        Command::Trends(args) => trends::run(&cli.data, args).await,
        Command::Edit(args) => edit::run(&cli.data, args).await,
        Command::Delete(args) => delete::run(&cli.data, args).await,
        Command::Export(args) => export::run(&cli.data, args).await,
        Command::Import(args) => import::run(&cli.data, args).await,
        Command::Assess(args) => assess::run(&cli.data, args).await,
        Command::Plan(args) => plan::run(&cli.data, args).await,
        Command::Today(args) => today::run(&cli.data, args).await,
        Command::Checkin(args) => checkin::run(&cli.data, args).await,
        Command::Session(args) => session::run(&cli.data, args).await,
        Command::Remind(args) => remind::run(&cli.data, args).await,
        Command::Therapy(args) => therapy::run(&cli.data, args).await,
        Command::Library(args) => library::run(&cli.data, args).await,
        Command::Learn(args) => learn::learn(&cli.data, args).await,
        Command::Ask(args) => learn::ask(&cli.data, args).await,
        Command::Report(args) => report::run(&cli.data, args).await,
        Command::Demo(args) => demo::run(&cli.data, args).await,
        Command::Clinic(args) => clinic::run(&cli.data, args).await,
        Command::Completions(args) => completions::run(args),
    }
}
