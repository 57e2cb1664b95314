//! The heat and cold limits, through the real command.

use crate::support::{Sandbox, stderr};

#[test]
fn sessions_past_the_limits_are_refused_with_the_reason() {
    let s = Sandbox::sqlite();
    for (args, needle) in [
        (
            vec!["therapy", "cold", "--minutes", "21", "--barrier"],
            "20 minutes",
        ),
        (
            vec!["therapy", "heat", "--minutes", "31", "--barrier"],
            "30 minutes",
        ),
        (vec!["therapy", "cold", "--minutes", "0", "--barrier"], "0"),
        (vec!["therapy", "cold", "--minutes", "5"], "--barrier"),
        (
            vec!["therapy", "contrast", "--minutes", "5", "--barrier"],
            "contrast",
        ),
    ] {
        let out = s.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    let out = s.run(&["therapy", "cold", "--minutes", "25", "--barrier"]);
    assert!(
        stderr(&out).contains("frostbite"),
        "the reason is given: {}",
        stderr(&out)
    );
    assert!(
        s.json(&["history", "--json"])
            .as_array()
            .expect("array")
            .is_empty(),
        "nothing recorded"
    );
}

#[test]
fn a_session_is_timed_and_recorded_and_a_second_cold_one_warns() {
    let s = Sandbox::sqlite();
    let out = s.ok(&[
        "therapy",
        "cold",
        "--minutes",
        "2",
        "--barrier",
        "--speed",
        "600",
        "--region",
        "lower-back",
        "--quiet",
    ]);
    assert!(out.contains("Recorded"), "{out}");
    let entries = s.json(&["history", "--json"]);
    assert_eq!(entries[0]["treatments"]["cold_minutes"], 2);
    assert!(
        entries[0]["note"]
            .as_str()
            .unwrap_or_default()
            .contains("lower back")
    );
    let again = s.run(&[
        "therapy",
        "cold",
        "--minutes",
        "1",
        "--barrier",
        "--speed",
        "600",
        "--quiet",
    ]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("at least 120 minutes"),
        "{}",
        stderr(&again)
    );
    let contrast = s.ok(&[
        "therapy",
        "contrast",
        "--barrier",
        "--speed",
        "1000",
        "--quiet",
    ]);
    assert!(
        contrast.contains("heat 12 min") && contrast.contains("cold 4 min"),
        "{contrast}"
    );
}
