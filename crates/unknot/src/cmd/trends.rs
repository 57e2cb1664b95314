//! `unknot trends`: average pain by week and month, the muscles that knot most often, and what
//! tends to come before bad days.

use anyhow::Result;
use clap::Args;
use serde::Serialize;
use unknot_core::remind::BreakCounts;
use unknot_core::trends::{TrendOptions, Trends, sparkline};
use unknot_core::words;

use crate::app::DataOptions;
use crate::output;

/// Arguments of `unknot trends`.
#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// How many weeks to chart.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..=520))]
    pub weeks: u16,

    /// How many months to chart.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..=240))]
    pub months: u16,

    /// Print the numbers as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `unknot trends`.
pub async fn run(data: &DataOptions, args: TrendsArgs) -> Result<()> {
    let app = data.app().await?;
    let t = app
        .trends(TrendOptions {
            weeks: usize::from(args.weeks),
            months: usize::from(args.months),
        })
        .await?;
    let breaks = app.recent_breaks(28).await?;
    app.close().await;
    if args.json {
        return output::json(&Out {
            trends: &t,
            breaks_last_28_days: &breaks,
        });
    }
    print(&t);
    if breaks != BreakCounts::default() {
        println!(
            "\nBreaks from sitting, last 28 days: {} taken, {} while away, {} skipped, {} snoozed, {} unanswered",
            breaks.taken, breaks.away, breaks.skipped, breaks.snoozed, breaks.unanswered
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct Out<'a> {
    #[serde(flatten)]
    trends: &'a Trends,
    breaks_last_28_days: &'a BreakCounts,
}

fn print(t: &Trends) {
    if t.rated_entries == 0 {
        println!("No pain ratings yet. Log a few with: unknot log --pain 5");
        return;
    }
    println!(
        "Trends over {} ({} with a pain rating)\n",
        words::count(t.entries as u64, "entry", "entries"),
        t.rated_entries
    );
    for (title, periods, fmt) in [
        ("Average pain by week", &t.weekly, "%d %b"),
        ("Average pain by month", &t.monthly, "%b %Y"),
    ] {
        let values: Vec<Option<f64>> = periods.iter().map(|p| p.mean_pain).collect();
        println!("{title} (0-10, oldest first; a gap is a period with no ratings)");
        println!("  │{}│", sparkline(&values));
        if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
            let rated: Vec<f64> = values.iter().flatten().copied().collect();
            let latest = last
                .mean_pain
                .map_or("no ratings".to_string(), |m| format!("{m:.1}"));
            print!(
                "  {} to {}: latest {latest}",
                first.start.strftime(fmt),
                last.start.strftime(fmt)
            );
            if let (Some(lo), Some(hi)) = (
                rated.iter().copied().reduce(f64::min),
                rated.iter().copied().reduce(f64::max),
            ) {
                print!(", lowest {lo:.1}, highest {hi:.1}");
            }
            println!("\n");
        }
    }
    if t.muscles.is_empty() {
        println!("No knots recorded yet (add them with --knot MUSCLE:SIDE:TENDERNESS).\n");
    } else {
        println!("Muscles that knot most often");
        let width = t
            .muscles
            .iter()
            .map(|m| m.muscle.id().len())
            .max()
            .unwrap_or(10);
        for m in t.muscles.iter().take(8) {
            println!(
                "  {:width$}  {:>4}×  tenderness {:.1}  (left {}, right {}, both {}{})",
                m.muscle.id(),
                m.count,
                m.mean_tenderness,
                m.left,
                m.right,
                m.both,
                if m.centre > 0 {
                    format!(", centre {}", m.centre)
                } else {
                    String::new()
                },
            );
        }
        println!();
    }
    let b = &t.bad_days;
    println!(
        "Bad days (average pain {:.1} or more): {} of {} with ratings",
        b.threshold,
        b.bad_days,
        words::count(b.rated_days as u64, "day", "days")
    );
    if b.preceded_by.is_empty() {
        println!(
            "  Nothing you logged stands out before them: no activity or habit came before bad \
             days clearly more often than before other days."
        );
    } else {
        println!("  Came on or the day before them clearly more often than before other days:");
        for l in &b.preceded_by {
            println!(
                "  {:24} before {:.0}% of bad days and {:.0}% of other days ({} bad days; a bad day {:.1}× as likely after it)",
                l.label,
                l.share_of_bad_days * 100.0,
                l.share_of_other_days * 100.0,
                l.bad_days_with,
                l.times_as_likely
            );
        }
        println!("  These go together in your journal; that does not prove one causes the other.");
    }
    println!(
        "  (Named only when the gap is at least 15 points and a one-sided Fisher's exact test, \
         corrected for the factors tested, gives p < 0.05.)"
    );
}
