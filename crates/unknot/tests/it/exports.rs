//! `unknot export` in every format through the real binary, and CSV back in with `unknot import`.

use std::io::Read;

use crate::support::{Sandbox, stderr};

fn journal(s: &Sandbox) {
    s.ok(&[
        "log",
        "--pain",
        "6",
        "--region",
        "lower-back=7",
        "--knot",
        "rhomboids:left:7",
        "--heat",
        "20",
        "--note",
        "first, \"quoted\"",
        "--at",
        "2026-03-01 08:15",
    ]);
    s.ok(&[
        "log",
        "--pain",
        "4",
        "--region",
        "neck=3",
        "--at",
        "2026-03-08 19:00",
    ]);
    s.ok(&["log", "--pain", "2", "--at", "2026-03-15 09:30"]);
    let answers = s.dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"age": 38, "pain_now": 5, "regions": ["lower_back"], "onset_days": 20,
            "peg_pain": 5, "peg_enjoyment": 4, "peg_activity": 5}"#,
    )
    .unwrap();
    s.ok(&["assess", "--answers", &answers.to_string_lossy()]);
    s.ok(&["plan"]);
}

#[test]
fn fhir_ics_and_csv_exports_hold_the_journal() {
    for s in Sandbox::all() {
        journal(&s);
        let fhir: serde_json::Value =
            serde_json::from_str(&s.ok(&["export", "--format", "fhir"])).unwrap();
        assert_eq!(fhir["resourceType"], "Bundle");
        let text = fhir.to_string();
        assert!(text.contains("72514-3") && text.contains("91147-9") && text.contains("229065009"));
        let ics = s.ok(&["export", "--format", "ics", "--at", "07:45"]);
        assert!(
            ics.contains("RRULE:FREQ=DAILY") && ics.contains("T074500"),
            "{}",
            s.label
        );
        let knots = s.ok(&["export", "--format", "csv", "--kind", "knots"]);
        assert!(knots.contains("rhomboids,left,7"));
        let march8 = s.ok(&[
            "export",
            "--format",
            "csv",
            "--since",
            "2026-03-05",
            "--until",
            "2026-03-10",
        ]);
        assert_eq!(march8.lines().count(), 2, "header and one entry: {march8}");
        assert!(march8.contains("2026-03-08T19:00:00+01:00"));
        let zip_path = s.dir.path().join("all.zip");
        s.ok(&[
            "export",
            "--format",
            "csv-zip",
            "--out",
            &zip_path.to_string_lossy(),
        ]);
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
        let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        names.sort();
        assert_eq!(
            names,
            ["entries.csv", "knots.csv", "scores.csv", "sessions.csv"]
        );
        let mut scores = String::new();
        zip.by_name("scores.csv")
            .unwrap()
            .read_to_string(&mut scores)
            .unwrap();
        assert!(scores.starts_with("id,time,kind,pain_now,peg"), "{scores}");
        assert!(scores.contains(",intake,5,4.7,"), "{scores}");
    }
}

#[test]
fn a_csv_moves_the_journal_to_another_machine_and_a_bad_one_changes_nothing() {
    let from = Sandbox::sqlite();
    journal(&from);
    let csv = from.ok(&["export", "--format", "csv"]);
    let file = from.dir.path().join("entries.csv");
    std::fs::write(&file, &csv).unwrap();
    for to in Sandbox::all() {
        let out = to.ok(&["import", &file.to_string_lossy()]);
        assert!(out.contains("3 new"), "{out}");
        assert_eq!(to.ok(&["export", "--format", "csv"]), csv, "{}", to.label);
        // Broken on its third line: refused, named, nothing stored.
        let broken = csv.replacen("neck=3", "nek=3", 1);
        let bad = to.dir.path().join("bad.csv");
        std::fs::write(&bad, broken).unwrap();
        let before = to.content();
        let out = to.run(&["import", &bad.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("line 3") && err.contains("regions") && err.contains("nek"),
            "{err}"
        );
        assert_eq!(to.content(), before);
    }
}

#[test]
fn a_calendar_needs_a_plan_and_a_backup_refuses_a_period() {
    let s = Sandbox::sqlite();
    let out = s.run(&["export", "--format", "ics"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no plan yet"));
    let out = s.run(&["export", "--format", "json", "--since", "2026-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    let out = s.run(&["export", "--format", "ics", "--at", "25:00"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("25:00"));
}

#[test]
fn report_writes_a_pdf_whose_text_holds_the_facts() {
    for s in Sandbox::all() {
        journal(&s);
        let pdf = s.dir.path().join("summary.pdf");
        let out = s.ok(&[
            "report",
            "--since",
            "2026-02-15",
            "--until",
            "2026-03-31",
            "--out",
            &pdf.to_string_lossy(),
            "--notes",
            "--question",
            "Should I keep running?",
        ]);
        assert!(out.contains("Wrote"), "{out}");
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) must be installed");
        assert!(text.status.success());
        let flat = String::from_utf8_lossy(&text.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for fact in [
            "38 years old",
            "Pain in the lower back",
            "Rhomboids (left): once",
            "Heat",
            "first, \"quoted\"",
            "Should I keep running?",
            "3 journal entries",
        ] {
            assert!(
                flat.contains(fact),
                "{}: missing {fact:?} in {flat}",
                s.label
            );
        }
        let html = s.dir.path().join("summary.html");
        s.ok(&[
            "report",
            "--since",
            "2026-02-15",
            "--until",
            "2026-03-31",
            "--out",
            &html.to_string_lossy(),
        ]);
        assert!(
            std::fs::read_to_string(&html)
                .unwrap()
                .contains("Rhomboids (left): once")
        );
        let out = s.run(&["report", "--out", "summary.docx"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("summary.docx"));
    }
}
