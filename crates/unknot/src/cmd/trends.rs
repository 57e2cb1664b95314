//! `unknot trends`: average pain by week and month, the muscles that knot most often, and what
//! tends to come before bad days.

use anyhow::Result;
use clap::Args;
use serde::Serialize;
use unknot_core::remind::BreakStatus;
use unknot_core::trends::{self, TrendOptions, Trends, sparkline};
use unknot_store::EntryRange;

use crate::app::{self, DataOptions};
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
    let now = app::now();
    let store = data.open().await?;
    let entries = store.list_entries(EntryRange::default()).await?;
    let since = now.checked_sub(jiff::ToSpan::days(28))?.timestamp();
    let recent_breaks = store.breaks_since(since).await?;
    store.close().await;
    let mut breaks = BreakCounts::default();
    for b in &recent_breaks {
        match b.status {
            BreakStatus::Taken => breaks.taken += 1,
            BreakStatus::Away => breaks.away += 1,
            BreakStatus::Skipped => breaks.skipped += 1,
            BreakStatus::Snoozed => breaks.snoozed += 1,
            BreakStatus::Unanswered => breaks.unanswered += 1,
        }
    }
    let t = trends::compute(
        &entries,
        now.date(),
        TrendOptions {
            weeks: usize::from(args.weeks),
            months: usize::from(args.months),
        },
    );
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

/// How reminder breaks ended over the last four weeks.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
struct BreakCounts {
    taken: u32,
    away: u32,
    skipped: u32,
    snoozed: u32,
    unanswered: u32,
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
        "Trends over {} entries ({} with a pain rating)\n",
        t.entries, t.rated_entries
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
        "Bad days (average pain {:.1} or more): {} of {} days with ratings",
        b.threshold, b.bad_days, b.rated_days
    );
    if b.preceded_by.is_empty() {
        println!("  Nothing you logged stands out before them yet.");
    } else {
        println!("  Came on or the day before them more often than usual:");
        for l in &b.preceded_by {
            println!(
                "  {:24} {} bad days ({:.0}% of bad days, {:.0}% of all days)",
                l.label,
                l.bad_days_with,
                l.share_of_bad_days * 100.0,
                l.share_of_all_days * 100.0
            );
        }
        println!("  These go together in your journal; that does not prove one causes the other.");
    }
}
