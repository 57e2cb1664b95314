//! The ergonomics and habits check: turns answers about the desk, phone, car, lifting, bed and
//! activity into a short list of concrete changes, each linked to the article that explains it.

use serde::{Deserialize, Serialize};

use crate::intake::{Answers, Cause, Habits};

/// One change worth making.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// What a rule looks at.
struct Seen<'a> {
    h: &'a Habits,
    causes: &'a [Cause],
    sitting_hours: f64,
}

/// One habit rule: when it applies, and the change it suggests with the article behind it.
struct Rule {
    code: &'static str,
    applies: fn(&Seen) -> bool,
    change: &'static str,
    article: &'static str,
}

/// Every rule, most useful first.
const RULES: &[Rule] = &[
    Rule {
        code: "break_up_sitting",
        applies: |s| {
            no(s.h.breaks_hourly)
                || s.sitting_hours >= 6.0
                || s.causes.contains(&Cause::ProlongedSitting)
        },
        change: "Stand up and move for a few minutes every 30 to 60 minutes; let a break reminder time it.",
        article: "sitting-driving-and-back-pain",
    },
    Rule {
        code: "raise_screen",
        applies: |s| no(s.h.screen_at_eye_level),
        change: "Raise your screen so its top is about at eye level (a laptop stand and a separate keyboard).",
        article: "desk-and-workstation",
    },
    Rule {
        code: "support_lower_back",
        applies: |s| no(s.h.chair_supports_lower_back),
        change: "Sit back in your chair and support the curve of your lower back, with a small cushion if needed.",
        article: "desk-and-workstation",
    },
    Rule {
        code: "feet_flat",
        applies: |s| no(s.h.feet_flat),
        change: "Rest your feet flat on the floor or on a footrest, knees about level with your hips.",
        article: "desk-and-workstation",
    },
    Rule {
        code: "phone_higher",
        applies: |s| s.h.phone_hours.is_some_and(|p| p >= 2.0),
        change: "Hold your phone or tablet higher, propped on a stand or cushion, and look up every 20 to 30 minutes.",
        article: "phone-and-screen-posture",
    },
    Rule {
        code: "driving_set_up",
        applies: |s| s.h.driving_hours.is_some_and(|d| d >= 2.0),
        change: "Set the car seat with lumbar support and a slightly reclined back, and stop every couple of hours on long drives.",
        article: "sitting-driving-and-back-pain",
    },
    Rule {
        code: "lifting",
        applies: |s| {
            let lifts = s.h.lifts_heavy_things == Some(true) || s.causes.contains(&Cause::Lifting);
            lifts && s.h.lifts_with_good_technique != Some(true)
        },
        change: "When lifting: test the weight, keep the load close, bend hips and knees, and turn with your feet rather than twisting.",
        article: "lifting-technique",
    },
    Rule {
        code: "mattress",
        applies: |s| no(s.h.mattress_comfortable),
        change: "If your mattress sags or is uncomfortable, a medium-firm one tends to suit sore backs better than a very firm or very soft one.",
        article: "sleep-mattress-and-pillow",
    },
    Rule {
        code: "pillow",
        applies: |s| no(s.h.pillow_keeps_neck_level),
        change: "Choose a pillow that keeps your neck level with your spine: thicker for side sleepers, thinner on your back.",
        article: "sleep-mattress-and-pillow",
    },
    Rule {
        code: "walk_more",
        applies: |s| s.h.active_days_per_week.is_some_and(|d| d < 3),
        change: "Build towards a 20 to 30 minute walk on most days; start short and add a little each week.",
        article: "staying-active-and-weight",
    },
    Rule {
        code: "weight",
        applies: |s| s.h.weight_concern == Some(true),
        change: "Small, steady changes in food and activity ease the load on your back; your doctor can help with a plan.",
        article: "staying-active-and-weight",
    },
    Rule {
        code: "stress",
        applies: |s| s.causes.contains(&Cause::Stress),
        change: "Give stress a daily outlet: a few minutes of slow belly breathing, a walk, or a mindfulness practice.",
        article: "stress-and-back-pain",
    },
    Rule {
        code: "training_load",
        applies: |s| {
            s.causes
                .iter()
                .any(|c| matches!(c, Cause::Weightlifting | Cause::Running | Cause::Hiit))
        },
        change: "Keep training, but raise weight, distance or intensity gradually and plan easier weeks.",
        article: "sport-lifting-running-and-hiit",
    },
    Rule {
        code: "vary_posture",
        applies: |s| s.causes.contains(&Cause::Posture) && !no(s.h.screen_at_eye_level),
        change: "Change position often rather than holding one 'perfect' posture; the next position is the best one.",
        article: "posture-and-knots",
    },
];

/// The changes these answers call for, most useful first, at most `limit`.
pub fn changes(answers: &Answers, limit: usize) -> Vec<HabitChange> {
    let h = answers.habits.clone().unwrap_or_default();
    let causes = answers.causes.clone().unwrap_or_default();
    let seen = Seen {
        h: &h,
        causes: &causes,
        sitting_hours: answers.sitting_hours.unwrap_or(0.0),
    };
    RULES
        .iter()
        .filter(|r| (r.applies)(&seen))
        .take(limit)
        .map(|r| HabitChange {
            code: r.code.to_string(),
            change: r.change.to_string(),
            article: r.article.to_string(),
        })
        .collect()
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
