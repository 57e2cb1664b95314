//! `unknot clinic`: the same program as a server for a clinic (or a household), with accounts,
//! roles, invitations and an audit log, on PostgreSQL or SQLite. `init` creates a clinic and
//! prints its owner's one-time set-up link; `serve` runs the server; `audit` checks and exports
//! the hash-chained audit log; `config` prints a commented settings file.

mod audit;
mod config;
mod serve;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};

use crate::app::DataOptions;
use config::{Common, ServeFlags, Settings};

/// Arguments of `unknot clinic`.
#[derive(Debug, Args)]
#[command(
    after_help = "A clinic in two commands (PostgreSQL, or sqlite:///PATH for a small practice):\n  \
    unknot clinic init --database-url postgres://unknot@127.0.0.1/unknot --name \"Back Room Physio\" --owner-email owner@example.org\n  \
    unknot clinic serve --database-url postgres://unknot@127.0.0.1/unknot\n\
    Open the printed set-up link to choose a password or passkey and a second factor.\n\
    Off this computer: add --bind 0.0.0.0 --public-url https://NAME/ --tls-cert FILE --tls-key FILE."
)]
pub struct ClinicArgs {
    #[command(flatten)]
    common: Common,

    #[command(subcommand)]
    command: ClinicCommand,
}

#[derive(Debug, Subcommand)]
enum ClinicCommand {
    /// Create a clinic and print its owner's one-time set-up link.
    Init(InitArgs),
    /// Run the clinic server.
    Serve(serve::ServeArgs),
    /// Check the audit log's hash chain, or export it (FHIR AuditEvent or JSON lines).
    Audit(audit::AuditArgs),
    /// Print a commented settings file to start from (`unknot clinic config > clinic.toml`).
    Config,
}

/// Arguments of `unknot clinic init`.
#[derive(Debug, Args)]
struct InitArgs {
    /// The clinic's name, as patients will see it.
    #[arg(long, value_name = "NAME")]
    name: String,

    /// The owner's email address: their sign-in name.
    #[arg(long, value_name = "EMAIL")]
    owner_email: String,

    /// The owner's name as shown to others (default: the part of the email before the @).
    #[arg(long, value_name = "NAME")]
    owner_name: Option<String>,

    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `unknot clinic …`.
pub async fn run(data: &DataOptions, args: ClinicArgs) -> Result<()> {
    match args.command {
        ClinicCommand::Config => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
        ClinicCommand::Init(init_args) => {
            let settings = Settings::resolve(
                &args.common,
                data.database_url.as_deref(),
                ServeFlags::default(),
            )?;
            init(data, &settings, init_args).await
        }
        ClinicCommand::Serve(serve_args) => serve::run(data, &args.common, serve_args).await,
        ClinicCommand::Audit(audit_args) => {
            let settings = Settings::resolve(
                &args.common,
                data.database_url.as_deref(),
                ServeFlags::default(),
            )?;
            audit::run(data, &settings, audit_args).await
        }
    }
}

/// Opens the clinic's database (creating and migrating it as needed) and its operations.
async fn open(
    data: &DataOptions,
    settings: &Settings,
    connections: u32,
) -> Result<unknot_app::clinic::ClinicApp> {
    let store = unknot_store::Store::open_clinic(&settings.database_url, connections)
        .await
        .with_context(|| "could not open the clinic's database".to_string())?;
    let app = data.app_over(store)?;
    Ok(unknot_app::clinic::ClinicApp::new(app, settings.clinic.clone()).await?)
}

async fn init(data: &DataOptions, settings: &Settings, args: InitArgs) -> Result<()> {
    let clinic = open(data, settings, 2).await?;
    let owner_name = args.owner_name.clone().unwrap_or_else(|| {
        args.owner_email
            .split('@')
            .next()
            .unwrap_or(&args.owner_email)
            .to_string()
    });
    let (made, invited) = clinic
        .init_clinic(&args.name, &args.owner_email, &owner_name)
        .await?;
    if args.json {
        let out = serde_json::json!({
            "clinic_id": made.id,
            "clinic": made.name,
            "owner": invited.name,
            "setup_link": invited.link,
            "expires": invited.expires.to_string(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("Created the clinic \"{}\".", made.name);
    println!();
    println!(
        "Set-up link for {} (works once, until {}):",
        invited.name,
        invited.expires.strftime("%Y-%m-%d %H:%M UTC")
    );
    println!("  {}", invited.link);
    println!();
    println!(
        "Start the server (unknot clinic serve, with the same database), open the link, and \
         choose a password or passkey and a second factor. Keep the link private: whoever \
         opens it first becomes the owner."
    );
    Ok(())
}
