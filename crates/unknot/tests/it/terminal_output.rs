//! Output that cannot hurt: text from the journal is printed inert in the terminal (even text
//! stored before control characters were refused, or written into the database by another
//! program), and CSV exports guard cells a spreadsheet would run as a formula.

use crate::support::Sandbox;

#[test]
fn control_characters_in_stored_text_are_shown_as_escapes() {
    let s = Sandbox::sqlite();
    s.ok(&[
        "log",
        "--pain",
        "4",
        "--note",
        "placeholder",
        "--medication",
        "ibuprofen",
    ]);
    // Text as an older version (or another program) could have stored it.
    let db = s.db_file();
    let url = unknot_store::sqlite_url_for(&db);
    std::thread::spawn(move || {
        sqlx::any::install_default_drivers();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
            sqlx::query(
                "UPDATE entries SET note = 'clear' || char(27) || '[2J' || char(27) \
                 || ']0;owned' || char(7) || ' screen'",
            )
            .execute(&mut c)
            .await
            .unwrap();
        });
    })
    .join()
    .unwrap();
    let out = s.run(&["history", "--since", "2000-01-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "raw control characters reached the terminal: {text:?}"
    );
    assert!(text.contains("\\u{1b}"), "{text}");
}

#[test]
fn csv_cells_that_would_be_formulas_are_guarded_and_read_back_exactly() {
    let s = Sandbox::sqlite();
    for note in [
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2 after the run",
        "@SUM(A1)",
        "'tis fine",
    ] {
        s.ok(&["log", "--pain", "3", &format!("--note={note}")]);
    }
    let csv = s.ok(&["export", "--format", "csv"]);
    for cell in [
        "'=HYPERLINK",
        "'+1",
        "'-2 after the run",
        "'@SUM(A1)",
        "''tis fine",
    ] {
        assert!(csv.contains(cell), "{cell} not guarded: {csv}");
    }
    let before = s.content();
    let file = s.dir.path().join("entries.csv");
    std::fs::write(&file, &csv).unwrap();
    s.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        s.content(),
        before,
        "a CSV export imported back changes nothing"
    );
}
