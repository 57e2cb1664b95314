//! The plan as an RFC 5545 calendar: the daily routine as a recurring event with a reminder
//! alarm, and the weekly check-in as a second recurring event. Calendar apps subscribe to it
//! (the web app serves it on loopback) or import the file.
//!
//! Times are "floating" local times (no zone): a routine at 18:00 stays at 18:00 wherever the
//! user is and across daylight-saving changes, which is what a habit wants. The text is written
//! here rather than through a calendar crate: the format needs only escaping, CRLF line ends and
//! folding at 75 octets, and the one Rust crate for it would add chrono to the build. A test
//! reads the output back with Python's `icalendar` library.

use jiff::civil::{Date, Time};
use unknot_core::planner::StoredPlan;

/// When the events happen.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// First day of the routine.
    pub start: Date,
    /// Time of day for the routine.
    pub routine_at: Time,
    /// Time of day for the weekly check-in (on the start day's weekday, a week later).
    pub checkin_at: Time,
    /// Minutes before the routine that the alarm goes off.
    pub alarm_minutes_before: u16,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\r', "")
        .replace('\n', "\\n")
}

/// Appends one content line, folded at 75 octets (never inside a UTF-8 character), with CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for ch in content.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

fn local(date: Date, time: Time) -> String {
    date.to_datetime(time).strftime("%Y%m%dT%H%M%S").to_string()
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The calendar for `plan`.
pub fn calendar(plan: &StoredPlan, schedule: &Schedule, now: jiff::Timestamp) -> String {
    let p = &plan.plan;
    let mut out = String::new();
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//unknot//back care plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:unknot",
    ] {
        line(&mut out, l);
    }
    let minutes = p.total_seconds.div_ceil(60).max(1);
    let exercises: Vec<String> = p
        .routine
        .iter()
        .map(|i| format!("{}: {}", i.name, i.dosage.describe()))
        .collect();
    line(&mut out, "BEGIN:VEVENT");
    line(
        &mut out,
        &format!("UID:routine-v{}@unknot.local", p.version),
    );
    line(&mut out, &format!("DTSTAMP:{stamp}"));
    line(
        &mut out,
        &format!("DTSTART:{}", local(schedule.start, schedule.routine_at)),
    );
    line(&mut out, &format!("DURATION:PT{minutes}M"));
    line(&mut out, "RRULE:FREQ=DAILY");
    line(
        &mut out,
        &format!("SUMMARY:{}", text(&format!("Back routine ({minutes} min)"))),
    );
    line(
        &mut out,
        &format!(
            "DESCRIPTION:{}",
            text(&format!(
                "{}\nStart it with: unknot session (or Session in the app). Stop any exercise \
                 that makes pain spread down a leg or brings numbness.",
                exercises.join("\n")
            ))
        ),
    );
    line(&mut out, "BEGIN:VALARM");
    line(&mut out, "ACTION:DISPLAY");
    line(&mut out, "DESCRIPTION:Back routine soon");
    line(
        &mut out,
        &format!("TRIGGER:-PT{}M", schedule.alarm_minutes_before),
    );
    line(&mut out, "END:VALARM");
    line(&mut out, "END:VEVENT");

    let checkin_day = schedule
        .start
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(schedule.start);
    let weekday = DAYS[checkin_day.weekday().to_monday_zero_offset() as usize];
    line(&mut out, "BEGIN:VEVENT");
    line(
        &mut out,
        &format!("UID:checkin-v{}@unknot.local", p.version),
    );
    line(&mut out, &format!("DTSTAMP:{stamp}"));
    line(
        &mut out,
        &format!("DTSTART:{}", local(checkin_day, schedule.checkin_at)),
    );
    line(&mut out, "DURATION:PT5M");
    line(&mut out, &format!("RRULE:FREQ=WEEKLY;BYDAY={weekday}"));
    line(&mut out, "SUMMARY:Weekly back check-in");
    line(
        &mut out,
        &format!(
            "DESCRIPTION:{}",
            text(
                "Five minutes: pain, PEG and activity scores and the warning signs. \
                 Run: unknot checkin (or Check in the app)."
            )
        ),
    );
    line(&mut out, "BEGIN:VALARM");
    line(&mut out, "ACTION:DISPLAY");
    line(&mut out, "DESCRIPTION:Weekly back check-in");
    line(&mut out, "TRIGGER:PT0M");
    line(&mut out, "END:VALARM");
    line(&mut out, "END:VEVENT");
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
