//! The programme handout: what a clinician prescribed, laid out for the patient to keep (on
//! paper or as a file). [`build`] turns a programme's version into a [`Handout`] of plain
//! words and the exercises' figures; the web page draws it as HTML and [`pdf`] as an A4 PDF
//! with the visit summary's writer, so the two cannot say different things.

use unknot_core::catalogue::Catalogue;
use unknot_core::clinic::programme::{Body, dose_words, schedule_words};
use unknot_core::figure::Figure;

use crate::report_pdf::{MARGIN, WIDTH, Writer, wrap};

/// What the handout says at its foot: it guides exercise, it does not diagnose.
pub const NOT_A_DIAGNOSIS: &str = "This handout lists the exercises your clinician chose for \
    you and how much of each to do. It is not a diagnosis and does not replace their advice. \
    Stop an exercise that brings on sharp or spreading pain, and tell your clinician. \
    Numbness between the legs, new trouble controlling your bladder or bowels, or leg \
    weakness that is getting worse need emergency care now.";

/// One exercise as the handout shows it.
#[derive(Debug, Clone)]
pub struct HandoutItem {
    /// The exercise's id in the library.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The prescribed dosage in words ("2 × 10 reps, rest 30 s").
    pub dose: String,
    /// The clinician's instructions for it, in their words (may be empty).
    pub instructions: String,
    /// The library's steps.
    pub steps: Vec<String>,
    /// When to stop, from the library.
    pub stop_if: Vec<String>,
    /// Its figure, when the library has one.
    pub figure: Option<Figure>,
}

/// A programme ready to print.
#[derive(Debug, Clone)]
pub struct Handout {
    /// The programme's name.
    pub title: String,
    /// Whose programme it is.
    pub patient: String,
    /// The clinic that prescribed it.
    pub clinic: String,
    /// The version shown.
    pub version: u32,
    /// The day the version was made.
    pub updated: String,
    /// When to do it, in words.
    pub schedule: String,
    /// The clinician's note for the whole programme (may be empty).
    pub note: String,
    /// The exercises in order.
    pub items: Vec<HandoutItem>,
    /// The closing words ([`NOT_A_DIAGNOSIS`]).
    pub disclaimer: &'static str,
}

/// The handout for a programme's `body` at `version`, made on `updated`, for `patient` from
/// `clinic`. An exercise the library no longer has is shown by its id with its dosage, so the
/// handout never silently drops part of a prescription.
pub fn build(
    body: &Body,
    catalogue: &Catalogue,
    patient: &str,
    clinic: &str,
    version: u32,
    updated: &str,
) -> Handout {
    let items = body
        .items
        .iter()
        .map(|p| {
            let e = catalogue.exercise(&p.exercise);
            HandoutItem {
                id: p.exercise.clone(),
                name: e.map_or_else(|| p.exercise.clone(), |e| e.name.clone()),
                dose: dose_words(p),
                instructions: p.instructions.trim().to_string(),
                steps: e.map(|e| e.steps.clone()).unwrap_or_default(),
                stop_if: e.map(|e| e.stop_if.clone()).unwrap_or_default(),
                figure: e.and_then(|e| e.figure.clone()),
            }
        })
        .collect();
    Handout {
        title: body.name.clone(),
        patient: patient.to_string(),
        clinic: clinic.to_string(),
        version,
        updated: updated.to_string(),
        schedule: schedule_words(&body.schedule),
        note: body.note.trim().to_string(),
        items,
        disclaimer: NOT_A_DIAGNOSIS,
    }
}

/// The handout as an A4 PDF in the standard fonts: a header with the patient's and clinic's
/// names, then each exercise with its figure on the left and its dosage, the clinician's
/// instructions and the steps on the right.
pub fn pdf(h: &Handout) -> Vec<u8> {
    let mut w = Writer::new();
    w.y -= 6.0;
    let y = w.y;
    w.text_at(MARGIN, y, &h.title, 17.0, true);
    w.y -= 8.0;
    w.para(
        &format!("For {}, from {}", h.patient, h.clinic),
        11.0,
        true,
        0.0,
    );
    w.para(
        &format!(
            "Version {}, {}. When: {}.",
            h.version, h.updated, h.schedule
        ),
        10.0,
        false,
        0.0,
    );
    if !h.note.is_empty() {
        w.para(
            &format!("From your clinician: {}", h.note),
            10.0,
            false,
            0.0,
        );
    }
    for (i, item) in h.items.iter().enumerate() {
        exercise(&mut w, i + 1, item);
    }
    w.space(14.0);
    w.para(h.disclaimer, 8.5, false, 0.0);
    w.finish(&format!("{} for {}", h.title, h.patient))
}

/// One exercise: its heading, then the figure beside the words.
fn exercise(w: &mut Writer, n: usize, item: &HandoutItem) {
    let (fig_w, fig_h) = (150.0, 110.0);
    let indent = fig_w + 14.0;
    // Keep the heading with at least the figure's height, so a page never ends on a heading.
    w.ensure(fig_h + 44.0);
    w.heading(&format!("{n}. {}", item.name));
    w.space(6.0);
    let top = w.y;
    if let Some(f) = &item.figure {
        w.figure(f, MARGIN, top - fig_h, fig_w, fig_h);
    }
    let indent = if item.figure.is_some() { indent } else { 0.0 };
    w.para(&item.dose, 10.5, true, indent);
    if !item.instructions.is_empty() {
        w.space(2.0);
        w.para(
            &format!("Your clinician says: {}", item.instructions),
            10.0,
            false,
            indent,
        );
    }
    w.space(2.0);
    for (i, step) in item.steps.iter().enumerate() {
        let text = format!("{}. {step}", i + 1);
        let lines = wrap(&text, 9.5, false, WIDTH - indent).len();
        // Text that would run below the figure continues at full width.
        let beside = w.y - lines as f32 * 9.5 * 1.35 > top - fig_h - 4.0;
        w.para(
            &text,
            9.5,
            false,
            if beside || item.figure.is_none() {
                indent
            } else {
                0.0
            },
        );
    }
    if !item.stop_if.is_empty() {
        w.space(2.0);
        w.para(
            &format!("Stop if: {}", item.stop_if.join(" ")),
            9.5,
            false,
            if w.y > top - fig_h { indent } else { 0.0 },
        );
    }
    if item.figure.is_some() && w.y > top - fig_h - 6.0 {
        w.y = top - fig_h - 6.0;
    }
    w.space(4.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use unknot_core::clinic::programme::{Prescribed, Schedule};

    #[test]
    fn every_exercise_keeps_its_dosage_and_instructions() {
        let c = Catalogue::builtin().expect("the library loads");
        let mut items: Vec<Prescribed> = c
            .exercises()
            .take(2)
            .map(Prescribed::from_library)
            .collect();
        items[0].instructions = "Go gently in the morning.".into();
        items.push(Prescribed {
            exercise: "gone-from-the-library".into(),
            ..items[1].clone()
        });
        let body = Body {
            name: "Week 1".into(),
            items,
            schedule: Schedule::daily(jiff::civil::date(2026, 6, 1)),
            note: "Little and often.".into(),
        };
        let h = build(
            &body,
            &c,
            "Alex Patient",
            "Back Room Physio",
            2,
            "2026-06-01",
        );
        assert_eq!(h.items.len(), 3, "nothing dropped");
        assert_eq!(h.items[0].instructions, "Go gently in the morning.");
        assert_eq!(h.items[2].name, "gone-from-the-library");
        assert_eq!(h.items[1].dose, dose_words(&body.items[1]));
        assert!(h.items[2].figure.is_none() && h.items[2].steps.is_empty());
        let bytes = pdf(&h);
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
