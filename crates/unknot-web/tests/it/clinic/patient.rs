//! The patient's side of the clinic on each engine: Today leads with the prescribed programme
//! (and reminds of questionnaires and unread messages), messages both ways with their unread
//! counts and refusals, the handout as a page and a PDF (read back with poppler's
//! `pdftotext`), and the files that make the app installable and offline-capable.

use super::*;
use unknot_core::clinic::programme::dose_words;

/// The bytes of an answer (a PDF is not text).
async fn bytes(w: &World, who: Who, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let session = w.session(who).await;
    let res = w
        .router
        .clone()
        .oneshot(request("GET", path, session.as_ref(), &[]))
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

/// The PDF's text as poppler reads it, with runs of white space made one space.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("handout.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the page says with tags and runs of white space collapsed, and `&amp;` read.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#215;", "×")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn names() -> Vec<(String, String, String)> {
    let cat = unknot_core::catalogue::Catalogue::builtin().unwrap();
    programme_body()
        .items
        .iter()
        .map(|p| {
            (
                cat.exercise(&p.exercise).unwrap().name.clone(),
                dose_words(p),
                p.instructions.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn today_leads_with_the_programme_and_the_player_runs_it() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let r = w.browser(Who::PatientA, "GET", "/", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{label}");
        let text = words(&r.body);
        let programme = text
            .find("Your programme from Back Room Physio")
            .expect(&text);
        assert!(text.contains("Low back, week 1"), "{label}");
        assert!(text.contains("Due today: one session"), "{label}: {text}");
        for (name, dose, instructions) in names() {
            assert!(text.contains(&name), "{label}: {name}");
            assert!(text.contains(&dose), "{label}: {dose} in {text}");
            assert!(text.contains(&instructions), "{label}: {instructions}");
        }
        assert!(r.body.contains(r#"href="/session" id="start-programme""#));
        // The questionnaires the clinic asks for at the start are reminded of, above all else.
        let asked = text.find("Back Room Physio asks for").expect("a reminder");
        assert!(asked < programme, "{label}");
        assert!(r.body.contains(r#"<a href="/checkin">Answer now</a>"#));
        // Patient B has no programme: their Today is the self-made plan, as before.
        let r = w.browser(Who::PatientB, "GET", "/", &[]).await;
        assert!(!r.body.contains("Your programme from"), "{label}");
        // The player's steps are the programme's exercises at their prescribed dosage.
        let r = w
            .browser(Who::PatientA, "GET", "/api/v1/session/steps", &[])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
        let steps: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        let ids: Vec<&str> = steps["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["exercise"].as_str().unwrap())
            .collect();
        let want: Vec<String> = programme_body()
            .items
            .into_iter()
            .map(|p| p.exercise)
            .collect();
        assert_eq!(ids, want, "{label}");
    }
}

#[tokio::test]
async fn messages_go_both_ways_with_unread_counts_and_refusals() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let a = w.accounts[&Who::PatientA].clone();
        let staff_thread = format!("/clinic/{}/patients/{a}/messages", w.c1);
        let r = w
            .browser(
                Who::ClinicianA,
                "POST",
                &staff_thread,
                &[("body", "How did the first session go?")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        // The patient's Today and menu say a message waits; opening the page reads it.
        let r = w.browser(Who::PatientA, "GET", "/", &[]).await;
        assert!(
            words(&r.body).contains("1 new message from your clinic"),
            "{label}"
        );
        assert!(
            r.body
                .contains("Messages <span class=\"badge\">1 new</span>")
        );
        let r = w.browser(Who::PatientA, "GET", "/messages", &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("How did the first session go?"), "{label}");
        assert!(r.body.contains("Casey Staff"), "{label}");
        let r = w.browser(Who::PatientA, "GET", "/", &[]).await;
        assert!(!words(&r.body).contains("new message"), "{label}: read now");
        // The patient answers a minute later; newest last in the clinician's thread.
        w.clock
            .set(w.clock.now() + jiff::SignedDuration::from_mins(1));
        let care = w.a_things.care.clone();
        let r = w
            .browser(
                Who::PatientA,
                "POST",
                "/messages",
                &[("care", &care), ("body", "Fine, <b>a bit stiff</b>.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
        let r = w.browser(Who::ClinicianA, "GET", &staff_thread, &[]).await;
        let first = r.body.find("How did the first session go?").unwrap();
        let second = r.body.find("a bit stiff").expect("the reply");
        assert!(
            first < second,
            "{label}: oldest first, newest at the bottom"
        );
        assert!(
            !r.body.contains("<b>a bit stiff"),
            "{label}: plain text only"
        );
        // An empty message is refused on the form, and nothing is stored.
        let r = w
            .browser(
                Who::PatientA,
                "POST",
                "/messages",
                &[("care", &care), ("body", "  ")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
        assert!(r.body.contains("class=\"error\""), "{label}");
        // Another patient cannot write into A's thread; a form without its token is refused.
        let r = w
            .browser(
                Who::PatientB,
                "POST",
                "/messages",
                &[("care", &care), ("body", "hi")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{label}");
        let session = w.session(Who::PatientA).await.unwrap();
        let forged = (session.0.clone(), "not-the-token".to_string());
        let r = send(
            &w.router,
            request(
                "POST",
                "/messages",
                Some(&forged),
                &[("care", &care), ("body", "forged")],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{label}");
        let thread = w
            .clinic
            .my_threads(&principal_of(&w, Who::PatientA).await)
            .await
            .unwrap();
        assert_eq!(thread[0].messages.len(), 2, "{label}: only the two sent");
    }
}

async fn principal_of(w: &World, who: Who) -> unknot_app::clinic::Principal {
    let (token, _) = w.session(who).await.unwrap();
    w.clinic
        .from_session(&token, "10.0.0.9")
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_handout_as_a_page_and_a_pdf_names_the_patient_and_every_exercise() {
    for db in db::databases().await {
        let label = db.label;
        let w = world(db).await;
        let a = w.accounts[&Who::PatientA].clone();
        let staff = format!("/clinic/{}/patients/{a}/handout", w.c1);
        for (who, page, pdf, name) in [
            (
                Who::PatientA,
                "/programme/handout".to_string(),
                "/programme/handout.pdf".to_string(),
                // The patient's own copy carries the name they signed up under.
                "Alex Patient",
            ),
            (
                Who::ClinicianA,
                staff.clone(),
                format!("{staff}.pdf"),
                "Alex Patient",
            ),
        ] {
            let r = w.browser(who, "GET", &page, &[]).await;
            assert_eq!(r.status, StatusCode::OK, "{label} {page}: {}", r.body);
            let text = words(&r.body);
            assert!(text.contains(&format!("For {name}")), "{label}: {text}");
            assert!(text.contains("Back Room Physio"));
            assert!(text.contains("It is not a diagnosis"));
            for (ex, dose, instructions) in names() {
                assert!(text.contains(&ex) && text.contains(&dose), "{label}: {ex}");
                assert!(text.contains(&instructions), "{label}: {instructions}");
            }
            assert!(r.body.contains("<svg"), "{label}: the figures are drawn");
            let (status, headers, body) = bytes(&w, who, &pdf).await;
            assert_eq!(status, StatusCode::OK, "{label} {pdf}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
            // Kept beside the screenshots, for a person to look at.
            let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/browser-screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("clinic-handout.pdf"), &body).unwrap();
            let text = pdf_text(&body);
            assert!(text.contains("Low back, week 1"), "{label}: {text}");
            assert!(
                text.contains(&format!("For {name}, from Back Room Physio")),
                "{text}"
            );
            for (ex, dose, instructions) in names() {
                assert!(text.contains(&ex), "{label}: {ex} in {text}");
                assert!(text.contains(&dose), "{label}: {dose} in {text}");
                assert!(
                    text.contains(&instructions),
                    "{label}: {instructions} in {text}"
                );
            }
            assert!(text.contains("It is not a diagnosis"), "{label}");
        }
        // The clinician's copies and the patient's PDF are in the audit log.
        let log = w.clinic.audit_records().await.unwrap();
        let count = |target: &str| {
            log.iter()
                .filter(|r| r.event.action == "export" && r.event.target == target)
                .filter(|r| r.event.outcome == "ok" && r.event.patient.as_deref() == Some(&a))
                .count()
        };
        assert_eq!(
            count("programme handout"),
            1,
            "{label}: the clinician's page"
        );
        assert_eq!(count("programme handout (PDF)"), 2, "{label}: both PDFs");
        // Someone else's handout is not there for the assistant.
        let (status, _, _) = bytes(&w, Who::Assistant, &format!("{staff}.pdf")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{label}");
    }
}

#[tokio::test]
async fn the_app_is_installable_its_worker_served_from_the_root() {
    let db = db::databases().await.remove(0);
    let w = world(db).await;
    let r = w.browser(Who::Anonymous, "GET", "/sw.js", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(r.headers["service-worker-allowed"], "/");
    assert!(r.headers.contains_key("content-security-policy"));
    assert!(r.body.contains("addEventListener(\"fetch\""));
    let r = w
        .browser(Who::Anonymous, "GET", "/manifest.webmanifest", &[])
        .await;
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/manifest+json");
    let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["start_url"], "/");
    assert!(m["theme_color"].is_string() && m["background_color"].is_string());
    let icons = m["icons"].as_array().unwrap();
    let mut png_192 = false;
    let mut maskable = false;
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        let r = w.browser(Who::Anonymous, "GET", src, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{src}");
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            icon["type"].as_str().unwrap()
        );
        png_192 |= icon["sizes"] == "192x192" && icon["type"] == "image/png";
        maskable |= icon["purpose"] == "maskable";
    }
    assert!(png_192 && maskable, "{icons:?}");
    // Every page links the manifest and loads the queue's script, with no inline script.
    let r = w.browser(Who::PatientA, "GET", "/", &[]).await;
    assert!(
        r.body
            .contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#)
    );
    assert!(
        r.body
            .contains(r#"<script src="/assets/offline.js" defer></script>"#)
    );
    assert!(!r.body.contains("<script>"));
}
