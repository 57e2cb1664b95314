//! `unknot completions SHELL`: prints a completion script generated from the same clap
//! definitions as `--help`, so the two never disagree.

use anyhow::Result;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Arguments of `unknot completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example (bash):  unknot completions bash > ~/.local/share/bash-completion/completions/unknot"
)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    pub shell: Shell,
}

/// Writes the script to stdout.
pub fn run(args: CompletionsArgs) -> Result<()> {
    // A script lists every command and option: describe them all up front, as clap expects.
    super::describe_everything_now();
    let mut cmd = super::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "unknot", &mut std::io::stdout());
    Ok(())
}
