//! The journal as CSV: entries (which import reads back, see [`read_entries`]), knots,
//! sessions and scores, one file each with a header row and ISO 8601 times with their offset, to
//! the millisecond so a round trip is exact.
//!
//! Lists inside a cell are joined with `;` and use the same compact forms the command line
//! accepts (`lower-back=7`, `rhomboids:left:7:shoulders`), so a spreadsheet user can read them
//! and a later import can parse them. Free text (notes, medicine names) that a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written
//! with a leading `'`, the usual guard, which [`read_entries`] removes again.

mod read;

pub use read::read_entries;

use std::io::Write;

use thiserror::Error;
use unknot_core::journal::Entry;

/// Writing CSV failed.
#[derive(Debug, Error)]
#[error("cannot write CSV: {0}")]
pub struct CsvError(#[from] ::csv::Error);

/// The column names, in order.
pub const ENTRY_HEADER: [&str; 20] = [
    "id",
    "time",
    "time_zone",
    "pain",
    "regions",
    "knots",
    "pain_kinds",
    "sitting_hours",
    "stress",
    "sleep_quality",
    "activities",
    "stretching",
    "strengthening",
    "heat_minutes",
    "cold_minutes",
    "massage",
    "foam_rolling",
    "medications",
    "visits",
    "note",
];

/// Writes `entries` with a header row.
pub fn write_entries(entries: &[Entry], out: impl Write) -> Result<(), CsvError> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(ENTRY_HEADER)?;
    for e in entries {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let join = |items: Vec<String>| items.join(";");
        let flag = |b: bool| if b { "yes" } else { "" }.to_string();
        let t = &e.treatments;
        let c = &e.context;
        w.write_record([
            e.id.to_string(),
            iso(&e.at),
            e.at.time_zone().iana_name().unwrap_or("").to_string(),
            opt(e.pain.map(|p| p.to_string())),
            join(
                e.regions
                    .iter()
                    .map(|r| format!("{}={}", r.region, r.pain))
                    .collect(),
            ),
            join(
                e.knots
                    .iter()
                    .map(|k| {
                        let mut s = format!("{}:{}:{}", k.muscle, k.side, k.tenderness);
                        if !k.refers_to.is_empty() {
                            let refers: Vec<&str> = k.refers_to.iter().map(|r| r.id()).collect();
                            s = format!("{s}:{}", refers.join(","));
                        }
                        s
                    })
                    .collect(),
            ),
            join(e.pain_kinds.iter().map(|k| k.id().to_string()).collect()),
            opt(c.sitting_hours.map(|h| h.to_string())),
            opt(c.stress.map(|s| s.to_string())),
            opt(c.sleep_quality.map(|s| s.to_string())),
            join(c.activities.iter().map(|a| a.id().to_string()).collect()),
            flag(t.stretching),
            flag(t.strengthening),
            opt(t.heat_minutes.map(|m| m.to_string())),
            opt(t.cold_minutes.map(|m| m.to_string())),
            flag(t.massage),
            flag(t.foam_rolling),
            join(t.medications.iter().map(|m| guard(m)).collect()),
            join(t.visits.iter().map(|v| v.id().to_string()).collect()),
            e.note.as_deref().map(guard).unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(|e| CsvError(e.into()))?;
    Ok(())
}

/// Columns of the knots file: one row per knot.
pub const KNOT_HEADER: [&str; 7] = [
    "entry_id",
    "time",
    "muscle",
    "side",
    "tenderness",
    "refers_to",
    "region",
];

/// Writes one row per knot across `entries`.
pub fn write_knots(entries: &[Entry], out: impl Write) -> Result<(), CsvError> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(KNOT_HEADER)?;
    for e in entries {
        for k in &e.knots {
            w.write_record([
                e.id.to_string(),
                iso(&e.at),
                k.muscle.id().to_string(),
                k.side.id().to_string(),
                k.tenderness.to_string(),
                k.refers_to
                    .iter()
                    .map(|r| r.id())
                    .collect::<Vec<_>>()
                    .join(";"),
                k.muscle.region().id().to_string(),
            ])?;
        }
    }
    w.flush().map_err(|e| CsvError(e.into()))?;
    Ok(())
}

/// Columns of the sessions file.
pub const SESSION_HEADER: [&str; 8] = [
    "id",
    "time",
    "exercises",
    "done",
    "skipped",
    "minutes",
    "pain_before",
    "pain_after",
];

/// Writes one row per guided session.
pub fn write_sessions(
    sessions: &[unknot_core::adapt::SessionRecord],
    out: impl Write,
) -> Result<(), CsvError> {
    use unknot_core::adapt::ItemStatus;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(SESSION_HEADER)?;
    for s in sessions {
        let count = |st: ItemStatus| s.items.iter().filter(|i| i.status == st).count();
        let seconds: u32 = s.items.iter().map(|i| i.seconds).sum();
        w.write_record([
            s.id.clone(),
            iso(&s.at),
            s.items
                .iter()
                .map(|i| i.exercise.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            count(ItemStatus::Done).to_string(),
            count(ItemStatus::Skipped).to_string(),
            format!("{:.1}", f64::from(seconds) / 60.0),
            s.pain_before.map(|p| p.to_string()).unwrap_or_default(),
            s.pain_after.map(|p| p.to_string()).unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(|e| CsvError(e.into()))?;
    Ok(())
}

/// Columns of the scores file.
pub const SCORE_HEADER: [&str; 9] = [
    "id",
    "time",
    "kind",
    "pain_now",
    "peg",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "psfs",
];

/// Writes one row per assessment or check-in with its outcome scores.
pub fn write_scores(
    assessments: &[unknot_core::intake::Assessment],
    out: impl Write,
) -> Result<(), CsvError> {
    use unknot_core::intake::AssessmentKind;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(SCORE_HEADER)?;
    for a in assessments {
        let x = &a.answers;
        let s = |v: Option<unknot_core::score::Score>| v.map(|v| v.to_string()).unwrap_or_default();
        let peg = match (x.peg_pain, x.peg_enjoyment, x.peg_activity) {
            (Some(p), Some(e), Some(g)) => format!("{:.1}", unknot_core::outcomes::peg(p, e, g)),
            _ => String::new(),
        };
        w.write_record([
            a.id.clone(),
            iso(&a.at),
            match a.kind {
                AssessmentKind::Intake => "intake",
                AssessmentKind::Checkin => "checkin",
            }
            .to_string(),
            s(x.pain_now),
            peg,
            s(x.peg_pain),
            s(x.peg_enjoyment),
            s(x.peg_activity),
            x.psfs
                .as_deref()
                .and_then(unknot_core::outcomes::psfs)
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(|e| CsvError(e.into()))?;
    Ok(())
}

/// The four CSV files (entries, knots, sessions, scores) in one zip archive.
pub fn write_zip(
    entries: &[Entry],
    sessions: &[unknot_core::adapt::SessionRecord],
    assessments: &[unknot_core::intake::Assessment],
) -> Result<Vec<u8>, CsvError> {
    let zip_err = |e: zip::result::ZipError| CsvError(::csv::Error::from(std::io::Error::other(e)));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let files: [(&str, Vec<u8>); 4] = [
        ("entries.csv", {
            let mut b = Vec::new();
            write_entries(entries, &mut b)?;
            b
        }),
        ("knots.csv", {
            let mut b = Vec::new();
            write_knots(entries, &mut b)?;
            b
        }),
        ("sessions.csv", {
            let mut b = Vec::new();
            write_sessions(sessions, &mut b)?;
            b
        }),
        ("scores.csv", {
            let mut b = Vec::new();
            write_scores(assessments, &mut b)?;
            b
        }),
    ];
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(zip_err)?;
        zip.write_all(&bytes)
            .map_err(|e| CsvError(::csv::Error::from(e)))?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

/// A time as ISO 8601 with its offset, with the fraction of a second when there is one (so
/// a round trip keeps every millisecond).
fn iso(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%.f%:z").to_string()
}

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Free text as a cell a spreadsheet will not run: a leading `'` when it would start a formula,
/// and also when the text itself starts with `'`, so reading it back is exact.
fn guard(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes [`guard`].
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// A row of an entries CSV that cannot be read back, with where and why.
#[derive(Debug, Error, PartialEq)]
#[error("line {line}, field {field}: {reason}")]
pub struct ReadError {
    /// The line in the file (1 is the header).
    pub line: u64,
    /// The column name.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use unknot_core::journal::{EntryId, Knot};
    use unknot_core::score::Score;

    #[test]
    fn writes_a_header_and_quoted_cells() {
        let mut e = Entry::new(
            EntryId::new("a1").unwrap(),
            "2026-03-01T08:15:00+01:00[Europe/Paris]".parse().unwrap(),
        );
        e.pain = Some(Score::new(6, "p").unwrap());
        e.knots = vec![Knot::parse("upper-trapezius:right:8:neck,arm").unwrap()];
        e.note = Some("sore, \"tight\"".to_string());
        let mut buf = Vec::new();
        write_entries(&[e], &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), ENTRY_HEADER.join(","));
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(
                "a1,2026-03-01T08:15:00+01:00,Europe/Paris,6,,\"upper-trapezius:right:8:neck,arm\""
            ),
            "{row}"
        );
        assert!(row.ends_with("\"sore, \"\"tight\"\"\""), "{row}");
    }
}
