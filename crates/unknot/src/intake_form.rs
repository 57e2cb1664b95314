//! The interactive intake and check-in: `unknot assess` and `unknot checkin` on a terminal.
//!
//! Every question comes from core's one table (`unknot_core::intake::questions::QUESTIONS`),
//! the same table the web check asks from, so the two ask the same things in the same words.
//! Answers are collected as `(field, value)` pairs and read by `Answers::from_pairs`, the same
//! reader the web form uses, and each typed value is checked by that reader as it is typed.
//! The warning signs are one checklist; ticking none of them needs an explicit "none of these
//! apply", so skipping the list is never mistaken for a clean result. Esc skips a question.

use anyhow::{Result, anyhow};
use inquire::validator::Validation;
use inquire::{Confirm, MultiSelect, Select, Text};
use unknot_core::intake::questions::{Choice, Kind, NONE_OF_THESE_LABEL, Question, Stage, stage};
use unknot_core::intake::{Answers, Habits, PsfsItem};

use crate::form::cancelled;

/// The collected answers, as the pairs the core reader takes.
type Pairs = Vec<(&'static str, String)>;

/// One way of putting a question to a person: the terminal, or a script in tests.
trait Ask {
    /// Shows a line of text.
    fn say(&mut self, text: &str);
    /// The warning signs' yes/no questions as a checklist: the fields ticked, or `None` when
    /// the list was skipped.
    fn checklist(
        &mut self,
        title: &str,
        questions: &[&'static Question],
    ) -> Result<Option<Vec<&'static str>>>;
    /// Whether the person confirms that none of the warning signs apply.
    fn none_apply(&mut self) -> Result<bool>;
    /// One answer to one question, as text the core reader accepts; empty when skipped. Lists
    /// may give several values.
    fn answer(
        &mut self,
        q: &'static Question,
        previous: Option<&[PsfsItem]>,
    ) -> Result<Vec<String>>;
}

/// The terminal, through inquire.
struct Terminal;

fn labels(choices: &[Choice]) -> Vec<&'static str> {
    choices.iter().map(|c| c.label).collect()
}

fn value_of(choices: &[Choice], label: &str) -> Option<&'static str> {
    choices.iter().find(|c| c.label == label).map(|c| c.value)
}

/// Accepts exactly what the core reader accepts for this question.
fn checked(
    q: &'static Question,
) -> impl Fn(&str) -> Result<Validation, inquire::CustomUserError> + Clone {
    move |text: &str| {
        Ok(match Answers::from_pairs([(q.field, text)]) {
            Ok(_) => Validation::Valid,
            Err(e) => Validation::Invalid(e.to_string().into()),
        })
    }
}

impl Terminal {
    fn typed(q: &'static Question, prompt: &str, help: &str) -> Result<Option<String>> {
        Text::new(prompt)
            .with_help_message(help)
            .with_validator(checked(q))
            .prompt_skippable()
            .map_err(cancelled)
    }

    /// A 0-10 rating for one activity, checked as the `ACTIVITY=SCORE` pair it becomes.
    fn score_for(activity: &str, prompt: &str, skippable: bool) -> Result<Option<String>> {
        let named = format!("{activity}=");
        let text = Text::new(prompt)
            .with_help_message("0 = not at all, 10 = as well as before the problem")
            .with_validator(move |s: &str| {
                Ok(
                    match Answers::from_pairs([("psfs", format!("{named}{s}").as_str())]) {
                        Ok(_) => Validation::Valid,
                        Err(e) => Validation::Invalid(e.to_string().into()),
                    },
                )
            });
        let score = if skippable {
            text.prompt_skippable().map_err(cancelled)?
        } else {
            Some(text.prompt().map_err(cancelled)?)
        };
        Ok(score.map(|s| format!("{activity}={}", s.trim())))
    }

    fn activities(q: &'static Question, previous: Option<&[PsfsItem]>) -> Result<Vec<String>> {
        let mut out = Vec::new();
        if let Some(list) = previous.filter(|l| !l.is_empty()) {
            println!("{} {}", q.ask, q.help);
            for old in list {
                let prompt = format!("{}:", old.activity);
                out.extend(Terminal::score_for(&old.activity, &prompt, true)?);
            }
            return Ok(out);
        }
        println!("{} {} (empty line to stop)", q.ask, q.help);
        for n in 1..=5 {
            let activity = Text::new(&format!("Activity {n}:"))
                .prompt()
                .map_err(cancelled)?;
            if activity.trim().is_empty() {
                break;
            }
            let prompt = "How well can you do it now (0-10)?";
            out.extend(Terminal::score_for(activity.trim(), prompt, false)?);
        }
        Ok(out)
    }
}

impl Ask for Terminal {
    fn say(&mut self, text: &str) {
        println!("{text}");
    }

    fn checklist(
        &mut self,
        title: &str,
        questions: &[&'static Question],
    ) -> Result<Option<Vec<&'static str>>> {
        let asks: Vec<&'static str> = questions.iter().map(|q| q.ask).collect();
        let picked = MultiSelect::new(title, asks)
            .with_page_size(12)
            .with_help_message("space to tick each one that applies, enter when done, esc to skip")
            .prompt_skippable()
            .map_err(cancelled)?;
        Ok(picked.map(|ticked| {
            questions
                .iter()
                .filter(|q| ticked.contains(&q.ask))
                .map(|q| q.field)
                .collect()
        }))
    }

    fn none_apply(&mut self) -> Result<bool> {
        Confirm::new(&format!("{NONE_OF_THESE_LABEL}?"))
            .with_help_message("y to confirm, n to look at the list again")
            .prompt()
            .map_err(cancelled)
    }

    fn answer(
        &mut self,
        q: &'static Question,
        previous: Option<&[PsfsItem]>,
    ) -> Result<Vec<String>> {
        let help = if q.help.is_empty() {
            "esc to skip"
        } else {
            q.help
        };
        let one = |v: Option<String>| v.into_iter().filter(|s| !s.trim().is_empty()).collect();
        Ok(match q.kind {
            Kind::YesNo => Confirm::new(q.ask)
                .with_help_message(help)
                .prompt_skippable()
                .map_err(cancelled)?
                .map(|yes| if yes { "yes" } else { "no" }.to_string())
                .into_iter()
                .collect(),
            Kind::One(_) => {
                let choices = q.choices();
                let picked = Select::new(q.ask, labels(&choices))
                    .prompt_skippable()
                    .map_err(cancelled)?;
                picked
                    .and_then(|l| value_of(&choices, l))
                    .map(String::from)
                    .into_iter()
                    .collect()
            }
            Kind::Many(_) => {
                let choices = q.choices();
                let picked = MultiSelect::new(q.ask, labels(&choices))
                    .with_help_message("space to tick, enter to go on, esc to skip")
                    .prompt_skippable()
                    .map_err(cancelled)?;
                match picked {
                    // Nothing ticked is an answer too (for equipment: none of these).
                    Some(ls) if ls.is_empty() => vec![String::new()],
                    Some(ls) => ls
                        .iter()
                        .filter_map(|l| value_of(&choices, l))
                        .map(String::from)
                        .collect(),
                    None => Vec::new(),
                }
            }
            Kind::Whole { .. } | Kind::Hours | Kind::Rating => {
                one(Terminal::typed(q, q.ask, help)?)
            }
            Kind::Texts => one(Terminal::typed(q, q.ask, help)?),
            Kind::Activities => Terminal::activities(q, previous)?,
        })
    }
}

/// Asks the warning signs: the yes/no ones as a checklist (ticking none needs a confirmed
/// "none of these apply"), then the graded ones one by one. Every unticked sign is recorded as a
/// "no" only when the list was answered.
fn warning_signs(ask: &mut dyn Ask, checkin: bool, pairs: &mut Pairs) -> Result<()> {
    let all: Vec<&'static Question> = stage(Stage::WarningSigns)
        .filter(|q| q.checkin || !checkin)
        .collect();
    let yes_no: Vec<&'static Question> = all
        .iter()
        .copied()
        .filter(|q| q.kind == Kind::YesNo)
        .collect();
    ask.say(&format!(
        "\n{}. {}",
        Stage::WarningSigns.title(),
        Stage::WarningSigns.intro()
    ));
    let title = if checkin {
        "Which of these do you have now? Tick every one that applies."
    } else {
        "Which of these do you have? Tick every one that applies."
    };
    loop {
        let Some(ticked) = ask.checklist(title, &yes_no)? else {
            ask.say("Skipped: the safety questions are not answered, so the check cannot say self-care is safe.");
            break;
        };
        if ticked.is_empty() && !ask.none_apply()? {
            continue;
        }
        for q in &yes_no {
            pairs.push((
                q.field,
                if ticked.contains(&q.field) {
                    "yes"
                } else {
                    "no"
                }
                .into(),
            ));
        }
        break;
    }
    for q in all.iter().filter(|q| q.kind != Kind::YesNo) {
        for v in ask.answer(q, None)? {
            pairs.push((q.field, v));
        }
    }
    Ok(())
}

/// Asks the questions of `stage` (only those the check-in repeats, when `checkin`).
fn ask_stage(
    ask: &mut dyn Ask,
    which: Stage,
    checkin: bool,
    previous: Option<&[PsfsItem]>,
    pairs: &mut Pairs,
) -> Result<()> {
    if which == Stage::WarningSigns {
        return warning_signs(ask, checkin, pairs);
    }
    let questions: Vec<&'static Question> =
        stage(which).filter(|q| q.checkin || !checkin).collect();
    if questions.is_empty() {
        return Ok(());
    }
    ask.say(&format!("\n{}. {}", which.title(), which.intro()));
    for q in questions {
        for v in ask.answer(q, previous)? {
            pairs.push((q.field, v));
        }
    }
    Ok(())
}

fn read(pairs: &Pairs) -> Result<Answers> {
    Answers::from_pairs(pairs.iter().map(|(f, v)| (*f, v.as_str()))).map_err(|e| anyhow!(e))
}

fn intake_with(ask: &mut dyn Ask) -> Result<Answers> {
    ask.say(
        "unknot assessment. This is a check, not a diagnosis. Esc skips a question; Ctrl-C stops.",
    );
    let mut pairs = Pairs::new();
    for which in Stage::ALL {
        ask_stage(ask, *which, false, None, &mut pairs)?;
        if *which == Stage::AboutYou && unknot_app::coach::stops_after_warning_signs(&read(&pairs)?)
        {
            // Someone who needs a doctor today should see that now, not after the plan questions.
            return read(&pairs);
        }
    }
    read(&pairs)
}

fn checkin_with(ask: &mut dyn Ask, previous_psfs: Option<&[PsfsItem]>) -> Result<Answers> {
    ask.say("Weekly check-in. Esc skips a question; Ctrl-C stops.");
    let mut pairs = Pairs::new();
    for which in Stage::ALL {
        ask_stage(ask, *which, true, previous_psfs, &mut pairs)?;
    }
    read(&pairs)
}

fn habits_with(ask: &mut dyn Ask) -> Result<Habits> {
    let mut pairs = Pairs::new();
    ask_stage(ask, Stage::Habits, false, None, &mut pairs)?;
    Ok(read(&pairs)?.habits.unwrap_or_default())
}

/// The full intake: every question in the table, warning signs first.
pub fn intake() -> Result<Answers> {
    intake_with(&mut Terminal)
}

/// The habits check alone.
pub fn habits() -> Result<Habits> {
    habits_with(&mut Terminal)
}

/// The weekly check-in: every question the table marks for it (every warning sign, pain, the
/// PEG and the PSFS on the intake's activities).
pub fn checkin(previous_psfs: Option<&[PsfsItem]>) -> Result<Answers> {
    checkin_with(&mut Terminal, previous_psfs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use unknot_core::intake::questions::{QUESTIONS, checkin as checkin_questions};
    use unknot_core::triage::{Urgency, triage};

    use super::*;

    /// Answers every question with a harmless value and records what was asked.
    #[derive(Default)]
    struct Script {
        asked: Vec<&'static str>,
        tick: Vec<&'static str>,
        skip_list: bool,
        confirmations: usize,
    }

    impl Ask for Script {
        fn say(&mut self, _: &str) {}

        fn checklist(
            &mut self,
            _: &str,
            questions: &[&'static Question],
        ) -> Result<Option<Vec<&'static str>>> {
            self.asked.extend(questions.iter().map(|q| q.field));
            Ok((!self.skip_list).then(|| self.tick.clone()))
        }

        fn none_apply(&mut self) -> Result<bool> {
            self.confirmations += 1;
            Ok(true)
        }

        fn answer(&mut self, q: &'static Question, _: Option<&[PsfsItem]>) -> Result<Vec<String>> {
            self.asked.push(q.field);
            let first = q.choices().first().map(|c| c.value.to_string());
            Ok(vec![match q.kind {
                Kind::YesNo => "no".into(),
                Kind::One(_) | Kind::Many(_) => first.unwrap_or_default(),
                Kind::Whole { min, .. } => min.max(1).to_string(),
                Kind::Hours => "1".into(),
                Kind::Rating => "3".into(),
                Kind::Activities => "gardening=5".into(),
                Kind::Texts => "walk the dog".into(),
            }])
        }
    }

    #[test]
    fn the_terminal_intake_asks_every_question_in_the_table_once() {
        let mut s = Script::default();
        let a = intake_with(&mut s).unwrap();
        let asked: BTreeSet<&str> = s.asked.iter().copied().collect();
        assert_eq!(asked.len(), s.asked.len(), "a question was asked twice");
        let table: BTreeSet<&str> = QUESTIONS.iter().map(|q| q.field).collect();
        assert_eq!(asked, table);
        assert!(a.warning_signs_answered());
        assert_eq!(
            s.confirmations, 1,
            "none ticked needs an explicit confirmation"
        );
        assert_eq!(triage(&a).urgency, Urgency::SelfCare);
    }

    #[test]
    fn the_terminal_check_in_asks_what_the_table_marks_for_it() {
        let mut s = Script::default();
        let a = checkin_with(&mut s, None).unwrap();
        let asked: BTreeSet<&str> = s.asked.iter().copied().collect();
        let table: BTreeSet<&str> = checkin_questions().map(|q| q.field).collect();
        assert_eq!(asked, table);
        for f in ["unexplained_weight_loss", "night_pain", "cancer_history"] {
            assert!(asked.contains(f), "{f}");
        }
        assert!(a.warning_signs_answered());
    }

    #[test]
    fn a_ticked_sign_counts_and_stops_before_the_plan_questions() {
        let mut s = Script {
            tick: vec!["saddle_numbness"],
            ..Script::default()
        };
        let a = intake_with(&mut s).unwrap();
        assert_eq!(a.saddle_numbness, Some(true));
        assert_eq!(a.fever, Some(false));
        assert_eq!(triage(&a).urgency, Urgency::Emergency);
        assert!(!s.asked.contains(&"minutes_per_day"));
    }

    #[test]
    fn a_skipped_checklist_leaves_the_safety_stage_unanswered() {
        let mut s = Script {
            skip_list: true,
            ..Script::default()
        };
        let a = intake_with(&mut s).unwrap();
        assert!(!a.warning_signs_answered());
        assert_eq!(a.fever, None);
    }

    #[test]
    fn habits_come_back_as_habits() {
        let h = habits_with(&mut Script::default()).unwrap();
        assert_eq!(h.screen_at_eye_level, Some(false));
        assert_eq!(h.active_days_per_week, Some(1));
    }
}
