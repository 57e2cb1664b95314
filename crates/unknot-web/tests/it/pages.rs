//! Every page renders; the journal form stores entries, refuses bad ones with the value named
//! and what was typed kept; user text is escaped; History reaches every entry and counts what
//! it shows; Today leads a new journal to the safety check.

use unknot_core::journal::{Entry, EntryId};
use unknot_core::score::Score;

use crate::support::{App, app, plain_answers};

const PAGES: &[&str] = &[
    "/",
    "/journal",
    "/history",
    "/session",
    "/therapy",
    "/assess",
    "/checkin",
    "/plan",
    "/library",
    "/library/bird-dog",
    "/learn",
    "/learn/heat-or-cold",
    "/search?q=do+knots+go+away+on+their+own",
    "/settings",
    "/report",
];

#[tokio::test]
async fn every_page_renders_on_an_empty_journal_and_after_an_assessment() {
    let app = app().await;
    for round in 0..2 {
        for p in PAGES {
            let r = app.get(p).await;
            assert_eq!(r.status, 200, "{p} (round {round}): {}", r.body);
            assert!(r.content_type.starts_with("text/html"), "{p}");
            assert!(r.body.contains("<main id=\"main\""), "{p}");
            assert!(
                r.body.contains("does not diagnose"),
                "{p}: the disclaimer is on every page"
            );
        }
        let r = app
            .json("POST", "/api/v1/assessments", plain_answers())
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let plan = app.get("/plan").await;
    assert!(
        plan.body.contains("Why:"),
        "the plan gives a reason per exercise"
    );
    let session = app.get("/session").await;
    assert!(
        session.body.contains("data-steps-url"),
        "the player appears once there is a plan"
    );
    // The finish form asks about the warning signs that matter during exercise, in the
    // question table's words, one checkbox per sign core knows.
    for sign in unknot_core::signs::SESSION_SIGNS {
        assert!(
            session
                .body
                .contains(&format!(r#"name="warning-sign" value="{}""#, sign.id)),
            "{}",
            sign.id
        );
    }
    assert!(
        session
            .body
            .contains("Do you have new pain, numbness, tingling or weakness in both legs?")
    );
    assert!(session.body.contains("Leave it out if") && session.body.contains("Stop if"));
}

#[tokio::test]
async fn the_journal_form_stores_an_entry_with_regions_knots_and_treatments() {
    let app = app().await;
    let r = app
        .post_form(
            "/journal",
            &[
                ("pain_rated", "on"),
                ("pain", "6"),
                ("region", "lower-back"),
                ("region_pain_lower-back", "7"),
                ("knot", "upper-trapezius:right"),
                ("tender_upper-trapezius_right", "8"),
                ("activity", "desk-work"),
                ("heat_minutes", "15"),
                ("note", "after the long drive"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.headers["location"], "/journal?done=saved");
    let entries = app
        .state
        .app()
        .store()
        .list_entries(Default::default())
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.pain.map(|p| p.get()), Some(6));
    assert_eq!(e.regions[0].region.id(), "lower-back");
    assert_eq!(e.knots[0].muscle.id(), "upper-trapezius");
    assert_eq!(e.knots[0].tenderness.get(), 8);
    assert_eq!(e.treatments.heat_minutes, Some(15));
    let page = app.get("/journal?done=saved").await;
    assert!(page.body.contains("Saved."));
    assert!(page.body.contains("after the long drive"));
    // Several entries a day are normal.
    let r = app
        .post_form("/journal", &[("pain_rated", "on"), ("pain", "3")])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(app.entry_count().await, 2);
}

#[tokio::test]
async fn a_bad_value_is_named_on_the_form_and_nothing_is_stored() {
    let app = app().await;
    let r = app
        .post_form(
            "/journal",
            &[
                ("pain_rated", "on"),
                ("pain", "4"),
                ("region", "neck"),
                ("region_pain_neck", "12"),
                ("note", "keep this text"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("12"), "the value is named: {}", r.body);
    assert!(r.body.contains("keep this text"), "what was typed is kept");
    assert!(r.body.contains("value=\"neck\" id=\"region-neck\" checked"));
    assert_eq!(app.entry_count().await, 0);
    let r = app
        .post_form("/journal", &[("knot", "rhomboid:left")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("did you mean rhomboids?"), "{}", r.body);
    assert_eq!(app.entry_count().await, 0);
}

#[tokio::test]
async fn a_script_in_a_note_renders_inert() {
    let app = app().await;
    let evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let r = app
        .post_form(
            "/journal",
            &[("pain_rated", "on"), ("pain", "2"), ("note", evil)],
        )
        .await;
    assert_eq!(r.status, 303);
    for page in ["/journal", "/history"] {
        let body = app.get(page).await.body;
        assert!(
            !body.contains("<script>alert"),
            "{page} must escape the note"
        );
        assert!(!body.contains("<img src=x"), "{page} must escape the note");
        assert!(
            body.contains("&#60;script&#62;alert") || body.contains("&lt;script&gt;alert"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn entries_can_be_edited_and_deleted_from_the_pages() {
    let app = app().await;
    app.post_form("/journal", &[("pain_rated", "on"), ("pain", "5")])
        .await;
    let id = app
        .state
        .app()
        .store()
        .list_entries(Default::default())
        .await
        .unwrap()[0]
        .id
        .to_string();
    let form = app.get(&format!("/journal/{id}/edit")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"5\""));
    let r = app
        .post_form(
            &format!("/journal/{id}"),
            &[("pain_rated", "on"), ("pain", "2"), ("note", "better")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let e = app.state.app().store().find_entry(&id).await.unwrap();
    assert_eq!(e.pain.map(|p| p.get()), Some(2));
    let r = app.post_form(&format!("/journal/{id}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(app.entry_count().await, 0);
    assert_eq!(app.get(&format!("/journal/{id}/edit")).await.status, 404);
}

#[tokio::test]
async fn history_filters_by_region_and_names_a_bad_date() {
    let app = app().await;
    app.post_form("/journal", &[("region", "neck"), ("region_pain_neck", "4")])
        .await;
    app.post_form(
        "/journal",
        &[("region", "lower-back"), ("region_pain_lower-back", "6")],
    )
    .await;
    let all = app.get("/history").await;
    assert!(all.body.contains("2 entries"), "{}", all.body);
    assert!(
        all.body.contains("class=\"chart\" role=\"img\""),
        "charts are SVG drawn on the server"
    );
    let neck = app.get("/history?region=neck").await;
    assert!(
        neck.body.contains("<strong>1 entry</strong>"),
        "{}",
        neck.body
    );
    let bad = app.get("/history?since=yesterdayish").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("yesterdayish"), "the bad value is named");
}

#[tokio::test]
async fn an_emergency_assessment_shows_unmissable_advice_everywhere() {
    let app = app().await;
    let r = app
        .post_form(
            "/assess",
            &[
                ("saddle_numbness", "yes"),
                ("bladder_bowel_change", "yes"),
                ("age", "50"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let result = app.get("/assess/result").await;
    assert!(
        result.body.contains("Get emergency care now"),
        "{}",
        result.body
    );
    assert!(result.body.contains("role=\"alert\""));
    let today = app.get("/").await;
    assert!(
        today.body.contains("class=\"alert alert-emergency\""),
        "Today shows the advice first"
    );
    let plan = app.get("/plan").await;
    assert!(plan.body.contains("No exercise plan is made at this level"));
}

#[tokio::test]
async fn settings_save_and_refuse_bad_values() {
    let app = app().await;
    let r = app
        .post_form(
            "/settings",
            &[
                ("break_every_minutes", "45"),
                ("quiet_start", "21:30"),
                ("quiet_end", "07:00"),
                ("time_zone", "Europe/Lisbon"),
                ("theme", "dark"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.state
            .app()
            .store()
            .settings()
            .await
            .unwrap()
            .break_every_minutes,
        Some(45)
    );
    assert!(app.get("/").await.body.contains("class=\"theme-dark\""));
    let r = app
        .post_form(
            "/settings",
            &[("time_zone", "Mars/Olympus"), ("theme", "dark")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mars/Olympus"));
    assert_eq!(
        app.state
            .app()
            .store()
            .settings()
            .await
            .unwrap()
            .time_zone
            .as_deref(),
        Some("Europe/Lisbon"),
        "nothing changed"
    );
}

#[tokio::test]
async fn the_visit_summary_and_calendar_come_from_the_journal() {
    let app = app().await;
    app.json("POST", "/api/v1/assessments", plain_answers())
        .await;
    app.post_form(
        "/journal",
        &[
            ("pain_rated", "on"),
            ("pain", "6"),
            ("knot", "rhomboids:left"),
            ("tender_rhomboids_left", "7"),
            ("note", "stiff after the drive"),
        ],
    )
    .await;
    let view = app
        .get("/report/view?notes=yes&questions=Is+this+a+disc%3F%0ACan+I+run%3F")
        .await;
    assert_eq!(view.status, 200);
    for fact in [
        "Rhomboids (left): once",
        "stiff after the drive",
        "Is this a disc?",
        "Can I run?",
        "not a diagnosis",
    ] {
        assert!(view.body.contains(fact), "{fact}: {}", view.body);
    }
    let csp = view.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let pdf = app.get("/report.pdf").await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    let bad = app.get("/report/view?since=last+blue+moon").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("last blue moon"));
    // The plan is made when Plan is first opened; then the calendar has it.
    assert_eq!(app.get("/calendar.ics").await.status, 409);
    app.get("/plan").await;
    let ics = app.get("/calendar.ics").await;
    assert_eq!(ics.status, 200);
    assert!(ics.content_type.starts_with("text/calendar"));
    assert!(ics.body.contains("RRULE:FREQ=DAILY") && ics.body.contains("RRULE:FREQ=WEEKLY"));
}

#[tokio::test]
async fn exercise_pages_and_the_player_carry_the_animated_figure() {
    let app = app().await;
    let page = app.get("/library/bird-dog").await.body;
    assert!(
        page.contains("class=\"figure figure-anim\""),
        "animated figure"
    );
    assert!(page.contains("<animate "));
    assert!(page.contains("aria-label=\"Figure showing Bird dog: Kneel on all fours"));
    assert!(
        page.contains("class=\"fig-still\""),
        "the reduced-motion strip is there too"
    );
    let steps = app
        .get("/api/v1/session/steps?exercise=bird-dog")
        .await
        .json();
    assert!(
        steps["items"][0]["figure"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );
}

/// `n` entries, one an hour going back from two hours ago, each `days_back` days older still.
async fn entries_back(app: &App, n: i64, days_back: i64) {
    let a = app.state.app();
    let now = a.now().await.unwrap();
    let entries: Vec<Entry> = (0..n)
        .map(|i| {
            let at = now
                .checked_sub(jiff::Span::new().days(days_back).hours(2 + i))
                .unwrap();
            let mut e = Entry::new(EntryId::new(a.new_id()).unwrap(), at);
            e.pain = Some(Score::new(i % 11, "pain").unwrap());
            e
        })
        .collect();
    a.log_many(&entries).await.unwrap();
    app.state.changed();
}

/// The entry ids a page of History lists (from their edit links), and its link to older ones.
fn listed(body: &str) -> (Vec<String>, Option<String>) {
    let ids = body
        .split("href=\"/journal/")
        .skip(1)
        .filter_map(|rest| rest.split_once("/edit\"").map(|(id, _)| id.to_string()))
        .collect();
    let older = body
        .split("rel=\"next\"")
        .next()
        .filter(|_| body.contains("rel=\"next\""))
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#38;", "&"));
    (ids, older)
}

#[tokio::test]
async fn history_pages_reach_every_entry_and_count_what_they_show() {
    let app = app().await;
    entries_back(&app, 123, 0).await;
    entries_back(&app, 5, 200).await;
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Some("/history".to_string());
    let mut page = 0;
    while let Some(path) = next {
        page += 1;
        let r = app.get(&path).await;
        assert_eq!(r.status, 200, "{path}");
        let first = (page - 1) * 50 + 1;
        let last = (page * 50).min(123);
        assert!(
            r.body
                .contains(&format!("Entries {first} to {last} of 123, newest first")),
            "page {page} says what it shows: {}",
            r.body
        );
        assert!(r.body.contains(&format!("Page {page} of 3")), "{}", r.body);
        assert!(
            r.body.contains("<strong>123 entries</strong>")
                && r.body.contains("of 128 in your journal"),
            "the period's count, and the journal's: {}",
            r.body
        );
        let (ids, older) = listed(&r.body);
        assert_eq!(ids.len(), last - first + 1, "page {page}");
        for id in ids {
            assert!(seen.insert(id), "page {page} repeats an entry");
        }
        next = older;
    }
    assert_eq!(page, 3);
    assert_eq!(seen.len(), 123, "every entry of the period is reached");
    // "All" reaches the older ones too.
    let history = app.get("/history").await.body;
    let all = history
        .split("href=\"")
        .filter_map(|rest| {
            rest.split_once("\">All</a>")
                .map(|(href, _)| href.to_string())
        })
        .next()
        .expect("an All link");
    let all = app
        .get(&all.replace("&amp;", "&").replace("&#38;", "&"))
        .await
        .body;
    assert!(all.contains("<strong>128 entries</strong>"), "{all}");
    assert!(all.contains("Page 1 of 3"), "{all}");
}

#[tokio::test]
async fn today_leads_a_new_journal_to_the_safety_check_and_drops_what_is_done() {
    let app = app().await;
    let today = app.get("/").await.body;
    let main = &today[today.find("<main").unwrap()..];
    assert_eq!(
        main.matches("class=\"button primary").count(),
        1,
        "one main button: {main}"
    );
    assert!(main.contains("<a class=\"button primary big\" href=\"/assess\">"));
    assert!(
        !main.contains("class=\"chart\" role=\"img\""),
        "no empty charts"
    );
    assert!(!main.contains("class=\"legend\""), "no empty legends");
    assert!(main.contains("What you will see here"));
    assert!(
        today.contains("href=\"/checkin\""),
        "the check-in is in the menu"
    );
    assert!(main.contains("Log how your back feels"));
    let r = app
        .post_form("/journal", &[("pain", "4"), ("note", "first entry")])
        .await;
    assert_eq!(r.status, 303);
    let today = app.get("/").await.body;
    let main = &today[today.find("<main").unwrap()..];
    assert!(
        !main.contains("Log how your back feels"),
        "logged today, so it is no longer due: {main}"
    );
    assert!(main.contains("Logged"), "{main}");
    assert!(
        main.contains("class=\"chart\" role=\"img\""),
        "now there is a chart"
    );
}

#[tokio::test]
async fn the_journal_form_starts_with_nothing_rated_and_stores_no_invented_number() {
    let app = app().await;
    let form = app.get("/journal").await.body;
    assert!(
        !form.contains("name=\"pain\" value=\"3\" checked")
            && form.contains("name=\"pain\" value=\"\" checked"),
        "overall pain starts as not rated"
    );
    assert!(
        !form.contains("name=\"region\" value=\"neck\" id=\"region-neck\" checked"),
        "no area starts recorded"
    );
    // A note alone is a note, not a pain rating.
    let r = app
        .post_form("/journal", &[("pain", ""), ("note", "just a note")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let e = &app
        .state
        .app()
        .history(&Default::default(), None)
        .await
        .unwrap()
        .entries[0];
    assert_eq!(e.pain, None);
    assert!(e.regions.is_empty() && e.knots.is_empty());
}
