//! `unknot report`: the visit summary to take to a doctor or physiotherapist, as a PDF (made
//! here, no browser needed) or a print-friendly HTML page.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use jiff::ToSpan;
use unknot_app::report::Options;
use unknot_core::when::{self, Bound};

use crate::app::DataOptions;
use crate::exit::usage;
use crate::files::write_atomically;

/// Arguments of `unknot report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot report\n  unknot report --since '3 months ago' --out summary.pdf\n  \
    unknot report --out summary.html --notes --question 'Could this be a disc problem?'"
)]
pub struct ReportArgs {
    /// Start of the period (default: 90 days ago), e.g. 2026-01-01 or '3 months ago'.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// End of the period (default: today).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Where to write it: FILE.pdf or FILE.html (default: unknot-summary.pdf).
    #[arg(long, short, value_name = "FILE", default_value = "unknot-summary.pdf")]
    pub out: PathBuf,

    /// Include the notes you wrote in the period (the latest twelve).
    #[arg(long)]
    pub notes: bool,

    /// A question to ask at the visit (repeat for several).
    #[arg(long = "question", value_name = "TEXT")]
    pub questions: Vec<String>,
}

/// `unknot report`.
pub async fn run(data: &DataOptions, args: ReportArgs) -> Result<()> {
    let pdf = match args.out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("pdf") => true,
        Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => false,
        _ => {
            return Err(usage(format!(
                "--out {}: name a .pdf or .html file",
                args.out.display()
            )));
        }
    };
    let app = data.app().await?;
    let now = app.now().await?;
    let day =
        |text: &Option<String>, field: &str, bound: Bound| -> Result<Option<jiff::civil::Date>> {
            Ok(text
                .as_deref()
                .map(|t| when::parse_bound(t, field, &now, bound))
                .transpose()?
                .map(|t| t.to_zoned(now.time_zone().clone()).date()))
        };
    let until = day(&args.until, "--until", Bound::End)?.unwrap_or(now.date());
    let since = day(&args.since, "--since", Bound::Start)?
        .unwrap_or_else(|| until.checked_sub(89.days()).unwrap_or(until));
    if since > until {
        return Err(usage(format!("--since {since} is after --until {until}")));
    }
    let r = app
        .report(Options {
            since,
            until,
            include_notes: args.notes,
            questions: args.questions.clone(),
        })
        .await?;
    app.close().await;
    let bytes = if pdf {
        unknot_export::report_pdf::pdf(&r)
    } else {
        unknot_export::report_html::html(&r).into_bytes()
    };
    write_atomically(&args.out, &bytes)?;
    println!(
        "Wrote {} (from {since} to {until}). Take it to your appointment; it is a record of what \
         you reported, not a diagnosis.",
        args.out.display(),
    );
    Ok(())
}
