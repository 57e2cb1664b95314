//! Journal entries as CSV: one row per entry, a header row, ISO 8601 times with their offset.
//!
//! Lists inside a cell are joined with `;` and use the same compact forms the command line
//! accepts (`lower-back=7`, `rhomboids:left:7:shoulders`), so a spreadsheet user can read them
//! and a later import can parse them.

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
            e.at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
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
            join(t.medications.clone()),
            join(t.visits.iter().map(|v| v.id().to_string()).collect()),
            e.note.clone().unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(|e| CsvError(e.into()))?;
    Ok(())
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
