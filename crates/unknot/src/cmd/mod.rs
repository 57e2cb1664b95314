//! The command line: one module per command group, each with its own clap arguments and a
//! `run()`. The doc comments on the argument fields are the `--help` text, written for people.

use anyhow::Result;
use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand};

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
    Serve(Lazy<serve::ServeArgs>),
    /// Record how your back feels now (asks step by step when run without flags).
    Log(Lazy<log::LogArgs>),
    /// List journal entries as a table, JSON or CSV.
    History(Lazy<history::HistoryArgs>),
    /// Show average pain by week and month, the muscles that knot most, and what comes
    /// before bad days.
    Trends(Lazy<trends::TrendsArgs>),
    /// Change an entry: give only the fields to change.
    Edit(Lazy<edit::EditArgs>),
    /// Delete an entry (asks first).
    Delete(Lazy<delete::DeleteArgs>),
    /// Write a full backup of your journal.
    Export(Lazy<export::ExportArgs>),
    /// Restore a backup written by `unknot export`.
    Import(Lazy<import::ImportArgs>),
    /// Check whether self-care is safe (red flags), record your starting scores, and check your habits.
    Assess(Lazy<assess::AssessArgs>),
    /// Your personal plan: show it, review and adapt it, or see how it changed.
    Plan(Lazy<plan::PlanArgs>),
    /// What is due today: routine, breaks, check-in, and any open advice.
    Today(Lazy<today::TodayArgs>),
    /// The weekly check-in: pain, PEG and activity scores, the warning signs, then a plan review.
    Checkin(Lazy<checkin::CheckinArgs>),
    /// Run today's routine (or one exercise) with timers, holds, reps and sides, and record it.
    Session(Lazy<session::SessionArgs>),
    /// Break and posture reminders on your desktop while you sit (runs until stopped).
    Remind(Lazy<remind::RemindArgs>),
    /// Time a heat, cold or contrast session within the safe limits, and record it.
    Therapy(Lazy<therapy::TherapyArgs>),
    /// Browse the exercise library, show one exercise, or add your own.
    Library(Lazy<library::LibraryArgs>),
    /// Read the articles: what knots are, heat or cold, posture, medicines, when to see a doctor…
    Learn(Lazy<learn::LearnArgs>),
    /// Ask a question in your own words and get the best matching articles and exercises.
    Ask(Lazy<learn::AskArgs>),
    /// Write a one-page summary (PDF or HTML) to take to your doctor or physiotherapist.
    Report(Lazy<report::ReportArgs>),
    /// Fill an empty journal with made-up example entries, to try unknot out or to measure it.
    Demo(Lazy<demo::DemoArgs>),
    /// Run a server for a clinic or a household: accounts, invitations, roles and an audit
    /// log, on PostgreSQL or SQLite (`unknot clinic --help` shows the two commands to start).
    Clinic(Lazy<clinic::ClinicArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(Lazy<completions::CompletionsArgs>),
}

/// A subcommand's arguments, described to clap only when that subcommand is used or its help
/// (or a completion script) is drawn. Describing all two dozen commands and their options on
/// every start cost a one-shot command like `unknot log` about half a million instructions
/// and a few thousand allocations, more than the rest of its command-line handling.
///
/// The one difference a deferred description could make is in what is described before what:
/// the arguments struct's doc comment would replace the command's summary (restored below),
/// and a completion script, which walks the whole tree, asks for everything at once instead
/// ([`describe_everything_now`]), so scripts and help read exactly as before.
#[derive(Debug)]
pub struct Lazy<T>(pub T);

/// Set once a command needs the whole tree described up front (completion scripts).
static EAGER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every [`Lazy`] describe its arguments at once from now on.
pub fn describe_everything_now() {
    EAGER.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn eager() -> bool {
    EAGER.load(std::sync::atomic::Ordering::Relaxed)
}

/// `T`'s arguments added to `cmd`, keeping the summary the command had (its variant's doc
/// comment, which clap's derive applies after the arguments when nothing is deferred).
fn described<T: Args>(cmd: clap::Command) -> clap::Command {
    keeping_summary(cmd, T::augment_args)
}

fn described_for_update<T: Args>(cmd: clap::Command) -> clap::Command {
    keeping_summary(cmd, T::augment_args_for_update)
}

fn keeping_summary(
    cmd: clap::Command,
    add: impl FnOnce(clap::Command) -> clap::Command,
) -> clap::Command {
    use clap::builder::Resettable;
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    add(cmd)
        .about(about.map_or(Resettable::Reset, Resettable::Value))
        .long_about(long_about.map_or(Resettable::Reset, Resettable::Value))
}

impl<T: Args> Args for Lazy<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        if eager() {
            T::augment_args(cmd)
        } else {
            cmd.defer(described::<T>)
        }
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        if eager() {
            T::augment_args_for_update(cmd)
        } else {
            cmd.defer(described_for_update::<T>)
        }
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// Runs the chosen command.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(Lazy(args)) => serve::run(&cli.data, args).await,
        Command::Log(Lazy(args)) => log::run(&cli.data, args).await,
        Command::History(Lazy(args)) => history::run(&cli.data, args).await,
        Command::Trends(Lazy(args)) => trends::run(&cli.data, args).await,
        Command::Edit(Lazy(args)) => edit::run(&cli.data, args).await,
        Command::Delete(Lazy(args)) => delete::run(&cli.data, args).await,
        Command::Export(Lazy(args)) => export::run(&cli.data, args).await,
        Command::Import(Lazy(args)) => import::run(&cli.data, args).await,
        Command::Assess(Lazy(args)) => assess::run(&cli.data, args).await,
        Command::Plan(Lazy(args)) => plan::run(&cli.data, args).await,
        Command::Today(Lazy(args)) => today::run(&cli.data, args).await,
        Command::Checkin(Lazy(args)) => checkin::run(&cli.data, args).await,
        Command::Session(Lazy(args)) => session::run(&cli.data, args).await,
        Command::Remind(Lazy(args)) => remind::run(&cli.data, args).await,
        Command::Therapy(Lazy(args)) => therapy::run(&cli.data, args).await,
        Command::Library(Lazy(args)) => library::run(&cli.data, args).await,
        Command::Learn(Lazy(args)) => learn::learn(&cli.data, args).await,
        Command::Ask(Lazy(args)) => learn::ask(&cli.data, args).await,
        Command::Report(Lazy(args)) => report::run(&cli.data, args).await,
        Command::Demo(Lazy(args)) => demo::run(&cli.data, args).await,
        Command::Clinic(Lazy(args)) => clinic::run(&cli.data, args).await,
        Command::Completions(Lazy(args)) => completions::run(args),
    }
}
