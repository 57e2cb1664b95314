//! Every exercise in the library has a figure, and every figure is right by construction: a
//! body a person could hold, resting where its contacts say and nowhere else, doing what its
//! relations say. A figure that contradicts its steps is refused, naming the keyframe and the
//! body point.

use unknot_core::catalogue::{Catalogue, ContentFile, Layer};
use unknot_core::figure;

fn problems_of(c: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    for e in c.exercises() {
        match &e.figure {
            None => problems.push(format!("{}: no figure", e.id)),
            Some(f) => {
                for p in figure::check(f) {
                    problems.push(format!("{}: keyframe {}: {}", e.id, p.keyframe, p.message));
                }
            }
        }
    }
    problems
}

#[test]
fn every_exercise_has_a_figure_that_passes() {
    let c = Catalogue::builtin().expect("the library loads");
    let problems = problems_of(&c);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_keyframe_states_its_contacts() {
    let c = Catalogue::builtin().expect("the library loads");
    for e in c.exercises() {
        let f = e.figure.as_ref().expect("a figure");
        for (i, k) in f.keyframes.iter().enumerate() {
            assert!(!k.contacts.is_empty(), "{} keyframe {}", e.id, i + 1);
        }
    }
}

/// Loads the built-in library with one exercise file edited, returning the error text.
fn load_with(id: &str, edit: impl Fn(&str) -> String) -> String {
    let path = format!(
        "{}/../../content/exercises/{id}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).expect("the file");
    let bad = edit(&text);
    assert_ne!(bad, text, "the edit changed nothing");
    let layer = Layer {
        origin: "test".into(),
        files: vec![ContentFile::new(format!("exercises/{id}.toml"), bad)],
        may_override: true,
        user_content: false,
    };
    match Catalogue::load(&[unknot_core::catalogue::builtin(), layer]) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

/// The text with the line setting `name` in keyframe `k` (from 1) set to `value` instead.
fn set_angle(text: &str, k: usize, name: &str, value: f32) -> String {
    let mut blocks: Vec<String> = text
        .split("[[figure.keyframes]]")
        .map(str::to_string)
        .collect();
    let block = &mut blocks[k];
    let line = format!("{name} = {value:.1}");
    let mut found = false;
    let mut lines: Vec<String> = block
        .lines()
        .map(|l| {
            if l.split('=').next().map(str::trim) == Some(name) {
                found = true;
                line.clone()
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found {
        lines.insert(1, line);
    }
    *block = lines.join("\n") + "\n";
    blocks.join("[[figure.keyframes]]")
}

#[test]
fn a_bad_pose_in_a_content_folder_is_named_with_file_and_field() {
    // Bend the knee the wrong way in the second keyframe.
    let text = load_with("bird-dog", |t| {
        t.replace("far_knee = 0.0", "far_knee = -70.0")
    });
    assert!(
        text.contains("bird-dog.toml")
            && text.contains("figure.keyframes[2]")
            && text.contains("knee"),
        "{text}"
    );
}

#[test]
fn a_press_up_that_lifts_the_hips_is_refused() {
    // The steps keep the hips down; a figure that pushes the whole body up (a push-up) states
    // hips-down and so cannot land.
    let text = load_with("prone-press-up", |t| set_angle(t, 2, "tilt", 45.0));
    assert!(
        text.contains("prone-press-up.toml")
            && text.contains("figure.keyframes[2]")
            && text.contains("hips"),
        "{text}"
    );
}

#[test]
fn floating_knees_on_all_fours_are_refused() {
    // Lifting the knees off the mat while they are stated on it names the knee.
    let text = load_with("cat-camel", |t| set_angle(t, 1, "knee", 50.0));
    assert!(
        text.contains("figure.keyframes[1]") && text.contains("knee"),
        "{text}"
    );
}

#[test]
fn a_point_resting_without_being_stated_is_refused() {
    // A hand put down on the mat in bird dog's reach, where the keyframe says it is lifted.
    let text = load_with("bird-dog", |t| {
        t.replace("near_shoulder = 175.0", "near_shoulder = 80.0")
    });
    assert!(
        text.contains("near-hand") && text.contains("not a stated contact"),
        "{text}"
    );
}

#[test]
fn unknown_contacts_and_relations_are_named() {
    let text = load_with("bird-dog", |t| {
        t.replacen("\"hands:mat\"", "\"paws:mat\"", 1).replacen(
            "\"back-flat\"",
            "\"back-flatt\"",
            1,
        )
    });
    assert!(
        text.contains("paws") && text.contains("back-flatt"),
        "{text}"
    );
}

/// Prints every figure problem (for authoring figures): `cargo test -p unknot-core figures --
/// --ignored --nocapture`.
#[test]
#[ignore = "a tool for authoring figures"]
fn print_figure_problems() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/exercises");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let only = std::env::var("FIGURE").unwrap_or_default();
    for path in paths {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        if !only.is_empty() && !id.contains(&only) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap();
        let f: figure::Figure = match table["figure"].clone().try_into() {
            Ok(f) => f,
            Err(e) => {
                println!("{id}: cannot read: {e}");
                continue;
            }
        };
        for p in figure::check(&f) {
            println!("{id}: keyframe {}: {}", p.keyframe, p.message);
        }
    }
}

/// How far keyframe `i` is from resting as it states (0 when every contact touches, every
/// other part is clear and every `touch:` relation holds).
fn misfit(f: &figure::Figure, i: usize) -> f32 {
    use figure::contacts::{CLEAR, Contact, Surface};
    use figure::surface::all_spots;
    let setting = f.setting();
    let Some(body) = f.body(i, &setting) else {
        return f32::MAX;
    };
    let mut cost = 0.0;
    let mut stated = Vec::new();
    for c in f.keyframes[i]
        .contacts
        .iter()
        .filter_map(|c| Contact::parse(c).ok())
    {
        for s in &c.spots {
            stated.push(*s);
            if c.surface == Surface::Band {
                continue;
            }
            let d = s
                .balls(&body)
                .iter()
                .map(|b| setting.distance(b, c.surface))
                .fold(f32::MAX, f32::min);
            cost += (d - 0.004).max(0.0).powi(2) + 4.0 * (-d - 0.004).max(0.0).powi(2);
        }
    }
    for spot in all_spots() {
        if stated.iter().any(|s| *s == spot || s.next_to(&spot)) {
            continue;
        }
        for surface in setting.surfaces() {
            let d = spot
                .balls(&body)
                .iter()
                .map(|b| setting.distance(b, surface))
                .fold(f32::MAX, f32::min);
            cost += (CLEAR + 0.008 - d).max(0.0).powi(2);
        }
    }
    for p in &setting.props {
        for solid in &p.solids {
            let worst = figure::surface::all_balls(&body)
                .iter()
                .map(|b| solid.distance(b.c) - b.r)
                .fold(f32::MAX, f32::min);
            cost += (-worst - 0.005).max(0.0).powi(2) * 4.0;
        }
    }
    if let Some(p) = f.pose(i) {
        for (_, v, lo, hi) in figure::joint_angles(&p) {
            cost += 1e-2 * ((lo - v).max(0.0) + (v - hi).max(0.0)).powi(2);
        }
    }
    cost + relation_cost(f, i, &body)
}

/// The `misfit` of keyframe `i`'s relations that have a distance to close.
fn relation_cost(f: &figure::Figure, i: usize, body: &figure::kinematics::Body) -> f32 {
    let setting = f.setting();
    let body = *body;
    let mut cost = 0.0;
    for r in &f.keyframes[i].relations {
        let under = |a: figure::surface::Part, b: figure::surface::Part| {
            let mut c = 0.0;
            for side in 0..2 {
                let pa = figure::surface::Spot { part: a, side }.balls(&body)[0].c;
                let pb = match b {
                    figure::surface::Part::Hips => body.sides[side].hip,
                    _ => body.sides[side].shoulder,
                };
                c += ((pa - pb).flat().len() - 0.08).max(0.0).powi(2);
            }
            c
        };
        use figure::surface::{Part, Spot};
        match r.as_str() {
            "hands-under-shoulders" => cost += under(Part::Hand, Part::Shoulder),
            "elbows-under-shoulders" => cost += under(Part::Elbow, Part::Shoulder),
            "knees-under-hips" => cost += under(Part::Knee, Part::Hips),
            "hips-up" => {
                let d = Spot {
                    part: Part::Hips,
                    side: 0,
                }
                .balls(&body)
                .iter()
                .map(|b| setting.distance(b, figure::Surface::Floor))
                .fold(f32::MAX, f32::min);
                cost += (0.08 - d).max(0.0).powi(2);
            }
            "head-level" => {
                let tip = body.head_frame.front.y.asin().to_degrees().abs();
                cost += 1e-4 * (tip - 10.0).max(0.0).powi(2);
            }
            "knees-together" => {
                cost += ((body.sides[0].knee - body.sides[1].knee).len() - 0.12)
                    .max(0.0)
                    .powi(2);
            }
            "hips-to-heels" => {
                let heel = (body.sides[0].heel + body.sides[1].heel) * 0.5;
                cost += ((body.pelvis - heel).len() - 0.25).max(0.0).powi(2);
            }
            _ => {}
        }
        let mut it = r.split(':');
        if it.next() != Some("touch") {
            continue;
        }
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            continue;
        };
        let (Some(a), Some(b)) = (figure::contacts::spots(a), figure::contacts::spots(b)) else {
            continue;
        };
        let bb: Vec<_> = b.iter().flat_map(|s| s.balls(&body)).collect();
        for s in a {
            let gap = s
                .balls(&body)
                .iter()
                .flat_map(|x| bb.iter().map(move |y| (x.c - y.c).len() - x.r - y.r))
                .fold(f32::MAX, f32::min);
            cost += (gap - 0.01).max(0.0).powi(2) + (-gap - 0.01).max(0.0).powi(2);
        }
    }
    cost
}

/// Solves the angles named in `FREE` (comma separated) of each keyframe of `FIGURE` so its
/// contacts hold, and prints them: `FIGURE=cat-camel FREE=tilt,hip cargo test … solve_figure
/// -- --ignored --nocapture`.
#[test]
#[ignore = "a tool for authoring figures"]
fn solve_figure() {
    let id = std::env::var("FIGURE").unwrap();
    let free: Vec<String> = std::env::var("FREE")
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let only: Option<usize> = std::env::var("KEY").ok().and_then(|k| k.parse().ok());
    let path = format!(
        "{}/../../content/exercises/{id}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let mut f: figure::Figure = table["figure"].clone().try_into().unwrap();
    for i in 0..f.keyframes.len() {
        if only.is_some_and(|k| k != i + 1) {
            continue;
        }
        let start = f.pose(i).unwrap();
        let get = |f: &figure::Figure, name: &str| -> f32 {
            f.keyframes[i]
                .angles
                .get(name)
                .copied()
                .unwrap_or_else(|| base_value(&start, name))
        };
        for name in &free {
            if !f.keyframes[i].angles.contains_key(name) {
                let v = base_value(&start, name);
                f.keyframes[i].angles.insert(name.clone(), v);
            }
        }
        let restarts: usize = std::env::var("RESTARTS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(6);
        let origin = f.keyframes[i].angles.clone();
        let mut overall = (misfit(&f, i), origin.clone());
        let mut seed: u32 = 12345;
        for attempt in 0..=restarts {
            f.keyframes[i].angles = origin.clone();
            if attempt > 0 {
                for name in &free {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let r = (seed >> 16) as f32 / 65536.0 * 2.0 - 1.0;
                    let scale = if name == "x" { 0.01 } else { 1.0 };
                    let v = get(&f, name) + r * 15.0 * scale;
                    f.keyframes[i].angles.insert(name.clone(), v);
                }
            }
            let mut best = misfit(&f, i);
            for step in [8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.1] {
                let mut improved = true;
                let mut rounds = 0;
                while improved && rounds < 60 {
                    improved = false;
                    rounds += 1;
                    for name in &free {
                        let scale = if name == "x" { 0.01 } else { 1.0 };
                        for dir in [1.0, -1.0] {
                            let old = get(&f, name);
                            f.keyframes[i]
                                .angles
                                .insert(name.clone(), old + dir * step * scale);
                            let c = misfit(&f, i);
                            if c < best - 1e-9 {
                                best = c;
                                improved = true;
                            } else {
                                f.keyframes[i].angles.insert(name.clone(), old);
                            }
                        }
                    }
                }
            }
            if best < overall.0 - 1e-9 {
                overall = (best, f.keyframes[i].angles.clone());
            }
            if best < 1e-5 {
                break;
            }
        }
        f.keyframes[i].angles = overall.1;
        let best = overall.0;
        let vals: Vec<String> = free
            .iter()
            .map(|n| format!("{n} = {:.1}", get(&f, n)))
            .collect();
        println!("keyframe {}: misfit {best:.6}: {}", i + 1, vals.join(", "));
    }
    for p in figure::check(&f) {
        println!("  still: keyframe {}: {}", p.keyframe, p.message);
    }
}

fn base_value(p: &figure::Pose, name: &str) -> f32 {
    let side = if name.starts_with("far_") { 1 } else { 0 };
    let bare = name.trim_start_matches("near_").trim_start_matches("far_");
    let l = &p.limbs[side];
    match bare {
        "tilt" => p.tilt,
        "roll" => p.roll,
        "turn" => p.turn,
        "waist" => p.waist,
        "side_bend" => p.side_bend,
        "twist" => p.twist,
        "neck" => p.neck,
        "neck_side" => p.neck_side,
        "neck_turn" => p.neck_turn,
        "nod" => p.nod,
        "x" => p.x,
        "shrug" => l.shrug,
        "retract" => l.retract,
        "shoulder" => l.shoulder,
        "shoulder_plane" => l.shoulder_plane,
        "arm_turn" => l.arm_turn,
        "elbow" => l.elbow,
        "hip" => l.hip,
        "hip_plane" => l.hip_plane,
        "hip_turn" => l.hip_turn,
        "knee" => l.knee,
        _ => 0.0,
    }
}

/// Prints keyframe `KEY` of `FIGURE`'s joints (for authoring figures).
#[test]
#[ignore = "a tool for authoring figures"]
fn print_joints() {
    let id = std::env::var("FIGURE").unwrap();
    let k: usize = std::env::var("KEY").unwrap().parse().unwrap();
    let path = format!(
        "{}/../../content/exercises/{id}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let f: figure::Figure = table["figure"].clone().try_into().unwrap();
    let s = f.setting();
    let b = f.body(k - 1, &s).unwrap();
    println!("{s:?}\npelvis {:?} neck {:?}", b.pelvis, b.neck_base);
    for p in &s.props {
        for solid in &p.solids {
            if let Some(w) = figure::surface::all_balls(&b)
                .into_iter()
                .min_by(|x, y| (solid.distance(x.c) - x.r).total_cmp(&(solid.distance(y.c) - y.r)))
            {
                println!("{solid:?}: {:.3} at {:?}", solid.distance(w.c) - w.r, w.c);
            }
        }
    }
    for spot in figure::surface::all_spots() {
        let d = spot
            .balls(&b)
            .iter()
            .map(|x| s.distance(x, figure::Surface::Floor))
            .fold(f32::MAX, f32::min);
        println!("{:>14} {d:.3}", spot.name());
    }
}
