//! export → import → export through the real binary, across engines.

use crate::support::Sandbox;

#[test]
fn a_backup_restores_into_an_empty_journal_byte_for_byte() {
    for s in Sandbox::all() {
        s.ok(&[
            "log",
            "--pain",
            "6",
            "--region",
            "lower-back=7",
            "--knot",
            "upper-trapezius:right:8:neck,arm",
            "--sitting",
            "7.5",
            "--stress",
            "6",
            "--sleep",
            "4",
            "--activity",
            "desk-work,driving",
            "--stretching",
            "--cold",
            "15",
            "--medication",
            "ibuprofen gel",
            "--visit",
            "physiotherapist",
            "--note",
            "ça va <mieux>",
            "--at",
            "2026-03-01 08:15",
        ]);
        s.ok(&["log", "--pain", "2", "--at", "2026-03-02 21:00"]);
        let file = s.dir.path().join("backup.json");
        let file = file.to_string_lossy().to_string();
        s.ok(&["export", "--format", "json", "--out", &file]);
        let first = std::fs::read_to_string(&file).expect("backup written");
        assert!(first.contains("\"format\": \"unknot-backup\""));

        // Into a fresh journal on SQLite (whatever the source engine was).
        let fresh = Sandbox::sqlite();
        let summary = fresh.json(&["import", &file, "--json"]);
        assert_eq!(summary["added"], 2, "{}", s.label);
        let again = fresh.ok(&["export", "--format", "json"]);
        assert_eq!(
            again, first,
            "{}: export → import → export changed the bytes",
            s.label
        );

        // Importing twice changes nothing.
        let twice = fresh.json(&["import", &file, "--json"]);
        assert_eq!(twice["unchanged"], 2);
    }
}

#[test]
fn export_to_stdout_and_csv() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "3", "--at", "2026-03-01 08:15"]);
    let json = s.ok(&["export"]);
    assert!(json.ends_with("}\n"));
    let csv = s.ok(&["export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 2);
}

#[test]
fn a_damaged_journal_is_named_with_the_last_backup_and_left_alone() {
    let sb = Sandbox::sqlite();
    sb.ok(&["log", "--pain", "4"]);
    let backup = sb.dir.path().join("monday.json");
    sb.ok(&["export", "--out", backup.to_str().unwrap()]);
    // Damage the file past its header, as a failing disk or a bad copy would.
    let db = sb.db_file();
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100).take(8000) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let started = std::time::Instant::now();
    let out = sb.run(&["history"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "answered promptly"
    );
    assert_eq!(out.status.code(), Some(1));
    let err = crate::support::stderr(&out);
    assert!(err.contains("is damaged"), "{err}");
    assert!(
        err.contains("monday.json"),
        "the last backup is named: {err}"
    );
    assert!(err.contains("unknot --data-dir NEW-FOLDER import"), "{err}");
    // The damaged file is left exactly as it was, for recovery.
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}
