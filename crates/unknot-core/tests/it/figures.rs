//! Every exercise in the library has a figure, and every figure is a body a person could hold:
//! joints in range, nothing through the floor or the prop, inside its frame.

use unknot_core::catalogue::Catalogue;
use unknot_core::figure;

#[test]
fn every_exercise_has_a_figure_that_passes() {
    let c = Catalogue::builtin().expect("the library loads");
    let mut problems = Vec::new();
    for e in c.exercises() {
        match &e.figure {
            None => problems.push(format!("{}: no figure", e.id)),
            Some(f) => {
                for p in figure::check(f) {
                    problems.push(format!("{}: keyframe {}: {}", e.id, p.keyframe, p.message));
                }
                if f.keyframes.len() < 2 {
                    problems.push(format!("{}: fewer than two keyframes", e.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_bad_pose_in_a_content_folder_is_named_with_file_and_field() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../content/exercises/bird-dog.toml"
    ))
    .unwrap();
    // Bend the knee the wrong way in the second keyframe.
    let bad = text.replace("far_knee = 0.0", "far_knee = -70.0");
    assert_ne!(bad, text);
    let layer = unknot_core::catalogue::Layer {
        origin: "test".into(),
        files: vec![unknot_core::catalogue::ContentFile::new(
            "exercises/bird-dog.toml",
            bad,
        )],
        may_override: true,
        user_content: false,
    };
    let err = Catalogue::load(&[unknot_core::catalogue::builtin(), layer]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("bird-dog.toml")
            && text.contains("figure.keyframes[2]")
            && text.contains("knee"),
        "{text}"
    );
}
