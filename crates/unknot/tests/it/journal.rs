//! log, history, edit and delete, on every engine.

use crate::support::{Sandbox, stderr};

#[test]
fn log_history_edit_delete_story() {
    for s in Sandbox::all() {
        let logged = s.json(&[
            "log",
            "--pain",
            "6",
            "--region",
            "lower-back=7",
            "--knot",
            "rhomboids:left:7",
            "--activity",
            "desk-work",
            "--note",
            "stiff after the meeting",
            "--at",
            "2026-03-01 08:15",
            "--json",
        ]);
        let id = logged["id"].as_str().expect("id").to_string();
        assert_eq!(logged["pain"], 6);
        assert_eq!(logged["at"], "2026-03-01T08:15:00+01:00[Europe/Paris]");
        assert_eq!(logged["knots"][0]["muscle"], "rhomboids");

        // Several entries a day are normal.
        s.ok(&[
            "log",
            "--pain",
            "4",
            "--kind",
            "aching,stiffness",
            "--heat",
            "20",
            "--at",
            "2026-03-01 18:00",
        ]);
        s.ok(&[
            "log",
            "--pain",
            "2",
            "--region",
            "neck=2",
            "--at",
            "2026-03-05 09:00",
        ]);

        let all = s.json(&["history", "--json"]);
        assert_eq!(all.as_array().map(Vec::len), Some(3), "{}", s.label);

        let table = s.ok(&["history"]);
        assert!(table.contains("stiff after the meeting"), "{table}");
        assert!(
            table.contains(&id[id.len() - 8..]),
            "table shows short ids: {table}"
        );

        let window = s.json(&[
            "history",
            "--since",
            "2026-03-01",
            "--until",
            "2026-03-01",
            "--json",
        ]);
        assert_eq!(window.as_array().map(Vec::len), Some(2));
        let neck = s.json(&["history", "--region", "neck", "--json"]);
        assert_eq!(neck.as_array().map(Vec::len), Some(1));
        // A knot in the rhomboids touches the upper back.
        let upper = s.json(&["history", "--region", "upper-back", "--json"]);
        assert_eq!(upper[0]["id"], id.as_str());

        let csv = s.ok(&["history", "--csv"]);
        assert!(csv.starts_with("id,time,time_zone,pain"), "{csv}");
        assert!(csv.contains("2026-03-01T08:15:00+01:00"));

        // Edit with the short id: change pain, clear the knot, keep the rest.
        let short = &id[id.len() - 8..];
        let edited = s.json(&["edit", short, "--pain", "3", "--clear", "knots", "--json"]);
        assert_eq!(edited["pain"], 3);
        assert!(edited.get("knots").is_none());
        assert_eq!(edited["note"], "stiff after the meeting");

        // Delete refuses without a terminal or --yes, then works with --yes.
        let refused = s.run(&["delete", short]);
        assert_eq!(refused.status.code(), Some(2));
        assert!(stderr(&refused).contains("--yes"));
        s.ok(&["delete", short, "--yes"]);
        let left = s.json(&["history", "--json"]);
        assert_eq!(left.as_array().map(Vec::len), Some(2));
        let gone = s.run(&["edit", short, "--pain", "1"]);
        assert_eq!(gone.status.code(), Some(2), "{}", stderr(&gone));
        assert!(stderr(&gone).contains(short));
    }
}

#[test]
fn the_default_sqlite_file_is_in_the_data_dir_and_uses_wal() {
    let s = Sandbox::sqlite();
    s.ok(&["log", "--pain", "5"]);
    assert!(s.db_file().exists());
    // WAL mode is a property of the file: a fresh connection reports it.
    let mode = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let store = unknot_store::Store::open(&unknot_store::sqlite_url_for(&s.db_file()))
                .await
                .expect("open");
            (
                store.journal_mode().await.expect("mode"),
                store.foreign_keys_enforced().await.expect("fk"),
            )
        });
    assert_eq!(mode, (Some("wal".to_string()), Some(true)));
}

#[test]
fn database_url_overrides_the_data_dir() {
    let s = Sandbox::sqlite();
    let other = s.dir.path().join("elsewhere").join("mine.db");
    let url = format!("sqlite://{}", other.display());
    s.ok(&["--database-url", &url, "log", "--pain", "5"]);
    assert!(other.exists());
    assert!(!s.db_file().exists());
}

#[test]
fn help_teaches_and_completions_generate() {
    let s = Sandbox::sqlite();
    let help = s.ok(&["log", "--help"]);
    assert!(help.contains("--knot"));
    assert!(help.contains("rhomboids"), "long help lists the muscle ids");
    assert!(help.contains("not a diagnosis"));
    let bash = s.ok(&["completions", "bash"]);
    assert!(bash.contains("unknot"));
}

/// A backup of `recent` entries in the fortnight before 2026-03-02 and `older` a month
/// before that, six hours apart, with ids (shown whole: eight characters) that say which is
/// which.
fn fortnight_backup(recent: usize, older: usize) -> String {
    let at = |start: &str, i: usize| {
        let t: jiff::Timestamp = start.parse().unwrap();
        (t + jiff::SignedDuration::from_hours(i as i64 * 6))
            .in_tz("Europe/Paris")
            .unwrap()
            .to_string()
    };
    let mut entries = Vec::new();
    for i in 0..recent {
        entries.push(serde_json::json!({
            "id": format!("new--{i:03}"), "at": at("2026-02-17T08:00:00Z", i), "pain": 3
        }));
    }
    for i in 0..older {
        entries.push(serde_json::json!({
            "id": format!("old--{i:03}"), "at": at("2026-01-10T08:00:00Z", i), "pain": 6
        }));
    }
    serde_json::json!({"format": "unknot-backup", "version": 1, "entries": entries}).to_string()
}

/// `history --since` shows every entry the filter matches (not the bare table's latest 30), and
/// its footer counts what is shown, what matched and what the journal holds, truthfully.
#[test]
fn a_period_filter_shows_every_match_and_its_footer_tells_the_truth() {
    let s = Sandbox::sqlite();
    let now = "2026-03-02T18:00:00Z";
    let file = s.dir.path().join("fortnight.json");
    std::fs::write(&file, fortnight_backup(45, 20)).unwrap();
    s.ok(&["--now", now, "import", file.to_str().unwrap()]);
    let rows = |text: &str, prefix: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(prefix))
            .count()
    };

    let since = s.ok(&["--now", now, "history", "--since", "2 weeks ago"]);
    assert_eq!(rows(&since, "new--"), 45, "{since}");
    assert_eq!(rows(&since, "old--"), 0, "{since}");
    assert!(
        since
            .trim_end()
            .ends_with("45 matching entries of 65 in the journal."),
        "{since}"
    );
    assert!(
        !since.contains("--since"),
        "no advice to filter a filtered list"
    );

    let json = s.json(&["--now", now, "history", "--since", "2 weeks ago", "--json"]);
    assert_eq!(json.as_array().map(Vec::len), Some(45));

    let last = s.ok(&[
        "--now",
        now,
        "history",
        "--since",
        "2 weeks ago",
        "--last",
        "10",
    ]);
    assert_eq!(rows(&last, "new--"), 10, "{last}");
    assert!(
        last.contains("The latest 10 of 45 matching entries"),
        "{last}"
    );

    // Without a filter the table shows the latest 30, and says so.
    let bare = s.ok(&["--now", now, "history"]);
    assert_eq!(rows(&bare, "new--"), 30, "{bare}");
    assert!(bare.contains("The latest 30 of 65"), "{bare}");
    let all = s.ok(&["--now", now, "history", "--all"]);
    assert_eq!(rows(&all, "new--") + rows(&all, "old--"), 65);
    assert!(all.contains("All 65 entries in the journal."), "{all}");

    let one = s.ok(&["--now", now, "history", "--since", "2026-02-28 08:00"]);
    assert_eq!(rows(&one, "new--"), 1, "{one}");
    assert!(one.contains("1 matching entry of 65"), "{one}");
}
