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
