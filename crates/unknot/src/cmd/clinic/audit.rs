//! `unknot clinic audit verify|export`: the audit log is append-only and hash-chained, so a
//! changed, removed or reordered record breaks the chain at that record. `verify` says where;
//! `export` writes the log as FHIR `AuditEvent`s (or the records as JSON lines).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};

use super::config::Settings;
use crate::app::DataOptions;

/// Arguments of `unknot clinic audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every record follows the one before it; exits 1 naming the first broken record.
    Verify {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the whole log, oldest first.
    Export {
        /// FHIR R4 Bundle of AuditEvent resources, or the stored records as JSON lines.
        #[arg(long, value_enum, default_value_t = Format::Fhir)]
        format: Format,
        /// Write to this file instead of standard output (written whole, or not at all).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Fhir,
    Jsonl,
}

/// Runs `unknot clinic audit …`.
pub async fn run(data: &DataOptions, settings: &Settings, args: AuditArgs) -> Result<()> {
    let clinic = super::open(data, settings, 2).await?;
    match args.command {
        AuditCommand::Verify { json } => match clinic.verify_audit().await? {
            Ok((count, head)) => {
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"ok": true, "records": count, "head": head})
                    );
                } else {
                    println!("The audit log is intact: {count} records, newest hash {head}.");
                    println!(
                        "Write the hash down elsewhere: a later check can then also prove the newest records were not rewritten."
                    );
                }
                Ok(())
            }
            Err(broken) => {
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"ok": false, "seq": broken.seq, "reason": broken.reason})
                    );
                }
                Err(anyhow::anyhow!("{broken}"))
            }
        },
        AuditCommand::Export { format, out } => {
            let records = clinic.audit_records().await?;
            let text = match format {
                Format::Fhir => {
                    let bundle =
                        unknot_export::audit_fhir::audit_bundle(&records, jiff::Timestamp::now());
                    serde_json::to_string_pretty(&bundle)? + "\n"
                }
                Format::Jsonl => {
                    let mut s = String::new();
                    for r in &records {
                        s.push_str(&serde_json::to_string(r)?);
                        s.push('\n');
                    }
                    s
                }
            };
            match out {
                Some(path) => {
                    crate::files::write_atomically(&path, text.as_bytes())?;
                    eprintln!(
                        "Wrote {} audit records to {}.",
                        records.len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
