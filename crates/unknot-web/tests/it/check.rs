//! The web safety check and check-in ask exactly core's question table, stage by stage, in the
//! table's order (the terminal asks from the same table: `crates/unknot/src/intake_form.rs`
//! and its tests). An empty form gives no result; "none of these apply" must be said.

use std::collections::BTreeSet;

use unknot_core::intake::questions::{self, NONE_OF_THESE, Stage};

use crate::support::app;

/// The answer fields a page's form posts: every `name="…"` in its form except the form's own.
fn fields(html: &str) -> Vec<String> {
    let start = html.find("<form method=\"post\"").unwrap_or(0);
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| start + e);
    let mut out = Vec::new();
    for part in html[start..end].split("name=\"").skip(1) {
        let name = part.split('"').next().unwrap_or_default().to_string();
        let own = matches!(name.as_str(), "csrf" | "step" | "go" | "client_id");
        let row = name.starts_with("psfs_activity_") || name.starts_with("psfs_score_");
        let name = if row { "psfs".to_string() } else { name };
        if !own && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The fields a stage asks, in table order.
fn table(stage: Stage, checkin_only: bool) -> Vec<String> {
    questions::stage(stage)
        .filter(|q| !checkin_only || q.checkin)
        .map(|q| q.field.to_string())
        .collect()
}

/// The visible fields of a stage page: the hidden ones carry other stages' answers.
fn asked(html: &str) -> Vec<String> {
    let visible: String = html
        .split('<')
        .filter(|tag| !tag.contains("type=\"hidden\""))
        .collect::<Vec<_>>()
        .join("<");
    fields(&visible)
}

#[tokio::test]
async fn every_stage_asks_the_tables_questions_in_order() {
    let app = app().await;
    let mut page = app.get("/assess").await.body;
    let mut posted: Vec<(String, String)> = Vec::new();
    for (i, stage) in Stage::ALL.iter().enumerate() {
        let mut expected = table(*stage, false);
        if *stage == Stage::WarningSigns {
            expected.push(NONE_OF_THESE.to_string());
        }
        assert_eq!(asked(&page), expected, "stage {}", stage.id());
        if *stage == Stage::WarningSigns {
            posted.push((NONE_OF_THESE.into(), "yes".into()));
        }
        let mut form: Vec<(&str, &str)> = vec![("step", stage.id()), ("go", "next")];
        form.extend(posted.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let r = app.post_form("/assess", &form).await;
        if i + 1 < Stage::ALL.len() {
            assert_eq!(r.status, 200, "{}", r.body);
            page = r.body;
        } else {
            assert_eq!(r.status, 303, "the last step saves: {}", r.body);
        }
    }
    let result = app.get("/assess/result").await;
    assert!(
        result.body.contains("Self-care is reasonable"),
        "{}",
        result.body
    );
}

#[tokio::test]
async fn the_checkin_asks_what_the_table_marks_for_it() {
    let app = app().await;
    let r = app
        .post_form("/assess", &[(NONE_OF_THESE, "yes"), ("go", "finish")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get("/checkin").await.body;
    let expected: BTreeSet<String> = questions::checkin()
        .map(|q| q.field.to_string())
        .chain([NONE_OF_THESE.to_string()])
        .collect();
    let shown: BTreeSet<String> = fields(&page).into_iter().collect();
    assert_eq!(shown, expected);
    for sign in ["unexplained_weight_loss", "night_pain", "cancer_history"] {
        assert!(shown.contains(sign), "the check-in asks again about {sign}");
    }
}

#[tokio::test]
async fn an_empty_form_gives_no_result() {
    let app = app().await;
    let r = app
        .post_form("/assess", &[("step", "warning_signs"), ("go", "next")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("None of these apply"), "{}", r.body);
    assert_eq!(
        app.get("/assess/result").await.status,
        303,
        "nothing was saved"
    );
    // Ticking a sign that needs a doctor stops the check at once, with the advice.
    let r = app
        .post_form(
            "/assess",
            &[("step", "warning_signs"), ("bladder_bowel_change", "yes")],
        )
        .await;
    assert_eq!(r.status, 303);
    let result = app.get("/assess/result").await.body;
    assert!(result.contains("emergency"), "{result}");
}
