//! The "When to get help" page, rendered in Markdown from the rule table.
//!
//! The library shows it as an article (`when-to-get-help`), so the words a person reads about
//! warning signs come from the same [`RULES`] the check runs: add, change or re-grade a rule
//! and the page follows. Nothing here is written by hand except the headings and the framing
//! sentences.

use std::fmt::Write as _;

use super::{COME_BACK, PERSISTENT_DAYS, RULES, Urgency};
use crate::adapt::{
    IMPORTANT_FALL_POINTS, IMPORTANT_FALL_SHARE, NO_IMPROVEMENT_AFTER_DAYS, NO_IMPROVEMENT_SOURCES,
};

/// The id the page has in the library.
pub const HELP_PAGE_ID: &str = "when-to-get-help";

fn heading(u: Urgency) -> &'static str {
    match u {
        Urgency::Emergency => "Emergency: act now",
        Urgency::Urgent => "Urgent: see a doctor the same day",
        Urgency::Soon => "Soon: see a doctor within a week",
        Urgency::Routine => "Routine: book an appointment in the next two to three weeks",
        Urgency::SelfCare => "When none of these apply",
    }
}

/// Every source id the page cites: the rules' and the review's "no improvement" rule's.
pub fn sources() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = RULES
        .iter()
        .flat_map(|r| r.sources.iter().copied())
        .chain(NO_IMPROVEMENT_SOURCES.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn cited(ids: &[&str], cite: &dyn Fn(&str) -> String) -> String {
    ids.iter().map(|s| cite(s)).collect::<Vec<_>>().join("; ")
}

/// The page in Markdown. `cite` turns a source id into a short citation (the library passes
/// "Author (year)"; an unknown id may come back as itself).
pub fn help_page(cite: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from(
        "Most back pain is not dangerous and settles with time and gentle activity. A few signs \
         mean something else may be going on that needs a doctor, some of them within hours. \
         This page lists every sign unknot's safety check looks for, grouped by how soon to act. \
         It is made from the same rules the check runs, so the two always agree. It is not a \
         diagnosis: if you are worried, get help whatever this page says.\n",
    );
    for level in [
        Urgency::Emergency,
        Urgency::Urgent,
        Urgency::Soon,
        Urgency::Routine,
    ] {
        let _ = write!(out, "\n## {}\n\n{}\n\n", heading(level), level.advice());
        for r in RULES.iter().filter(|r| r.urgency == level) {
            let _ = write!(out, "- **{}.** {}", r.sign, r.says);
            if let Some(advice) = r.advice {
                let _ = write!(out, " {advice}");
            }
            let _ = writeln!(out, " (Sources: {}.)", cited(r.sources, cite));
        }
    }
    over_time(&mut out, cite);
    let _ = write!(
        out,
        "\n## {}\n\n{}\n\n{}\n",
        heading(Urgency::SelfCare),
        Urgency::SelfCare.advice(),
        COME_BACK
    );
    out
}

fn over_time(out: &mut String, cite: &dyn Fn(&str) -> String) {
    let weeks = NO_IMPROVEMENT_AFTER_DAYS / 7;
    let _ = write!(
        out,
        "\n## Over time\n\n\
         - **The clock keeps running.** At every check-in and weekly review the check counts the \
         days since your pain began as of that day, so once it has lasted more than {} weeks it \
         suggests a professional assessment even if it was new when you first answered.\n\
         - **No improvement on the plan.** If, after {weeks} weeks or more on your plan, your pain \
         has not fallen by at least {} points or {:.0}% of where it started, the weekly review \
         says so, once, with the numbers, and suggests booking a physiotherapist or doctor. \
         (Sources: {}.)\n\
         - **Warning signs count wherever you report them**: at a check-in, in a journal entry \
         (numbness or tingling, pain in a leg, an arm or the chest) or in a form. The check runs \
         again and the plan stops if it needs to.\n",
        PERSISTENT_DAYS / 7,
        IMPORTANT_FALL_POINTS,
        IMPORTANT_FALL_SHARE * 100.0,
        cited(NO_IMPROVEMENT_SOURCES, cite)
    );
}
