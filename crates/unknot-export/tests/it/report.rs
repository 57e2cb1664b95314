//! The visit summary: the PDF opens in an independent reader (poppler's `pdftotext` and
//! `pdfinfo`, installed by `.ci/run`) and its text holds the facts; the HTML says the same.

use std::process::Command;

use unknot_core::catalogue::Catalogue;
use unknot_export::report::{self, Input};
use unknot_export::{report_html, report_pdf};

use crate::sample::sample;

fn build() -> report::Report {
    let s = sample();
    let catalogue = Catalogue::builtin().unwrap();
    let answers = unknot_core::signs::as_given(&s.assessments).unwrap().1;
    let triage = unknot_core::triage::triage(&answers);
    report::build(&Input {
        triage: Some(&triage),
        last_check: s.assessments.last().map(|a| a.at.date()),
        course_start: None,
        name: Some("Alex Example".into()),
        since: "2026-03-01".parse().unwrap(),
        until: "2026-03-20".parse().unwrap(),
        entries: &s.entries,
        assessments: &s.assessments,
        sessions: &[],
        plan: Some(&s.plan),
        catalogue: &catalogue,
        include_notes: true,
        questions: vec!["Should I see a physiotherapist?".into()],
    })
}

fn facts() -> Vec<&'static str> {
    vec![
        "Alex Example, 41 years old",
        "Pain in the lower back and neck",
        "Warning-sign check",
        "Upper trapezius (right): once",
        "PEG",
        "Heat",
        "ibuprofen",
        "Adherence to the plan",
        "sit through a meeting",
        "Should I see a physiotherapist?",
        "not a diagnosis",
    ]
}

#[test]
fn the_pdf_opens_and_its_text_holds_the_facts() {
    let r = build();
    let bytes = report_pdf::pdf(&r);
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("unknot-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("summary.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let info = Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo must be installed (apt-get install poppler-utils)");
    assert!(
        info.status.success(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Page size:") && info.contains("595 x 842"),
        "A4: {info}"
    );
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // pdftotext may wrap differently from our lines; compare with spaces normalised.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for fact in facts() {
        assert!(flat.contains(fact), "missing {fact:?} in:\n{text}");
    }
    assert!(
        flat.contains("\u{fc}n\u{ef}code"),
        "Latin-1 text survives: {flat}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_html_page_says_the_same_and_escapes_user_text() {
    let mut r = build();
    r.questions.push("<script>alert(1)</script>".into());
    let page = report_html::html(&r);
    for fact in facts() {
        assert!(page.contains(fact), "missing {fact:?}");
    }
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
    assert!(page.contains("class=\"chart\" role=\"img\""));
    assert!(page.contains("@media print"));
}

#[test]
fn an_empty_period_still_makes_a_clear_report() {
    // Even with no check done, the warning-sign section says so, and the verdict is honest.
    let catalogue = Catalogue::builtin().unwrap();
    let r = report::build(&Input {
        name: None,
        since: "2026-03-01".parse().unwrap(),
        until: "2026-03-07".parse().unwrap(),
        entries: &[],
        assessments: &[],
        sessions: &[],
        plan: None,
        triage: None,
        last_check: None,
        course_start: None,
        catalogue: &catalogue,
        include_notes: false,
        questions: Vec::new(),
    });
    assert!(r.pain_summary.contains("No pain ratings"));
    assert_eq!(r.safety.level, "No safety check done yet");
    assert!(r.verdict.contains("Not enough check-ins"));
    assert!(report_html::html(&r).contains("Warning-sign check"));
    let bytes = report_pdf::pdf(&r);
    assert!(bytes.len() > 500);
}

/// Writes the sample report to `target/report-sample.pdf` for a person to look at.
#[test]
fn write_a_sample_for_review() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report-sample.pdf"), report_pdf::pdf(&build())).unwrap();
    std::fs::write(dir.join("report-sample.html"), report_html::html(&build())).unwrap();
}

/// The text poppler reads from the summary, page by page.
fn pdf_pages(bytes: &[u8], name: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("unknot-pages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("summary.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (apt-get install poppler-utils)");
    let _ = std::fs::remove_dir_all(dir);
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn a_summary_past_one_page_says_on_page_one_what_follows() {
    let r = build();
    let pages = pdf_pages(&report_pdf::pdf(&r), "long");
    assert!(pages.len() > 1, "the full sample needs a second page");
    {
        let note = format!(
            "{} pages: the findings come first; continued on page 2:",
            pages.len()
        );
        assert!(
            pages[0].contains(&note),
            "page 1 lacks the note: {}",
            pages[0]
        );
        // Every section the note says is on page 2 is there, and starts there.
        let listed = pages[0]
            .split("continued on page 2: ")
            .nth(1)
            .unwrap()
            .split(['.', ';'])
            .next()
            .unwrap()
            .to_string();
        for section in listed.split(", ") {
            assert!(pages[1].contains(section), "{section} is not on page 2");
        }
    }
    // A short period fits one page and needs no note.
    let mut short = build();
    short.routine.clear();
    short.history.clear();
    short.notes.clear();
    short.questions.clear();
    short.treatments.clear();
    short.medicines.clear();
    short.scores.clear();
    short.adherence = None;
    let pages = pdf_pages(&report_pdf::pdf(&short), "short");
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(!pages[0].contains("the findings come first"));
}
