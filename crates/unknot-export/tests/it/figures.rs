//! Figure drawings stay stable: the SVG for two exercises is compared with a stored snapshot
//! (run with UNKNOT_UPDATE_SNAPSHOTS=1 to accept a deliberate change, then review the diff).
//! The animation moves, keeps its text alternative, and the strip shows every keyframe.

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
    assert!(!svg.contains("<script"));
    let strip = figure_svg::strip(f, &alt);
    assert_eq!(strip.matches("<g transform=").count(), f.keyframes.len());
}
