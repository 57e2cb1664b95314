//! Reading the times people type: `now`, `14:30`, `yesterday 18:00`, `2026-03-01`,
//! `2026-03-01 08:15`, `3 days ago`, or a full RFC 3339 / RFC 9557 timestamp.
//!
//! Parsing is pure: the caller passes `now` (which carries the user's time zone), so tests and
//! imports are deterministic.

use jiff::civil::{Date, DateTime, Time};
use jiff::{Span, Timestamp, Zoned};

use crate::error::InputError;

/// Which end of a range a typed date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A bare date means the start of that day.
    Start,
    /// A bare date means the end of that day (inclusive).
    End,
}

const FORMS: &str = "expected now, HH:MM, today/yesterday [HH:MM], YYYY-MM-DD [HH:MM], \
                     an RFC 3339 time, or a span such as '3 days ago'";

/// Parses a moment for `--at`. A bare date means noon of that day.
pub fn parse_moment(text: &str, field: &str, now: &Zoned) -> Result<Zoned, InputError> {
    parse(text, field, now, None)
}

/// Parses one end of a range for `--since` / `--until`, as an instant.
pub fn parse_bound(
    text: &str,
    field: &str,
    now: &Zoned,
    bound: Bound,
) -> Result<Timestamp, InputError> {
    parse(text, field, now, Some(bound)).map(|z| z.timestamp())
}

/// Parses optional `--since` and `--until` values into instants, refusing a start after the
/// end with both values named.
pub fn parse_period(
    since: Option<&str>,
    until: Option<&str>,
    now: &Zoned,
) -> Result<(Option<Timestamp>, Option<Timestamp>), InputError> {
    let start = since
        .map(|s| parse_bound(s, "since", now, Bound::Start))
        .transpose()?;
    let end = until
        .map(|s| parse_bound(s, "until", now, Bound::End))
        .transpose()?;
    if let (Some(s), Some(u)) = (start, end)
        && s > u
    {
        return Err(InputError::Inconsistent(format!(
            "the start ({}) is after the end ({})",
            since.unwrap_or_default(),
            until.unwrap_or_default()
        )));
    }
    Ok((start, end))
}

fn parse(text: &str, field: &str, now: &Zoned, bound: Option<Bound>) -> Result<Zoned, InputError> {
    let t = text.trim();
    let bad = |reason: &str| InputError::malformed(field, text, reason);
    let tz = now.time_zone().clone();
    let lower = t.to_ascii_lowercase();

    if lower == "now" {
        return Ok(now.clone());
    }
    // Whole days named in words.
    for (word, back) in [("today", 0i64), ("yesterday", 1)] {
        if let Some(rest) = lower.strip_prefix(word) {
            let day = now
                .date()
                .checked_sub(Span::new().days(back))
                .map_err(|e| bad(&e.to_string()))?;
            let rest = rest.trim();
            if rest.is_empty() {
                return at_day(day, &tz, bound.unwrap_or(Bound::Start), bound.is_none())
                    .map_err(|e| bad(&e));
            }
            let time: Time = rest.parse().map_err(|_| bad(FORMS))?;
            return day
                .to_datetime(time)
                .to_zoned(tz)
                .map_err(|e| bad(&e.to_string()));
        }
    }
    if let Ok(zoned) = t.parse::<Zoned>() {
        return Ok(zoned);
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts.to_zoned(tz));
    }
    // jiff reads "2026-03-01 08:15" as a date too, dropping the time: only a bare date is one.
    if let Some(date) = (t.len() == 10).then(|| t.parse::<Date>().ok()).flatten() {
        return at_day(date, &tz, bound.unwrap_or(Bound::Start), bound.is_none())
            .map_err(|e| bad(&e));
    }
    if let Ok(dt) = t.replacen(' ', "T", 1).parse::<DateTime>() {
        return dt.to_zoned(tz).map_err(|e| bad(&e.to_string()));
    }
    if let Ok(time) = t.parse::<Time>() {
        let today = now
            .date()
            .to_datetime(time)
            .to_zoned(tz)
            .map_err(|e| bad(&e.to_string()))?;
        let slack = crate::journal::CLOCK_SKEW_SECONDS;
        if bound.is_none() && today.timestamp().as_second() > now.timestamp().as_second() + slack {
            // A bare time still to come today is nearly always last night: say so, never guess.
            return Err(bad(&format!(
                "{} today is still to come (it is {} now); for yesterday write 'yesterday {}', \
                 or give the date",
                time.strftime("%H:%M"),
                now.strftime("%H:%M"),
                time.strftime("%H:%M")
            )));
        }
        return Ok(today);
    }
    if let Ok(span) = t.parse::<Span>() {
        // "3 days ago" parses as negative; a bare "3 days" also means the past here.
        let back = if span.is_negative() {
            span
        } else {
            span.negate()
        };
        return now.checked_add(back).map_err(|e| bad(&e.to_string()));
    }
    Err(bad(FORMS))
}

fn at_day(day: Date, tz: &jiff::tz::TimeZone, bound: Bound, noon: bool) -> Result<Zoned, String> {
    let zoned = if noon {
        day.to_datetime(Time::constant(12, 0, 0, 0))
            .to_zoned(tz.clone())
    } else {
        day.to_zoned(tz.clone())
    }
    .map_err(|e| e.to_string())?;
    match (bound, noon) {
        (Bound::End, false) => {
            let next = zoned.tomorrow().map_err(|e| e.to_string())?;
            next.checked_sub(Span::new().milliseconds(1))
                .map_err(|e| e.to_string())
        }
        _ => Ok(zoned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Zoned {
        "2026-03-10T15:45:00+01:00[Europe/Paris]".parse().unwrap()
    }

    #[test]
    fn reads_the_usual_forms() {
        let n = now();
        let m = |s: &str| parse_moment(s, "--at", &n).unwrap().to_string();
        assert_eq!(m("now"), n.to_string());
        assert_eq!(m("09:30"), "2026-03-10T09:30:00+01:00[Europe/Paris]");
        assert_eq!(
            m("yesterday 18:00"),
            "2026-03-09T18:00:00+01:00[Europe/Paris]"
        );
        assert_eq!(m("2026-03-01"), "2026-03-01T12:00:00+01:00[Europe/Paris]");
        assert_eq!(
            m("2026-03-01 08:15"),
            "2026-03-01T08:15:00+01:00[Europe/Paris]"
        );
        assert_eq!(m("2 hours ago"), "2026-03-10T13:45:00+01:00[Europe/Paris]");
        // A bare time still to come is refused with the day to write instead.
        let later = parse_moment("23:59", "--at", &n).unwrap_err().to_string();
        assert!(later.contains("yesterday 23:59"), "{later}");
        assert_eq!(
            m("2026-03-01T08:00:00Z"),
            "2026-03-01T09:00:00+01:00[Europe/Paris]"
        );
    }

    #[test]
    fn bounds_cover_whole_days() {
        let n = now();
        let s = parse_bound("2026-03-01", "--since", &n, Bound::Start).unwrap();
        let u = parse_bound("2026-03-01", "--until", &n, Bound::End).unwrap();
        assert_eq!(s.to_string(), "2026-02-28T23:00:00Z");
        assert_eq!(u.to_string(), "2026-03-01T22:59:59.999Z");
    }

    #[test]
    fn rejects_nonsense_naming_the_value() {
        let err = parse_moment("next blursday", "--at", &now())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("next blursday") && err.contains("--at"),
            "{err}"
        );
        assert!(parse_moment("2026-02-30", "--at", &now()).is_err());
    }
}
