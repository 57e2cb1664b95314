//! Rendering for people and for scripts: JSON on stdout, tables, and one-line descriptions.

use std::io::Write;

use anyhow::Result;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use unknot_core::journal::Entry;

/// The table style used throughout: a rule under the header only, so rows stay compact and
/// copy cleanly.
pub const TABLE_PRESET: &str = "     ──            ";

/// Said wherever advice is given.
pub const NOT_A_DIAGNOSIS: &str = "This is general information, not a diagnosis. If you have numbness between \
    your legs, new bladder or bowel trouble, leg weakness that is getting worse, or chest pain, get \
    emergency care now (see: unknot learn when-to-see-a-doctor).";

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Text from the journal made safe to print: control characters (which could recolour the
/// terminal, retitle its window or clear the screen) are shown as visible escapes instead.
pub fn inert(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The entry's local time, to the minute.
pub fn when(entry: &Entry) -> String {
    entry.at.strftime("%Y-%m-%d %H:%M").to_string()
}

/// One line about an entry: when, pain, where.
pub fn describe(entry: &Entry) -> String {
    let mut parts = vec![when(entry)];
    if let Some(p) = entry.pain {
        parts.push(format!("pain {p}/10"));
    }
    let regions = regions(entry);
    if !regions.is_empty() {
        parts.push(regions);
    }
    let knots = knots(entry);
    if !knots.is_empty() {
        parts.push(format!("knots: {knots}"));
    }
    inert(&parts.join(", "))
}

fn regions(entry: &Entry) -> String {
    entry
        .regions
        .iter()
        .map(|r| format!("{} {}", r.region.label().to_lowercase(), r.pain))
        .collect::<Vec<_>>()
        .join(", ")
}

fn knots(entry: &Entry) -> String {
    entry
        .knots
        .iter()
        .map(|k| format!("{} {}{}", k.muscle.id(), k.side.letter(), k.tenderness))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `unknot history` table, with a footer that says what it shows.
pub fn history_table(page: &unknot_app::journal::Page, filtered: bool) {
    let entries = &page.entries;
    if entries.is_empty() {
        if page.total == 0 {
            println!("The journal is empty. Add an entry with: unknot log --pain 5");
        } else {
            println!("No entries match (the journal holds {}).", page.total);
        }
        return;
    }
    let mut table = Table::new();
    table
        .load_preset(TABLE_PRESET)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "id",
            "when",
            "pain",
            "where",
            "knots",
            "done and notes",
        ]);
    for e in entries {
        table.add_row(row(e));
    }
    let text = format!(
        "{table}\n{}\n",
        footer(entries.len(), page.matching, page.total, filtered)
    );
    paged(&text);
}

/// Prints `text`, through a pager (`$PAGER`, else `less -FRX`) when it is taller than the
/// terminal it goes to; straight to standard output otherwise, or when no pager can start.
pub fn paged(text: &str) {
    use std::io::IsTerminal;
    let rows = crossterm::terminal::size().map_or(0, |(_, h)| usize::from(h));
    let tall = std::io::stdout().is_terminal() && rows > 0 && text.lines().count() >= rows;
    if tall && let Some(mut child) = pager() {
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(text.as_bytes());
        }
        if child.wait().is_ok() {
            return;
        }
    }
    print!("{text}");
}

fn pager() -> Option<std::process::Child> {
    let command = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -FRX".to_string());
    let mut parts = command.split_whitespace();
    let program = parts.next()?;
    std::process::Command::new(program)
        .args(parts)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .ok()
}

fn row(e: &Entry) -> Vec<String> {
    let mut done = e.treatments.summary();
    if !e.context.activities.is_empty() {
        let acts: Vec<&str> = e.context.activities.iter().map(|a| a.label()).collect();
        done.insert(0, acts.join(", "));
    }
    if let Some(note) = &e.note {
        done.push(format!("“{}”", truncate(note, 60)));
    }
    vec![
        e.id.short().to_string(),
        when(e),
        e.pain.map_or("–".to_string(), |p| p.to_string()),
        regions(e),
        knots(e),
        inert(&done.join("; ")),
    ]
}

/// What the table shows, in words that are true: how many it shows, how many match, and how
/// many the journal holds.
fn footer(shown: usize, matching: usize, total: u64, filtered: bool) -> String {
    let entries = |n: usize| if n == 1 { "entry" } else { "entries" };
    match (shown < matching, filtered) {
        (true, _) => format!(
            "The latest {shown} of {matching} matching {} (--all or --last N for more).",
            entries(matching)
        ),
        (false, true) => format!(
            "{matching} matching {} of {total} in the journal.",
            entries(matching)
        ),
        (false, false) => format!("All {matching} {} in the journal.", entries(matching)),
    }
}

fn truncate(text: &str, max: usize) -> String {
    let flat = text.replace(['\n', '\r'], " ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max - 1).collect::<String>())
    }
}
