//! The ergonomics and habits check: turns answers about the desk, phone, car, lifting, bed and
//! activity into a short list of concrete changes, each linked to the article that explains it.

use serde::{Deserialize, Serialize};

use crate::intake::{Answers, Cause, Habits};

/// One change worth making.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HabitChange {
    /// Stable code.
    pub code: String,
    /// What to do, in plain words.
    pub change: String,
    /// The article that explains why and how.
    pub article: String,
}

fn no(flag: Option<bool>) -> bool {
    flag == Some(false)
}

/// The changes these answers call for, most useful first, at most `limit`.
pub fn changes(answers: &Answers, limit: usize) -> Vec<HabitChange> {
    let h = answers.habits.clone().unwrap_or_default();
    let causes = answers.causes.clone().unwrap_or_default();
    let sitting = answers.sitting_hours.unwrap_or(0.0);
    let mut out = Vec::new();
    let mut add = |code: &str, change: &str, article: &str| {
        out.push(HabitChange {
            code: code.to_string(),
            change: change.to_string(),
            article: article.to_string(),
        })
    };

    if no(h.breaks_hourly) || sitting >= 6.0 || causes.contains(&Cause::ProlongedSitting) {
        add(
            "break_up_sitting",
            "Stand up and move for a few minutes every 30 to 60 minutes; let a break reminder time it.",
            "sitting-driving-and-back-pain",
        );
    }
    if no(h.screen_at_eye_level) {
        add(
            "raise_screen",
            "Raise your screen so its top is about at eye level (a laptop stand and a separate keyboard).",
            "desk-and-workstation",
        );
    }
    if no(h.chair_supports_lower_back) {
        add(
            "support_lower_back",
            "Sit back in your chair and support the curve of your lower back, with a small cushion if needed.",
            "desk-and-workstation",
        );
    }
    if no(h.feet_flat) {
        add(
            "feet_flat",
            "Rest your feet flat on the floor or on a footrest, knees about level with your hips.",
            "desk-and-workstation",
        );
    }
    if h.phone_hours.is_some_and(|p| p >= 2.0) {
        add(
            "phone_higher",
            "Hold your phone or tablet higher, propped on a stand or cushion, and look up every 20 to 30 minutes.",
            "phone-and-screen-posture",
        );
    }
    if h.driving_hours.is_some_and(|d| d >= 2.0) {
        add(
            "driving_set_up",
            "Set the car seat with lumbar support and a slightly reclined back, and stop every couple of hours on long drives.",
            "sitting-driving-and-back-pain",
        );
    }
    let lifts = h.lifts_heavy_things == Some(true) || causes.contains(&Cause::Lifting);
    if lifts && h.lifts_with_good_technique != Some(true) {
        add(
            "lifting",
            "When lifting: test the weight, keep the load close, bend hips and knees, and turn with your feet rather than twisting.",
            "lifting-technique",
        );
    }
    if no(h.mattress_comfortable) {
        add(
            "mattress",
            "If your mattress sags or is uncomfortable, a medium-firm one tends to suit sore backs better than a very firm or very soft one.",
            "sleep-mattress-and-pillow",
        );
    }
    if no(h.pillow_keeps_neck_level) {
        add(
            "pillow",
            "Choose a pillow that keeps your neck level with your spine: thicker for side sleepers, thinner on your back.",
            "sleep-mattress-and-pillow",
        );
    }
    if h.active_days_per_week.is_some_and(|d| d < 3) {
        add(
            "walk_more",
            "Build towards a 20 to 30 minute walk on most days; start short and add a little each week.",
            "staying-active-and-weight",
        );
    }
    if h.weight_concern == Some(true) {
        add(
            "weight",
            "Small, steady changes in food and activity ease the load on your back; your doctor can help with a plan.",
            "staying-active-and-weight",
        );
    }
    if causes.contains(&Cause::Stress) {
        add(
            "stress",
            "Give stress a daily outlet: a few minutes of slow belly breathing, a walk, or a mindfulness practice.",
            "stress-and-back-pain",
        );
    }
    if causes
        .iter()
        .any(|c| matches!(c, Cause::Weightlifting | Cause::Running | Cause::Hiit))
    {
        add(
            "training_load",
            "Keep training, but raise weight, distance or intensity gradually and plan easier weeks.",
            "sport-lifting-running-and-hiit",
        );
    }
    if causes.contains(&Cause::Posture) && !no(h.screen_at_eye_level) {
        add(
            "vary_posture",
            "Change position often rather than holding one 'perfect' posture; the next position is the best one.",
            "posture-and-knots",
        );
    }
    out.truncate(limit);
    out
}

/// Whether the habits section says anything at all.
pub fn answered(h: &Habits) -> bool {
    h != &Habits::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_linked_changes() {
        let a = Answers {
            sitting_hours: Some(9.0),
            habits: Some(Habits {
                screen_at_eye_level: Some(false),
                lifts_heavy_things: Some(true),
                mattress_comfortable: Some(true),
                ..Habits::default()
            }),
            ..Answers::default()
        };
        let c = changes(&a, 10);
        let codes: Vec<&str> = c.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, vec!["break_up_sitting", "raise_screen", "lifting"]);
        assert!(c.iter().all(|c| !c.article.is_empty()));
        assert!(changes(&Answers::default(), 10).is_empty());
    }

    #[test]
    fn every_linked_article_exists() {
        let catalogue = crate::catalogue::Catalogue::builtin().unwrap();
        let everything = Answers {
            sitting_hours: Some(10.0),
            causes: Some(vec![
                Cause::Stress,
                Cause::Running,
                Cause::Posture,
                Cause::Lifting,
            ]),
            habits: Some(Habits {
                screen_at_eye_level: Some(true),
                chair_supports_lower_back: Some(false),
                feet_flat: Some(false),
                breaks_hourly: Some(false),
                phone_hours: Some(4.0),
                driving_hours: Some(3.0),
                lifts_heavy_things: Some(true),
                lifts_with_good_technique: Some(false),
                mattress_comfortable: Some(false),
                pillow_keeps_neck_level: Some(false),
                active_days_per_week: Some(1),
                weight_concern: Some(true),
            }),
            ..Answers::default()
        };
        for c in changes(&everything, 100) {
            assert!(
                catalogue.article(&c.article).is_some(),
                "{} links to missing {}",
                c.code,
                c.article
            );
        }
    }
}
