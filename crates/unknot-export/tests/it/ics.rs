//! The calendar, read back by an independent parser (Python's `icalendar`, installed by
//! `.ci/run`): two events with the right recurrences and alarms.

use std::process::Command;

use unknot_export::ics::{self, Schedule};

use crate::sample::sample;

#[test]
fn python_icalendar_reads_the_routine_and_checkin_recurrences() {
    let s = sample();
    let text = ics::calendar(
        &s.plan,
        &Schedule {
            start: "2026-03-02".parse().unwrap(),
            routine_at: "18:30".parse().unwrap(),
            checkin_at: "09:00".parse().unwrap(),
            alarm_minutes_before: 10,
        },
        "2026-03-01T12:00:00Z".parse().unwrap(),
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let dir = tempfile_dir();
    let path = dir.join("plan.ics");
    std::fs::write(&path, &text).unwrap();
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    rrule = ev.get('RRULE')
    alarms = [a for a in ev.walk('VALARM')]
    out.append({
        'summary': str(ev.get('SUMMARY')),
        'start': ev.decoded('DTSTART').isoformat(),
        'freq': rrule['FREQ'][0],
        'byday': rrule.get('BYDAY', [None])[0],
        'duration_min': int(ev.decoded('DURATION').total_seconds() // 60),
        'alarm': str(alarms[0].decoded('TRIGGER')) if alarms else None,
        'description': str(ev.get('DESCRIPTION')),
    })
print(json.dumps(out))
"#;
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 must be installed (with icalendar: pip install icalendar)");
    assert!(
        run.status.success(),
        "python icalendar could not read the file: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let events: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let routine = &events[0];
    assert_eq!(routine["freq"], "DAILY");
    assert_eq!(routine["start"], "2026-03-02T18:30:00");
    assert_eq!(routine["alarm"], "-1 day, 23:50:00", "ten minutes before");
    let minutes = s.plan.plan.total_seconds.div_ceil(60);
    assert_eq!(routine["duration_min"], minutes);
    let first = &s.plan.plan.routine[0].name;
    assert!(
        routine["description"]
            .as_str()
            .unwrap()
            .contains(first.as_str())
    );
    let checkin = &events[1];
    assert_eq!(checkin["freq"], "WEEKLY");
    assert_eq!(checkin["byday"], "MO", "2026-03-09 is a Monday");
    assert_eq!(checkin["start"], "2026-03-09T09:00:00");
    let _ = std::fs::remove_dir_all(dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("unknot-ics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
