//! `unknot trends` on a journal with a clear story.

use crate::support::Sandbox;

#[test]
fn trends_find_the_knots_and_what_precedes_bad_days() {
    let s = Sandbox::sqlite();
    // Three weeks: bad days follow weightlifting, other days are mild.
    for day in 1..=21 {
        let date = format!("2026-03-{day:02} 20:00");
        let lifting = day % 4 == 0;
        let bad_next = day % 4 == 1 && day > 1;
        let pain = if bad_next { "8" } else { "3" };
        let mut args = vec![
            "log",
            "--pain",
            pain,
            "--at",
            &date,
            "--knot",
            "rhomboids:left:6",
        ];
        if lifting {
            args.extend(["--activity", "weightlifting"]);
        } else {
            args.extend(["--activity", "walking"]);
        }
        s.ok(&args);
    }
    let t = s.json(&["trends", "--json"]);
    assert_eq!(t["entries"], 21);
    assert_eq!(t["muscles"][0]["muscle"], "rhomboids");
    assert_eq!(t["muscles"][0]["count"], 21);
    let first = &t["bad_days"]["preceded_by"][0];
    assert_eq!(first["factor"]["activity"], "weightlifting", "{t}");
    let text = s.ok(&["trends"]);
    assert!(text.contains("weightlifting"), "{text}");
    assert!(text.contains("does not prove"), "{text}");
}
