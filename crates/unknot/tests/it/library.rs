//! The library, learn and ask commands, on the built-in content, a --content-dir, and the
//! user's own exercises.

use crate::support::{Sandbox, stderr};

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn bird_dog_toml(s: &Sandbox) -> String {
    s.ok(&["library", "show", "bird-dog", "--toml"])
}

#[test]
fn library_lists_filters_and_shows() {
    let s = Sandbox::sqlite();
    let all = s.json(&["library", "--json"]);
    assert!(all.as_array().map(Vec::len).unwrap_or(0) >= 35);
    let upper = s.json(&[
        "library",
        "--region",
        "upper-back",
        "--kind",
        "self-massage",
        "--json",
    ]);
    let ids: Vec<&str> = upper
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert!(ids.contains(&"ball-wall-rhomboids"), "{ids:?}");
    assert!(
        upper
            .as_array()
            .expect("array")
            .iter()
            .all(|e| e["kind"] == "self-massage")
    );
    let bare = s.json(&["library", "--have", "none", "--json"]);
    assert!(
        bare.as_array()
            .expect("array")
            .iter()
            .all(|e| e["equipment"] == serde_json::json!(["none"]))
    );

    let shown = s.ok(&["library", "show", "bird-dog"]);
    for part in [
        "Steps",
        "Stop if",
        "Sources",
        "McGill",
        "not a diagnosis",
        "Easier:",
    ] {
        assert!(shown.contains(part), "missing {part}: {shown}");
    }
    let json = s.json(&["library", "show", "childs-pose", "--json"]);
    assert_eq!(json["dosage"]["hold_seconds"], serde_json::json!([30, 60]));
    assert!(
        json["citations"][0]
            .as_str()
            .unwrap_or_default()
            .contains("Cochrane")
    );

    let out = s.run(&["library", "show", "bird-dogg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean bird-dog?"));
    let out = s.run(&["library", "--muscle", "rhomboid"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean rhomboids?"));
}

#[test]
fn learn_lists_and_renders_articles() {
    let s = Sandbox::sqlite();
    let list = s.json(&["learn", "--json"]);
    assert!(list.as_array().map(Vec::len).unwrap_or(0) >= 24);
    let text = s.ok(&["learn", "when-to-see-a-doctor"]);
    assert!(text.contains("WHEN TO SEE A DOCTOR"));
    assert!(
        text.contains("• Numbness or tingling between your legs"),
        "{text}"
    );
    assert!(!text.contains("**"), "markdown markers leak: {text}");
    assert!(text.contains("Sources"));
    assert!(text.lines().all(|l| l.chars().count() <= 100));
    let out = s.run(&["learn", "heat-or-cld"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean heat-or-cold?"));
}

#[test]
fn ask_answers_with_articles_and_snippets() {
    let s = Sandbox::sqlite();
    let hits = s.json(&["ask", "do knots go away on their own", "--json"]);
    assert_eq!(hits[0]["id"], "how-long-knots-last");
    assert_eq!(hits[0]["kind"], "article");
    assert!(!hits[0]["snippet"].as_str().unwrap_or_default().is_empty());
    let text = s.ok(&[
        "ask", "ice", "or", "heat", "for", "a", "pulled", "back", "muscle",
    ]);
    assert!(text.starts_with("1. Heat or cold"), "{text}");
    assert!(text.contains("unknot learn heat-or-cold"));
    let none = s.ok(&["ask", "xylophone quasar"]);
    assert!(none.contains("Nothing in the library matches"));
}

#[test]
fn a_content_dir_adds_and_overrides_through_the_same_validation() {
    let s = Sandbox::sqlite();
    let dir = s.dir.path().join("clinic-content");
    let mine = bird_dog_toml(&s)
        .replace("id = \"bird-dog\"", "id = \"clinic-bird-dog\"")
        .replace("name = \"Bird dog\"", "name = \"Clinic bird dog\"");
    write(&dir, "exercises/clinic-bird-dog.toml", &mine);
    write(&dir, "README.md", "not content");
    let d = dir.to_string_lossy().to_string();
    let shown = s.json(&[
        "--content-dir",
        &d,
        "library",
        "show",
        "clinic-bird-dog",
        "--json",
    ]);
    assert_eq!(shown["name"], "Clinic bird dog");
    // Found by search too.
    let hits = s.json(&["--content-dir", &d, "ask", "clinic bird dog", "--json"]);
    assert_eq!(hits[0]["id"], "clinic-bird-dog");

    // A broken file is refused with its file and field named, exit 2.
    write(
        &dir,
        "exercises/broken.toml",
        &mine
            .replace("id = \"clinic-bird-dog\"", "id = \"broken\"")
            .replace("easier = [\"heel-taps\"]", "easier = [\"nope\"]"),
    );
    let out = s.run(&["--content-dir", &d, "library"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("exercises/broken.toml: easier: unknown exercise 'nope'"),
        "{err}"
    );

    let out = s.run(&["--content-dir", "/no/such/folder", "library"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/folder"));
}

#[test]
fn your_own_exercises_are_added_validated_backed_up_and_removed() {
    for s in Sandbox::all() {
        let file = s.dir.path().join("physio.toml");
        let mine = bird_dog_toml(&s)
            .replace("id = \"bird-dog\"", "id = \"physio-bird-dog\"")
            .replace("name = \"Bird dog\"", "name = \"Bird dog, physio's way\"")
            .replace(
                "sources = [\"mcgill-2016\", \"cochrane-exercise-2021\"]",
                "sources = [\"my-clinician\"]",
            );
        std::fs::write(&file, &mine).expect("write");
        let f = file.to_string_lossy().to_string();
        s.ok(&["library", "add", "--file", &f]);
        let shown = s.ok(&["library", "show", "physio-bird-dog"]);
        assert!(shown.contains("your own physiotherapist"), "{shown}");
        assert!(
            s.json(&["library", "--json"])
                .as_array()
                .expect("array")
                .iter()
                .any(|e| e["id"] == "physio-bird-dog")
        );

        // Adding it again needs --replace; a built-in id is refused; broken files are refused.
        assert_eq!(
            s.run(&["library", "add", "--file", &f]).status.code(),
            Some(2)
        );
        s.ok(&["library", "add", "--file", &f, "--replace"]);
        std::fs::write(&file, bird_dog_toml(&s)).expect("write");
        let out = s.run(&["library", "add", "--file", &f]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("built-in"), "{}", stderr(&out));
        std::fs::write(
            &file,
            mine.replace("muscles = [", "muscles = [\"biceps\", "),
        )
        .expect("write");
        let out = s.run(&["library", "add", "--file", &f, "--replace"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("biceps"), "{}", stderr(&out));

        // The backup carries it, and a fresh journal gets it back.
        let backup = s.dir.path().join("backup.json");
        let b = backup.to_string_lossy().to_string();
        s.ok(&["export", "--out", &b]);
        let fresh = Sandbox::sqlite();
        fresh.ok(&["import", &b]);
        assert_eq!(
            fresh.json(&["library", "show", "physio-bird-dog", "--json"])["name"],
            "Bird dog, physio's way"
        );
        assert_eq!(
            fresh.ok(&["export"]),
            std::fs::read_to_string(&backup).expect("read")
        );

        s.ok(&["library", "remove", "physio-bird-dog", "--yes"]);
        assert_eq!(
            s.run(&["library", "show", "physio-bird-dog"]).status.code(),
            Some(2)
        );
        assert_eq!(
            s.run(&["library", "remove", "bird-dog", "--yes"])
                .status
                .code(),
            Some(2)
        );
    }
}

#[test]
fn library_sheet_draws_every_figure_as_svg_or_png() {
    let s = crate::support::Sandbox::sqlite();
    let svg = s.dir.path().join("sheet.svg");
    let out = s.ok(&["library", "sheet", "--out", &svg.to_string_lossy()]);
    assert!(out.contains("41 figures"), "{out}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("Bird dog") && text.contains("wall-angel"));
    let png = s.dir.path().join("sheet.png");
    s.ok(&["library", "sheet", "--out", &png.to_string_lossy()]);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    // Width and height from the IHDR chunk: a real picture, not an empty canvas.
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert!(w >= 800 && h >= 1000, "{w}x{h}");
    let bad = s.run(&["library", "sheet", "--out", "sheet.gif"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(crate::support::stderr(&bad).contains("sheet.gif"));
}
