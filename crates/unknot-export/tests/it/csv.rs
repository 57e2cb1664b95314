//! CSV files: one per kind with a header row and ISO 8601 times with offset; entries read back
//! exactly; a malformed file is refused with its line and field.

use unknot_export::csv;

use crate::sample::sample;

fn now() -> jiff::Timestamp {
    "2026-04-01T00:00:00Z".parse().unwrap()
}

#[test]
fn entries_round_trip_through_csv() {
    let s = sample();
    let mut buf = Vec::new();
    csv::write_entries(&s.entries, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let back = csv::read_entries(&text, now()).unwrap();
    assert_eq!(back, s.entries);
}

#[test]
fn every_kind_has_a_header_and_times_with_offsets() {
    let s = sample();
    let mut knots = Vec::new();
    csv::write_knots(&s.entries, &mut knots).unwrap();
    let knots = String::from_utf8(knots).unwrap();
    let mut lines = knots.lines();
    assert_eq!(lines.next().unwrap(), csv::KNOT_HEADER.join(","));
    assert!(
        lines
            .next()
            .unwrap()
            .contains(",2026-03-02T08:30:00+01:00,upper-trapezius,right,7,")
    );
    let mut scores = Vec::new();
    csv::write_scores(&s.assessments, &mut scores).unwrap();
    let scores = String::from_utf8(scores).unwrap();
    assert_eq!(scores.lines().next().unwrap(), csv::SCORE_HEADER.join(","));
    assert!(
        scores.contains(",2026-03-01T10:00:00+01:00,intake,6,5.7,6,5,6,3.3"),
        "{scores}"
    );
    let session = unknot_core::adapt::SessionRecord {
        id: "s1".into(),
        at: "2026-03-03T19:00[Europe/Paris]".parse().unwrap(),
        items: vec![unknot_core::adapt::ItemOutcome {
            exercise: "bird-dog".into(),
            status: unknot_core::adapt::ItemStatus::Done,
            seconds: 150,
        }],
        pain_before: None,
        pain_after: None,
        warning_signs: Vec::new(),
    };
    let mut sessions = Vec::new();
    csv::write_sessions(&[session], &mut sessions).unwrap();
    let sessions = String::from_utf8(sessions).unwrap();
    assert!(
        sessions.contains("s1,2026-03-03T19:00:00+01:00,bird-dog,1,0,2.5,,"),
        "{sessions}"
    );
}

#[test]
fn a_malformed_file_names_the_line_and_field() {
    let s = sample();
    let mut buf = Vec::new();
    csv::write_entries(&s.entries, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let bad = text.replacen("lower-back=7", "lower-bak=7", 1);
    let err = csv::read_entries(&bad, now()).unwrap_err();
    assert_eq!((err.line, err.field.as_str()), (2, "regions"), "{err}");
    assert!(err.to_string().contains("lower-bak"), "{err}");
    let bad = text.replacen(",6,lower-back", ",eleven,lower-back", 1);
    let err = csv::read_entries(&bad, now()).unwrap_err();
    assert_eq!((err.line, err.field.as_str()), (2, "pain"), "{err}");
    let err = csv::read_entries("when,pain\n2026-03-01,4\n", now()).unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.to_string().contains("no column 'id'"), "{err}");
}
