//! How the coach's results look in the terminal: the triage (with the emergency banner), habits
//! worth changing, the plan and a plan review. Shared by `assess`, `plan`, `today` and `checkin`.

use unknot_app::coach::ReviewOutcome;
use unknot_core::catalogue::{Catalogue, TherapyKind};
use unknot_core::habits::HabitChange;
use unknot_core::planner::StoredPlan;
use unknot_core::triage::{Triage, Urgency};

use crate::term::Style;

/// The triage result: an emergency banner, or the level and advice; then why, and when to
/// come back.
pub fn safety(t: &Triage, s: &Style) {
    if t.urgency == Urgency::Emergency {
        let bar = "!".repeat(60);
        println!("{}", s.bold(&bar));
        println!("{}", s.bold("EMERGENCY: Get help now"));
        println!("{}", s.bold(&s.wrap(t.advice, "", "")));
        println!("{}", s.bold(&bar));
    } else {
        let label = t.urgency.label();
        let mut first = label.chars();
        let shown = first
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + first.as_str())
            .unwrap_or_default();
        println!("{} {}", s.bold("Result:"), s.bold(&shown));
        println!("{}", s.wrap(t.advice, "", ""));
    }
    if !t.reasons.is_empty() {
        println!("\n{}", s.heading("Why"));
        for r in &t.reasons {
            println!("{}", s.wrap(r.says, "  • ", "    "));
        }
    }
    println!("\n{}", s.dim(&s.wrap(t.come_back, "", "")));
    println!("{}", s.dim("This is a check, not a diagnosis."));
}

/// Habits worth changing, each with the article to read.
pub fn habits(changes: &[HabitChange], s: &Style) {
    if changes.is_empty() {
        return;
    }
    println!("\n{}", s.heading("Habits worth changing"));
    for c in changes {
        println!(
            "{}",
            s.wrap(
                &format!("{} (unknot learn {})", c.change, c.article),
                "  • ",
                "    "
            )
        );
    }
}

fn minutes(seconds: u32) -> String {
    format!("{:.0} min", (f64::from(seconds) / 60.0).ceil())
}

/// The plan: routine with a reason per exercise, heat or cold, breaks, habits, reading, and
/// what changed at the last review.
pub fn plan(stored: &StoredPlan, catalogue: &Catalogue, s: &Style) {
    let p = &stored.plan;
    println!(
        "{}",
        s.heading(&format!(
            "Your plan, version {} ({} of your {} minutes a day)",
            p.version,
            minutes(p.total_seconds),
            p.budget_minutes
        ))
    );
    for n in &p.notes {
        println!("{}", s.dim(&s.wrap(n, "", "")));
    }
    println!("\n{}", s.heading("Daily routine"));
    for (i, item) in p.routine.iter().enumerate() {
        println!(
            "{} {}",
            s.bold(&format!("{:>2}. {}", i + 1, item.name)),
            s.dim(&format!(
                "· {} · {}",
                item.dosage.describe(),
                minutes(item.seconds)
            ))
        );
        // The reason starts with the exercise's name (for JSON readers); the heading has it.
        let reason = item
            .why
            .split_once(": ")
            .map_or(item.why.as_str(), |(_, r)| r);
        println!("{}", s.wrap(reason, "    ", "    "));
    }
    if p.routine.is_empty() {
        println!(
            "  (nothing fits yet: try more minutes a day, or add equipment in `unknot assess`)"
        );
    }
    println!("\n{}", s.heading("Heat or cold"));
    let which = match p.heat_cold.therapy {
        TherapyKind::Heat => "Heat",
        TherapyKind::Cold => "Cold",
        TherapyKind::Contrast => "Contrast",
    };
    println!(
        "{}",
        s.wrap(
            &format!(
                "{which}, {} minutes at a time. {}",
                p.heat_cold.minutes, p.heat_cold.why
            ),
            "  ",
            "  "
        )
    );
    println!("\n{}", s.heading("Breaks"));
    let names: Vec<String> = p
        .breaks
        .micro_breaks
        .iter()
        .filter_map(|id| catalogue.exercise(id).map(|e| e.name.to_lowercase()))
        .collect();
    println!(
        "{}",
        s.wrap(
            &format!(
                "Get up every {} minutes of sitting; for a minute or two try: {}.",
                p.breaks.every_minutes,
                names.join(", ")
            ),
            "  ",
            "  "
        )
    );
    habits(&p.habits, s);
    if !p.reading.is_empty() {
        println!("\n{}", s.heading("Read"));
        for a in &p.reading {
            let title = catalogue
                .article(a)
                .map_or(a.clone(), |x| x.meta.title.clone());
            println!("  • {title} (unknot learn {a})");
        }
    }
    if p.version > 1 && !p.changes.is_empty() {
        println!("\n{}", s.heading("What changed at the last review"));
        for c in &p.changes {
            println!("{}", s.wrap(&c.reason, "  • ", "    "));
        }
    }
}

/// A plan review: what it decided and why, and whether a new version was saved.
pub fn review(out: &ReviewOutcome, version: u32, s: &Style) {
    let r = &out.review;
    if let Some(t) = &r.triage {
        safety(t, s);
        println!();
    }
    println!(
        "{}",
        s.heading(&format!(
            "Plan review: {} on version {version}, {} ({:.0}% of days)",
            unknot_core::words::count(r.days, "day", "days"),
            unknot_core::words::count(r.sessions as u64, "session", "sessions"),
            r.adherence * 100.0
        ))
    );
    if r.changes.is_empty() {
        println!(
            "No changes: keep going with the same plan. (Progress comes after two steady weeks.)"
        );
    }
    for c in &r.changes {
        println!("{}", s.wrap(&c.reason, "  • ", "    "));
    }
    match (out.saved_version, &r.triage) {
        (Some(v), _) => println!("\nSaved as version {v}. See it with: unknot plan"),
        (None, Some(t)) if !t.plan_allowed => {
            println!("\nThe plan is paused until you have had the help above.")
        }
        _ => {}
    }
}
