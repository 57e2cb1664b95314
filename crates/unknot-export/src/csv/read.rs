//! Reading an entries CSV back, strictly: a file that is not whole and well formed is refused
//! with its line named, never half read. Each row goes through the same core parsers as the
//! command line, then `Entry::check`.

use std::collections::HashSet;

use unknot_core::journal::{Entry, EntryId, Knot, RegionPain};
use unknot_core::score::Score;

use super::{ENTRY_HEADER, ReadError, unguard};

/// Reads an entries CSV written by [`write_entries`](super::write_entries) back into entries,
/// each checked with `Entry::check(now)`. The first problem stops the read, naming its line and
/// field; the caller stores nothing unless every row is good. Refused whole: a quote left open
/// (it would swallow the rest of the file), a file cut off in the middle of a line, a row with
/// too few or too many cells, and an id that appears twice.
pub fn read_entries(text: &str, now: jiff::Timestamp) -> Result<Vec<Entry>, ReadError> {
    check_whole(text)?;
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    check_header(&mut r)?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for row in r.records() {
        let row = row.map_err(|e| ReadError {
            line: e.position().map_or(0, |p| p.line()),
            field: "row".into(),
            reason: e.to_string(),
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let entry = Row { row: &row, line }.entry()?;
        entry.check(now).map_err(|err| ReadError {
            line,
            field: "entry".into(),
            reason: err.to_string(),
        })?;
        if !seen.insert(entry.id.clone()) {
            return Err(ReadError {
                line,
                field: "id".into(),
                reason: format!("the id {} appears twice in the file", entry.id),
            });
        }
        out.push(entry);
    }
    Ok(out)
}

/// Refuses a file whose last quote is never closed, or which ends in the middle of a line.
fn check_whole(text: &str) -> Result<(), ReadError> {
    let mut line = 1u64;
    let mut open_at = None;
    for c in text.chars() {
        match c {
            '"' => open_at = if open_at.is_some() { None } else { Some(line) },
            '\n' => line += 1,
            _ => {}
        }
    }
    if let Some(at) = open_at {
        return Err(ReadError {
            line: at,
            field: "row".into(),
            reason: "a quoted cell starts here and never ends (is the file cut short?)".into(),
        });
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(ReadError {
            line,
            field: "row".into(),
            reason: "the file ends in the middle of this line (is it cut short?)".into(),
        });
    }
    Ok(())
}

fn check_header(r: &mut ::csv::Reader<&[u8]>) -> Result<(), ReadError> {
    let header: Vec<String> = r
        .headers()
        .map_err(|e| ReadError {
            line: 1,
            field: "header".into(),
            reason: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if header == ENTRY_HEADER {
        return Ok(());
    }
    let missing = ENTRY_HEADER
        .iter()
        .find(|h| !header.iter().any(|x| x == *h))
        .map_or_else(
            || "columns in another order".to_string(),
            |h| format!("no column '{h}'"),
        );
    Err(ReadError {
        line: 1,
        field: "header".into(),
        reason: format!(
            "not an entries file written by unknot ({missing}); expected: {}",
            ENTRY_HEADER.join(",")
        ),
    })
}

/// One row being read, with its line for errors.
struct Row<'a> {
    row: &'a ::csv::StringRecord,
    line: u64,
}

impl Row<'_> {
    fn cell(&self, name: &str) -> &str {
        ENTRY_HEADER
            .iter()
            .position(|h| *h == name)
            .and_then(|i| self.row.get(i))
            .unwrap_or("")
            .trim()
    }

    fn bad(&self, field: &str, reason: impl Into<String>) -> ReadError {
        ReadError {
            line: self.line,
            field: field.into(),
            reason: reason.into(),
        }
    }

    fn list(&self, name: &str) -> Vec<&str> {
        self.cell(name)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A list of ids, each parsed as `T`.
    fn ids<T: std::str::FromStr<Err = unknot_core::InputError>>(
        &self,
        name: &str,
    ) -> Result<Vec<T>, ReadError> {
        self.list(name)
            .into_iter()
            .map(|x| {
                x.parse()
                    .map_err(|e: unknot_core::InputError| self.bad(name, e.to_string()))
            })
            .collect()
    }

    fn score(&self, name: &str) -> Result<Option<Score>, ReadError> {
        match self.cell(name) {
            "" => Ok(None),
            v => Score::parse(v, name)
                .map(Some)
                .map_err(|e| self.bad(name, e.to_string())),
        }
    }

    fn yes(&self, name: &str) -> Result<bool, ReadError> {
        match self.cell(name) {
            "" | "no" => Ok(false),
            "yes" => Ok(true),
            v => Err(self.bad(name, format!("'{v}' is not yes or empty"))),
        }
    }

    fn minutes(&self, name: &str) -> Result<Option<u16>, ReadError> {
        match self.cell(name) {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| self.bad(name, format!("'{v}' is not whole minutes"))),
        }
    }

    fn hours(&self, name: &str) -> Result<Option<f64>, ReadError> {
        match self.cell(name) {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| self.bad(name, format!("'{v}' is not a number of hours"))),
        }
    }

    /// The row's time in its own zone: the named zone, else the fixed offset it was written
    /// with (`+05:30`, `Z`).
    fn time(&self) -> Result<jiff::Zoned, ReadError> {
        let time = self.cell("time");
        let stamp: jiff::Timestamp = time.parse().map_err(|_| {
            self.bad(
                "time",
                format!("'{time}' is not an ISO 8601 time with offset"),
            )
        })?;
        let zone = match self.cell("time_zone") {
            "" => jiff::tz::TimeZone::fixed(offset_of(time)),
            name => jiff::tz::TimeZone::get(name)
                .map_err(|_| self.bad("time_zone", format!("unknown time zone '{name}'")))?,
        };
        Ok(stamp.to_zoned(zone))
    }

    fn entry(&self) -> Result<Entry, ReadError> {
        let id = EntryId::new(self.cell("id")).map_err(|e| self.bad("id", e.to_string()))?;
        let mut e = Entry::new(id, self.time()?);
        e.pain = self.score("pain")?;
        e.regions = self
            .list("regions")
            .into_iter()
            .map(|x| RegionPain::parse(x).map_err(|err| self.bad("regions", err.to_string())))
            .collect::<Result<_, _>>()?;
        e.knots = self
            .list("knots")
            .into_iter()
            .map(|x| Knot::parse(x).map_err(|err| self.bad("knots", err.to_string())))
            .collect::<Result<_, _>>()?;
        e.pain_kinds = self.ids("pain_kinds")?;
        e.context.sitting_hours = self.hours("sitting_hours")?;
        e.context.stress = self.score("stress")?;
        e.context.sleep_quality = self.score("sleep_quality")?;
        e.context.activities = self.ids("activities")?;
        let t = &mut e.treatments;
        t.stretching = self.yes("stretching")?;
        t.strengthening = self.yes("strengthening")?;
        t.heat_minutes = self.minutes("heat_minutes")?;
        t.cold_minutes = self.minutes("cold_minutes")?;
        t.massage = self.yes("massage")?;
        t.foam_rolling = self.yes("foam_rolling")?;
        t.medications = self
            .list("medications")
            .into_iter()
            .map(|m| unguard(m).to_string())
            .collect();
        t.visits = self.ids("visits")?;
        // The note keeps its own spaces: only the spreadsheet guard comes off.
        let note = self.row.get(ENTRY_HEADER.len() - 1).unwrap_or_default();
        e.note = (!note.is_empty()).then(|| unguard(note).to_string());
        Ok(e)
    }
}

/// The offset at the end of an ISO 8601 time (`+05:30`, `-04:00`; UTC for `Z`), for a
/// fixed-offset zone when the row names none.
fn offset_of(time: &str) -> jiff::tz::Offset {
    time.rfind(['+', '-'])
        .filter(|&at| at >= 19)
        .and_then(|at| {
            let rest = &time[at..];
            let (h, m) = rest[1..].split_once(':')?;
            let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            let secs = if rest.starts_with('-') { -secs } else { secs };
            jiff::tz::Offset::from_seconds(secs).ok()
        })
        .unwrap_or(jiff::tz::Offset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::write_entries;

    fn now() -> jiff::Timestamp {
        "2026-03-10T12:00:00Z".parse().unwrap()
    }

    fn written(note: &str, medication: &str) -> String {
        let at: jiff::Zoned = "2026-03-01T08:15:00.123+01:00[Europe/Paris]"
            .parse()
            .unwrap();
        let mut e = Entry::new(EntryId::new("a1").unwrap(), at);
        e.note = Some(note.to_string());
        e.treatments.medications = vec![medication.to_string()];
        let mut buf = Vec::new();
        write_entries(&[e], &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn a_round_trip_is_exact_including_milliseconds_and_guarded_formulas() {
        let text = written("=HYPERLINK(\"x\")", "-ibuprofen");
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("08:15:00.123+01:00"), "{text}");
        let back = read_entries(&text, now()).unwrap();
        assert_eq!(back[0].note.as_deref(), Some("=HYPERLINK(\"x\")"));
        assert_eq!(back[0].treatments.medications, vec!["-ibuprofen"]);
        assert_eq!(back[0].at.timestamp().subsec_millisecond(), 123);
    }

    #[test]
    fn an_open_quote_is_refused_with_its_line() {
        let text = written("fine", "x");
        let broken =
            format!("{text}a2,2026-03-02T08:00:00+01:00,,5,,,,,,,,,,,,,,,,\"never closed\n");
        let e = read_entries(&broken, now()).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "row"), "{e}");
    }

    #[test]
    fn a_file_cut_mid_line_is_refused() {
        let text = written("a long note that was cut", "x");
        let cut = &text[..text.len() - 5];
        let e = read_entries(cut, now()).unwrap_err();
        assert!(
            e.reason.contains("cut short") || e.reason.contains("never ends"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_ids_and_short_rows_are_refused() {
        let text = written("n", "x");
        let row = text.lines().nth(1).unwrap();
        let twice = format!("{text}{row}\n");
        let e = read_entries(&twice, now()).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "id"), "{e}");
        let short = format!("{text}a3,2026-03-02T08:00:00+01:00,,5\n");
        assert!(read_entries(&short, now()).is_err());
    }
}
