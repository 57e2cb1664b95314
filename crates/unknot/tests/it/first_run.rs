//! A first run that leads: `unknot demo` makes a complete example (an assessment, a plan,
//! sessions with some only in part, weekly check-ins), and every command a newcomer tries next
//! then shows something real, in numbers that agree with what `demo` said it made.

use crate::support::Sandbox;

/// A fixed moment, so the demo's journal and every number below repeat from run to run.
const NOW: &str = "2026-03-02T18:00:00Z";

/// The number written just before `word` in `text` ("Added 1534 journal entries" → 1534).
fn number_before(text: &str, word: &str) -> usize {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("{word:?} not in {text}"));
    let digits: String = text[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[test]
fn demo_makes_a_complete_example_that_every_command_shows() {
    let s = Sandbox::sqlite();
    let said = s.ok(&["--now", NOW, "demo", "--years", "1"]);
    assert!(said.contains("over 1 year,"), "plural for one year: {said}");
    assert!(!said.contains("1 years"), "{said}");
    let made = number_before(&said, "journal entries");

    // What it made: one intake and weekly check-ins, a plan, sessions (some partial).
    let backup = s.json(&["--now", NOW, "export", "--format", "json"]);
    let assessments = backup["assessments"].as_array().unwrap();
    let kinds = |k: &str| assessments.iter().filter(|a| a["kind"] == k).count();
    assert_eq!(kinds("intake"), 1, "one safety check");
    assert_eq!(
        kinds("checkin"),
        11,
        "a check-in every week after the first"
    );
    assert!(!backup["plans"].as_array().unwrap().is_empty(), "a plan");
    let sessions = backup["sessions"].as_array().unwrap();
    let statuses = |s: &serde_json::Value| -> Vec<String> {
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_str().unwrap().to_string())
            .collect()
    };
    let all_done = sessions
        .iter()
        .filter(|x| statuses(x).iter().all(|st| st == "done"))
        .count();
    assert!(
        all_done > 0 && all_done < sessions.len(),
        "some sessions partial"
    );
    assert!(
        sessions
            .iter()
            .any(|x| statuses(x).iter().any(|st| st == "cut_short")),
        "some exercises cut short"
    );

    // History holds exactly what demo said it added (the sessions' own entries included).
    let history = s.json(&["--now", NOW, "history", "--json"]);
    assert_eq!(history.as_array().unwrap().len(), made, "demo said: {said}");
    let table = s.ok(&["--now", NOW, "history"]);
    assert!(
        table.contains(&format!("The latest 30 of {made} matching entries")),
        "{table}"
    );

    // Today: a routine with its exercises, and the check-in a week after the last.
    let today = s.ok(&["--now", NOW, "today"]);
    let plan = s.json(&["--now", NOW, "plan", "--json"]);
    let routine = plan["plan"]["routine"].as_array().unwrap();
    assert!(routine.len() >= 3, "{plan}");
    assert!(
        today.contains(&format!("{} exercises): due", routine.len())),
        "{today}"
    );
    assert!(today.contains("unknot checkin"), "{today}");

    // The plan lists its exercises by name.
    let text = s.ok(&["--now", NOW, "plan"]);
    let library = s.json(&["library", "--json"]);
    for item in routine {
        let id = item["exercise"].as_str().unwrap();
        let name = library
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["name"]
            .as_str()
            .unwrap();
        assert!(text.contains(name), "{name} not in the plan: {text}");
    }

    trends_and_report_show_it(&s, made, sessions.len());
}

fn trends_and_report_show_it(s: &Sandbox, made: usize, sessions: usize) {
    let trends = s.ok(&["--now", NOW, "trends"]);
    assert!(
        trends.starts_with(&format!("Trends over {made} entries")),
        "{trends}"
    );
    assert!(trends.contains("rhomboids"), "the demo's knots: {trends}");
    assert!(trends.contains("of 365 days with ratings"), "{trends}");

    let out = s.dir.path().join("summary.html");
    s.ok(&["--now", NOW, "report", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    // Every session of the demo lies in the summary's default 90 days.
    assert!(html.contains(&format!("{sessions} sessions")), "sessions");
    assert!(html.contains("Adherence to the plan"), "adherence");
    assert!(html.contains("Better since the first check"), "verdict");
    assert!(html.contains("Rhomboids (left)"), "knots");
}
