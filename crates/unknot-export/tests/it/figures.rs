//! Figure drawings stay stable: the SVG for two exercises is compared with a stored snapshot
//! (run with UNKNOT_UPDATE_SNAPSHOTS=1 to accept a deliberate change, then review the diff).
//! The animation moves, keeps its text alternative, and the strip shows every keyframe. The
//! contact sheet of the whole library is written for a person to review, as SVG and PNG.

use unknot_core::catalogue::Catalogue;
use unknot_export::figure_svg;

fn check_snapshot(name: &str, actual: &str) {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UNKNOT_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UNKNOT_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} changed; if that is intended, run with UNKNOT_UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[test]
fn figure_svg_output_is_stable() {
    let c = Catalogue::builtin().unwrap();
    for id in ["bird-dog", "doorway-chest-stretch"] {
        let e = c.exercise(id).unwrap();
        let f = e.figure.as_ref().unwrap();
        check_snapshot(
            &format!("{id}.still.svg"),
            &figure_svg::still(f, 1, &e.name),
        );
        check_snapshot(
            &format!("{id}.animated.svg"),
            &figure_svg::animated(f, &e.name),
        );
    }
}

#[test]
fn the_animation_moves_at_the_tempo_and_is_labelled() {
    let c = Catalogue::builtin().unwrap();
    let e = c.exercise("cat-camel").unwrap();
    let f = e.figure.as_ref().unwrap();
    let alt = figure_svg::alt_text(&e.name, e.steps.first().map(String::as_str));
    let svg = figure_svg::animated(f, &alt);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-label=\"Figure showing Cat-camel: Kneel on all fours"));
    assert!(svg.contains(&format!("dur=\"{}s\"", f.cycle_seconds)));
    assert!(
        svg.matches("<animate ").count() > 5,
        "the spine and head move"
    );
    assert!(
        svg.contains("<circle class=\"fig-body\""),
        "the head is a circle the page can follow"
    );
    assert!(!svg.contains("<script"));
    let strip = figure_svg::strip(f, &alt);
    assert_eq!(strip.matches("<g transform=").count(), f.keyframes.len());
}

#[test]
fn every_figure_animates_with_the_same_shapes_throughout() {
    let c = Catalogue::builtin().unwrap();
    for e in c.exercises() {
        let f = e.figure.as_ref().unwrap();
        let svg = figure_svg::animated(f, &e.name);
        assert!(
            svg.contains("figure-anim") && svg.contains("<animate "),
            "{} falls back to a still",
            e.id
        );
    }
}

fn rasterise(svg: &str) -> Vec<u8> {
    let mut options = resvg::usvg::Options::default();
    let db = options.fontdb_mut();
    db.load_system_fonts();
    let families: Vec<String> = db
        .faces()
        .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
        .collect();
    if let Some(sans) = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans"]
        .iter()
        .find_map(|w| families.iter().find(|name| name == w).cloned())
    {
        db.set_sans_serif_family(sans);
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().unwrap()
}

/// Writes the contact sheet of every figure to `target/figure-sheet.svg` and `.png` for a
/// person to review: each exercise's keyframes side by side, its first step under them.
#[test]
fn write_the_contact_sheet_for_review() {
    let c = Catalogue::builtin().unwrap();
    let items: Vec<figure_svg::SheetItem> = c
        .exercises()
        .filter_map(|e| {
            e.figure.as_ref().map(|f| figure_svg::SheetItem {
                id: &e.id,
                name: &e.name,
                first_step: e.steps.first().map(String::as_str),
                figure: f,
            })
        })
        .collect();
    assert_eq!(items.len(), c.exercises().count());
    let sheet = figure_svg::contact_sheet(&items);
    for e in c.exercises() {
        let first = e.steps.first().unwrap();
        let words: String = first
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            sheet.contains(&words),
            "{}: its first step is written on the sheet",
            e.id
        );
    }
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("figure-sheet.svg"), &sheet).unwrap();
    std::fs::write(dir.join("figure-sheet.png"), rasterise(&sheet)).unwrap();
}

/// Draws the sheet straight from the content files, valid or not, to `target/figure-draft.png`
/// (for authoring figures): `cargo test -p unknot-export draft_sheet -- --ignored`.
#[test]
#[ignore = "a tool for authoring figures"]
fn draft_sheet() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/exercises");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let only = std::env::var("FIGURE").unwrap_or_default();
    let mut owned = Vec::new();
    for path in paths {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        if !only.is_empty() && !only.split(',').any(|o| id == o) {
            continue;
        }
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let f: unknot_core::figure::Figure = table["figure"].clone().try_into().unwrap();
        let name = table["name"].as_str().unwrap().to_string();
        let step = table["steps"][0].as_str().unwrap().to_string();
        owned.push((id, name, step, f));
    }
    let items: Vec<figure_svg::SheetItem> = owned
        .iter()
        .map(|(id, name, step, f)| figure_svg::SheetItem {
            id,
            name,
            first_step: Some(step),
            figure: f,
        })
        .collect();
    let sheet = figure_svg::contact_sheet(&items);
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::write(out.join("figure-draft.svg"), &sheet).unwrap();
    std::fs::write(out.join("figure-draft.png"), rasterise(&sheet)).unwrap();
}
