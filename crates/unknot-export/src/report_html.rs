//! The visit summary as one self-contained, print-friendly HTML page: its own small stylesheet,
//! the pain chart and the body map as inline SVG, no scripts. The web app serves it and
//! `unknot report --out summary.html` writes it.

use std::fmt::Write as _;

use crate::bodymap::{self, Mode};
use crate::charts::{self, Series};
use crate::report::Report;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const STYLE: &str = "body{font:11pt/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
color:#111;background:#fff;max-width:48rem;margin:1.5rem auto;padding:0 1rem}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem;\
border-bottom:1px solid #bbb;padding-bottom:.15rem}table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #ddd;vertical-align:top}\
.meta{color:#444}.flag{border:2px solid #a4221b;background:#fde8e6;padding:.5rem .75rem}\
.clear{border:1px solid #bbb;padding:.5rem .75rem}.verdict{font-size:1.05rem;margin:.75rem 0}\
.bar{display:flex;gap:.75rem;margin:.5rem 0 1rem}.bar a{color:#0b5394}\
.cols{display:flex;gap:1rem;align-items:flex-start}.cols>div{flex:1}\
svg{max-width:100%;height:auto}\
.routine{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.5rem}\
.routine figure{margin:0;border:1px solid #ddd;padding:.4rem;break-inside:avoid}\
svg.figure-strip{width:100%;height:auto}svg.bodymap{max-width:16rem}\
svg.bodymap .body>*{fill:#e8e2d9}svg.bodymap .hot{fill:#d6611e}svg.bodymap text{font-size:12px;fill:#444}\
.foot{color:#444;font-size:.9rem;margin-top:1.5rem}\
@media print{body{margin:0;max-width:none}a{color:#111}.noprint{display:none}}";

/// PEG and PSFS (and pain now) at each assessment, when there are two or more.
fn scores_over_time(o: &mut String, r: &Report) {
    let mut dates: Vec<jiff::civil::Date> = r
        .scores
        .iter()
        .flat_map(|s| s.series.iter().map(|(d, _)| *d))
        .collect();
    dates.sort();
    dates.dedup();
    if dates.len() < 2 {
        return;
    }
    let series: Vec<Series> = r
        .scores
        .iter()
        .map(|s| Series {
            label: s.name.split(" (").next().unwrap_or(&s.name).to_string(),
            values: dates
                .iter()
                .map(|d| s.series.iter().find(|(x, _)| x == d).map(|(_, v)| *v))
                .collect(),
        })
        .collect();
    let _ = write!(
        o,
        "<h2>Scores at each check</h2>{}",
        charts::line_chart(
            "Scores at each assessment and check-in (0-10)",
            &dates,
            &series,
            10.0
        )
    );
}

/// The page as a standalone file (what `unknot report --out summary.html` writes).
pub fn html(r: &Report) -> String {
    page(r, None)
}

/// The page as the web app serves it: with a Print button (a script at `print_script`) and a
/// link back to `back`, both hidden when printed.
pub fn html_served(r: &Report, back: &str, print_script: &str) -> String {
    page(r, Some((back, print_script)))
}

/// The page: each section of the summary in turn, in the order a clinician reads it (who and
/// why, safety first, then the evidence, then the plan and what to ask).
fn page(r: &Report, served: Option<(&str, &str)>) -> String {
    let mut o = String::with_capacity(40_000);
    head(&mut o, r, served);
    complaint(&mut o, r);
    safety(&mut o, r);
    pain_and_knots(&mut o, r);
    outcome_scores(&mut o, r);
    treatments_and_medicines(&mut o, r);
    the_plan(&mut o, r);
    history_notes_questions(&mut o, r);
    let _ = write!(
        o,
        "<p class=\"foot\">{}</p></main></body></html>",
        esc(&r.disclaimer)
    );
    o
}

/// The document head and, when served, the Back link and Print button.
fn head(o: &mut String, r: &Report, served: Option<(&str, &str)>) {
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>",
        esc(&r.title)
    );
    if let Some((back, script)) = served {
        let _ = write!(
            o,
            "<nav class=\"bar noprint\"><a href=\"{}\">&larr; Back</a>\
             <button type=\"button\" id=\"print\">Print</button></nav>\
             <script src=\"{}\" defer></script>",
            esc(back),
            esc(script)
        );
    }
}

/// The title, who the summary is about, the main complaint and the verdict.
fn complaint(o: &mut String, r: &Report) {
    let _ = write!(o, "<h1>{}</h1>", esc(&r.title));
    let who = match (&r.name, r.age) {
        (Some(n), Some(a)) => format!("{}, {a} years old", esc(n)),
        (Some(n), None) => esc(n),
        (None, Some(a)) => format!("{a} years old"),
        (None, None) => "Name not given".to_string(),
    };
    let _ = write!(
        o,
        "<p class=\"meta\"><strong>{who}</strong> · Period: {}</p>",
        esc(&r.period)
    );
    let _ = write!(
        o,
        "<h2>Main complaint</h2><p>{}</p><p>{}</p>",
        esc(&r.complaint),
        esc(&r.pain_summary)
    );
    let _ = write!(
        o,
        "<p class=\"verdict\"><strong>{}</strong></p>",
        esc(&r.verdict)
    );
}

/// The warning-sign check, boxed in red when something was flagged.
fn safety(o: &mut String, r: &Report) {
    let sf = &r.safety;
    let _ = write!(
        o,
        "<h2>Warning-sign check</h2><div class=\"{}\"><p><strong>{}</strong> ({}): {}</p>",
        if sf.flagged { "flag" } else { "clear" },
        esc(&sf.level),
        esc(&sf.checked),
        esc(&sf.advice)
    );
    if !sf.reasons.is_empty() {
        o.push_str("<ul>");
        for reason in &sf.reasons {
            let _ = write!(o, "<li>{}</li>", esc(reason));
        }
        o.push_str("</ul>");
    }
    o.push_str("</div>");
}

/// The daily pain chart, then the body map beside the list of knots.
fn pain_and_knots(o: &mut String, r: &Report) {
    let _ = write!(
        o,
        "<h2>Pain over the period</h2>{}",
        charts::line_chart(
            "Average pain by day (0 none, 10 worst)",
            &r.dates,
            &[Series {
                label: "pain".into(),
                values: r.pain.clone(),
            }],
            10.0
        )
    );
    o.push_str("<div class=\"cols\"><div><h2>Where the knots are</h2>");
    o.push_str(&bodymap::svg(Mode::Heat { counts: &r.knots }));
    o.push_str("</div><div><h2>Knots recorded</h2>");
    if r.knots.is_empty() {
        o.push_str("<p>None recorded in this period.</p>");
    } else {
        o.push_str("<ul>");
        for (m, s, n) in r.knots.iter().take(12) {
            let times = if *n == 1 {
                "once".to_string()
            } else {
                format!("{n} times")
            };
            let _ = write!(
                o,
                "<li>{} ({}): {times}</li>",
                esc(m.label()),
                esc(s.label())
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("</div></div>");
}

/// The table of first and latest scores, then their chart over time.
fn outcome_scores(o: &mut String, r: &Report) {
    o.push_str("<h2>Outcome scores</h2>");
    if r.scores.is_empty() {
        o.push_str("<p>No scores recorded yet.</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th>Score</th><th>First</th><th>Latest</th><th>Change</th></tr></thead><tbody>",
        );
        for s in &r.scores {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{:.1} ({})</td><td>{:.1} ({})</td><td>{}</td></tr>",
                esc(&s.name),
                s.first.0,
                s.first.1,
                s.latest.0,
                s.latest.1,
                esc(&s.change)
            );
        }
        o.push_str("</tbody></table>");
    }
    scores_over_time(o, r);
}

/// Treatments tried and medicines named, each as a two-column table.
fn treatments_and_medicines(o: &mut String, r: &Report) {
    o.push_str("<h2>Treatments tried</h2>");
    if r.treatments.is_empty() {
        o.push_str("<p>None recorded in this period.</p>");
    } else {
        o.push_str("<table><tbody>");
        for (what, how) in &r.treatments {
            let _ = write!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(what), esc(how));
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("<h2>Medicines</h2>");
    if r.medicines.is_empty() {
        o.push_str("<p>None recorded in this period.</p>");
    } else {
        o.push_str("<p class=\"meta\">As the person named them; unknot records no doses.</p><table><tbody>");
        for (name, how) in &r.medicines {
            let _ = write!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(name), esc(how));
        }
        o.push_str("</tbody></table>");
    }
}

/// Adherence, and the plan's exercises as captioned figures.
fn the_plan(o: &mut String, r: &Report) {
    if let Some(a) = &r.adherence {
        let _ = write!(o, "<h2>Adherence to the plan</h2><p>{}</p>", esc(a));
    }
    if !r.routine.is_empty() {
        o.push_str("<h2>The plan's exercises</h2><div class=\"routine\">");
        for (name, dose, figure) in &r.routine {
            o.push_str("<figure>");
            if let Some(f) = figure {
                o.push_str(&crate::figure_svg::strip(
                    f,
                    &crate::figure_svg::alt_text(name, None),
                ));
            }
            let _ = write!(
                o,
                "<figcaption><strong>{}</strong>: {}</figcaption></figure>",
                esc(name),
                esc(dose)
            );
        }
        o.push_str("</div>");
    }
}

/// History, notes and the questions for this visit, each only when there is something to show.
fn history_notes_questions(o: &mut String, r: &Report) {
    if !r.history.is_empty() {
        o.push_str("<h2>History</h2><ul>");
        for h in &r.history {
            let _ = write!(o, "<li>{}</li>", esc(h));
        }
        o.push_str("</ul>");
    }
    if !r.notes.is_empty() {
        o.push_str("<h2>Notes</h2><ul>");
        for (when, note) in &r.notes {
            let _ = write!(o, "<li><strong>{}</strong>: {}</li>", esc(when), esc(note));
        }
        o.push_str("</ul>");
    }
    if !r.questions.is_empty() {
        o.push_str("<h2>Questions for this visit</h2><ol>");
        for q in &r.questions {
            let _ = write!(o, "<li>{}</li>", esc(q));
        }
        o.push_str("</ol>");
    }
}
