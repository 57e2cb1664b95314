//! unknot: a private, local-first coach for back pain and muscle knots.
//!
//! This binary is the outermost edge: it parses the command line into core types (rejecting bad
//! input before anything is written), opens the store, lets core decide, and renders the result
//! for a person or, with `--json`, for a script. Exit codes: 0 ok, 1 failure, 2 bad input.

#![forbid(unsafe_code)]

mod app;
mod cmd;
mod exit;
mod files;
mod form;
mod intake_form;
mod output;
mod show;
mod term;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// mimalloc for the clinic server, the system's allocator for every other command (chosen
/// before `main` from the command line; see `unknot-alloc`).
#[global_allocator]
static ALLOCATOR: unknot_alloc::PerProcess = unknot_alloc::PerProcess;

fn main() -> ExitCode {
    // `unknot history | head` should end quietly, as other Unix tools do, not panic.
    sigpipe::reset();
    let cli = match parse_command_line() {
        Ok(cli) => cli,
        Err(e) => return exit::command_line(&e),
    };
    // The web server answers on both cores; every other command is one task at a time.
    let builder = if matches!(cli.command, cmd::Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match { builder }.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::report(&err),
    }
}

/// The command line, as `Cli::try_parse` reads it, without freeing clap's description of every
/// command afterwards: that description is a few thousand small allocations, and freeing them
/// one by one cost a one-shot command like `unknot log` about a quarter of a million
/// instructions for memory the process is about to give back anyway.
fn parse_command_line() -> Result<cmd::Cli, clap::Error> {
    let command: &'static mut clap::Command = Box::leak(Box::new(cmd::Cli::command()));
    let mut matches = command.try_get_matches_from_mut(std::env::args_os())?;
    cmd::Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(command))
}
