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
            join(t.medications.clone()),
            join(t.visits.iter().map(|v| v.id().to_string()).collect()),
            e.note.clone().unwrap_or_default(),
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

fn iso(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
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

/// Reads an entries CSV written by [`write_entries`] back into entries, each checked with
/// `Entry::check(now)`. The first problem stops the read, naming its line and field; the caller
/// stores nothing unless every row is good.
pub fn read_entries(text: &str, now: jiff::Timestamp) -> Result<Vec<Entry>, ReadError> {
    use unknot_core::journal::{EntryId, Knot, RegionPain};
    use unknot_core::score::Score;
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| ReadError {
            line: 1,
            field: "header".into(),
            reason: e.to_string(),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if header != ENTRY_HEADER {
        let missing = ENTRY_HEADER
            .iter()
            .find(|h| !header.iter().any(|x| x == *h))
            .map_or_else(
                || "columns in another order".to_string(),
                |h| format!("no column '{h}'"),
            );
        return Err(ReadError {
            line: 1,
            field: "header".into(),
            reason: format!(
                "not an entries file written by unknot ({missing}); expected: {}",
                ENTRY_HEADER.join(",")
            ),
        });
    }
    let mut out = Vec::new();
    for (i, row) in r.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| ReadError {
            line,
            field: "row".into(),
            reason: e.to_string(),
        })?;
        let cell = |name: &str| -> &str {
            ENTRY_HEADER
                .iter()
                .position(|h| *h == name)
                .and_then(|i| row.get(i))
                .unwrap_or("")
                .trim()
        };
        let bad = |field: &str, reason: String| ReadError {
            line,
            field: field.into(),
            reason,
        };
        let list = |name: &str| -> Vec<String> {
            cell(name)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let id = EntryId::new(cell("id")).map_err(|e| bad("id", e.to_string()))?;
        let time = cell("time");
        let stamp: jiff::Timestamp = time.parse().map_err(|_| {
            bad(
                "time",
                format!("'{time}' is not an ISO 8601 time with offset"),
            )
        })?;
        let zone_name = cell("time_zone");
        let zone = if zone_name.is_empty() {
            // No zone name: keep the fixed offset the time was written with (`+05:30`, `Z`).
            let offset = time
                .rfind(['+', '-'])
                .filter(|&at| at >= 19)
                .and_then(|at| {
                    let (sign, rest) = time.split_at(at);
                    let _ = sign;
                    let (h, m) = rest[1..].split_once(':')?;
                    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
                    let secs = if rest.starts_with('-') { -secs } else { secs };
                    jiff::tz::Offset::from_seconds(secs).ok()
                })
                .unwrap_or(jiff::tz::Offset::UTC);
            jiff::tz::TimeZone::fixed(offset)
        } else {
            jiff::tz::TimeZone::get(zone_name)
                .map_err(|_| bad("time_zone", format!("unknown time zone '{zone_name}'")))?
        };
        let mut e = Entry::new(id, stamp.to_zoned(zone));
        let score = |name: &str| -> Result<Option<Score>, ReadError> {
            match cell(name) {
                "" => Ok(None),
                v => Score::parse(v, name)
                    .map(Some)
                    .map_err(|err| bad(name, err.to_string())),
            }
        };
        e.pain = score("pain")?;
        e.regions = list("regions")
            .iter()
            .map(|x| RegionPain::parse(x).map_err(|err| bad("regions", err.to_string())))
            .collect::<Result<_, _>>()?;
        e.knots = list("knots")
            .iter()
            .map(|x| Knot::parse(x).map_err(|err| bad("knots", err.to_string())))
            .collect::<Result<_, _>>()?;
        e.pain_kinds = list("pain_kinds")
            .iter()
            .map(|x| {
                x.parse()
                    .map_err(|err: unknot_core::InputError| bad("pain_kinds", err.to_string()))
            })
            .collect::<Result<_, _>>()?;
        e.context.sitting_hours = match cell("sitting_hours") {
            "" => None,
            v => Some(
                v.parse()
                    .map_err(|_| bad("sitting_hours", format!("'{v}' is not a number of hours")))?,
            ),
        };
        e.context.stress = score("stress")?;
        e.context.sleep_quality = score("sleep_quality")?;
        e.context.activities = list("activities")
            .iter()
            .map(|x| {
                x.parse()
                    .map_err(|err: unknot_core::InputError| bad("activities", err.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let yes = |name: &str| -> Result<bool, ReadError> {
            match cell(name) {
                "" | "no" => Ok(false),
                "yes" => Ok(true),
                v => Err(bad(name, format!("'{v}' is not yes or empty"))),
            }
        };
        let minutes = |name: &str| -> Result<Option<u16>, ReadError> {
            match cell(name) {
                "" => Ok(None),
                v => v
                    .parse()
                    .map(Some)
                    .map_err(|_| bad(name, format!("'{v}' is not whole minutes"))),
            }
        };
        e.treatments.stretching = yes("stretching")?;
        e.treatments.strengthening = yes("strengthening")?;
        e.treatments.heat_minutes = minutes("heat_minutes")?;
        e.treatments.cold_minutes = minutes("cold_minutes")?;
        e.treatments.massage = yes("massage")?;
        e.treatments.foam_rolling = yes("foam_rolling")?;
        e.treatments.medications = list("medications");
        e.treatments.visits = list("visits")
            .iter()
            .map(|x| {
                x.parse()
                    .map_err(|err: unknot_core::InputError| bad("visits", err.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let note = row
            .get(ENTRY_HEADER.len() - 1)
            .unwrap_or_default()
            .to_string();
        e.note = (!note.is_empty()).then_some(note);
        e.check(now).map_err(|err| bad("entry", err.to_string()))?;
        out.push(e);
    }
    Ok(out)
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
