//! The interactive intake and check-in: `unknot assess` and `unknot checkin` on a terminal.
//!
//! The questions are unknot's own wording; the answers fill the same `Answers` struct as the
//! public JSON file, so triage sees one shape whatever the edge. Esc skips a question.

use anyhow::Result;
use inquire::{Confirm, CustomType, MultiSelect, Select, Text};
use unknot_core::body::Muscle;
use unknot_core::catalogue::{Caution, Equipment};
use unknot_core::intake::{
    Answers, Cause, Habits, IntakeRegion, LegWeakness, Onset, PsfsItem, Radiation, Trauma,
};
use unknot_core::score::Score;

use crate::form::cancelled;

fn yes_no(question: &str) -> Result<Option<bool>> {
    Confirm::new(question)
        .with_help_message("y or n; esc to skip")
        .prompt_skippable()
        .map_err(cancelled)
}

fn rating(question: &str, help: &str) -> Result<Option<Score>> {
    crate::form::rating(question, None, help)
}

fn choose<T: Copy>(question: &str, options: &[(T, &str)]) -> Result<Option<T>> {
    let labels: Vec<&str> = options.iter().map(|(_, l)| *l).collect();
    let picked = Select::new(question, labels)
        .prompt_skippable()
        .map_err(cancelled)?;
    Ok(picked.and_then(|p| options.iter().find(|(_, l)| *l == p).map(|(v, _)| *v)))
}

fn choose_many<T: Copy>(question: &str, options: &[(T, &str)]) -> Result<Option<Vec<T>>> {
    let labels: Vec<&str> = options.iter().map(|(_, l)| *l).collect();
    let picked = MultiSelect::new(question, labels)
        .with_help_message("space to tick, enter to go on, esc to skip")
        .prompt_skippable()
        .map_err(cancelled)?;
    Ok(picked.map(|ls| {
        ls.into_iter()
            .filter_map(|p| options.iter().find(|(_, l)| *l == p).map(|(v, _)| *v))
            .collect()
    }))
}

fn number<T: std::str::FromStr + Clone + ToString + 'static>(
    question: &str,
    help: &str,
) -> Result<Option<T>> {
    CustomType::<T>::new(question)
        .with_help_message(help)
        .with_error_message("type a number")
        .prompt_skippable()
        .map_err(cancelled)
}

/// The warning-sign questions, asked at intake and at every check-in.
fn warning_signs(a: &mut Answers) -> Result<()> {
    println!("\nA few safety questions. Answer honestly: they decide whether self-care is safe.");
    a.saddle_numbness =
        yes_no("Is there numbness or tingling between your legs or around your bottom?")?;
    a.bladder_bowel_change =
        yes_no("Any new trouble controlling your bladder or bowels (can't go, or leaking)?")?;
    a.leg_weakness = choose(
        "Any weakness in a leg or foot?",
        &[
            (LegWeakness::None, "no"),
            (LegWeakness::Stable, "yes, but not getting worse"),
            (LegWeakness::Worsening, "yes, and it is getting worse"),
        ],
    )?;
    a.chest_pain_or_breathless = yes_no("Any chest pain or breathlessness?")?;
    a.fever = yes_no("Any fever or chills?")?;
    a.both_legs = yes_no("Are both legs affected?")?;
    a.numbness_tingling = yes_no("Any numbness or pins and needles anywhere?")?;
    a.sexual_function_change = yes_no("Any new change in sexual function?")?;
    a.worsening_despite_self_care = yes_no("Is it getting worse despite looking after it?")?;
    Ok(())
}

fn psfs(existing: Option<&[PsfsItem]>) -> Result<Option<Vec<PsfsItem>>> {
    let mut items = Vec::new();
    match existing {
        Some(list) if !list.is_empty() => {
            println!(
                "\nHow well can you do the activities you named (0 = not at all, 10 = as well as before)?"
            );
            for old in list {
                if let Some(score) = rating(&format!("{}:", old.activity), "0 to 10; esc to skip")?
                {
                    items.push(PsfsItem {
                        activity: old.activity.clone(),
                        score,
                    });
                }
            }
        }
        _ => {
            println!(
                "\nName up to five activities that matter to you and that your back makes hard (empty line to stop)."
            );
            for n in 1..=5 {
                let activity = Text::new(&format!("Activity {n}:"))
                    .prompt()
                    .map_err(cancelled)?;
                if activity.trim().is_empty() {
                    break;
                }
                if let Some(score) = rating(
                    "How well can you do it now? (0 = not at all, 10 = as before)",
                    "0 to 10",
                )? {
                    items.push(PsfsItem {
                        activity: activity.trim().to_string(),
                        score,
                    });
                }
            }
        }
    }
    Ok((!items.is_empty()).then_some(items))
}

fn peg(a: &mut Answers) -> Result<()> {
    println!("\nThinking about the past week (0 = none, 10 = as bad as it could be):");
    a.peg_pain = rating("Your pain on average:", "0 to 10")?;
    a.peg_enjoyment = rating("How much pain got in the way of enjoying life:", "0 to 10")?;
    a.peg_activity = rating(
        "How much pain got in the way of your usual activities:",
        "0 to 10",
    )?;
    Ok(())
}

/// The full intake.
pub fn intake() -> Result<Answers> {
    println!(
        "unknot assessment. This is a check, not a diagnosis. Esc skips a question; Ctrl-C stops."
    );
    let mut a = Answers {
        age: number::<u8>("Your age:", "esc to skip")?,
        ..Answers::default()
    };
    a.regions = choose_many(
        "Where is the pain?",
        &[
            (IntakeRegion::Neck, "neck"),
            (IntakeRegion::UpperBack, "upper back"),
            (IntakeRegion::MidBack, "middle back"),
            (IntakeRegion::LowerBack, "lower back"),
            (IntakeRegion::Shoulders, "shoulders"),
            (IntakeRegion::Buttocks, "buttocks and hips"),
        ],
    )?;
    a.pain_now = rating("Pain right now (0-10):", "0 = none, 10 = worst imaginable")?;
    a.pain_worst = rating("Worst pain in the past week (0-10):", "0 to 10")?;
    a.onset_days = number::<u32>(
        "How many days ago did it start?",
        "e.g. 3, or 90 for about three months",
    )?;
    a.onset = choose(
        "How did it start?",
        &[(Onset::Gradual, "gradually"), (Onset::Sudden, "suddenly")],
    )?;
    a.causes = choose_many(
        "What do you think set it off?",
        &[
            (Cause::Posture, "posture"),
            (Cause::ProlongedSitting, "long sitting or driving"),
            (Cause::Lifting, "lifting something"),
            (Cause::Weightlifting, "weightlifting"),
            (Cause::Running, "running"),
            (Cause::Hiit, "HIIT"),
            (Cause::Stress, "stress"),
            (Cause::Injury, "an injury"),
            (Cause::Overuse, "overuse"),
            (Cause::Unknown, "not sure"),
        ],
    )?;
    a.radiation = choose(
        "Does the pain spread anywhere?",
        &[
            (Radiation::None, "no"),
            (Radiation::Buttock, "into the buttock"),
            (Radiation::Thigh, "into the thigh"),
            (Radiation::BelowKnee, "below the knee"),
            (Radiation::Arm, "into an arm"),
            (Radiation::Chest, "into the chest"),
        ],
    )?;
    a.trauma = choose(
        "Did it start with a fall or an accident?",
        &[
            (Trauma::None, "no"),
            (Trauma::Minor, "a minor fall, slip or knock"),
            (Trauma::Major, "a major accident or a fall from a height"),
        ],
    )?;
    warning_signs(&mut a)?;
    a.cancer_history = yes_no("Have you ever had cancer?")?;
    a.unexplained_weight_loss = yes_no("Have you lost weight recently without trying?")?;
    a.night_pain =
        yes_no("Is the pain constant at night, not eased by resting or changing position?")?;
    a.osteoporosis_or_steroids =
        yes_no("Do you have osteoporosis, or take steroid tablets long term?")?;
    a.immunosuppressed_or_iv_drug_use = yes_no(
        "Is your immune system weakened (by illness or medicines), or do you inject drugs?",
    )?;
    a.limits_daily_activities = yes_no("Does the pain stop you doing your daily activities?")?;
    if !unknot_core::triage::triage(&a).plan_allowed {
        // Someone who needs a doctor today should see that now, not after the plan questions.
        return Ok(a);
    }

    println!("\nNow for your plan.");
    a.minutes_per_day = number::<u8>(
        "Minutes a day you can give to exercises (5-60):",
        "15 if you are not sure",
    )?
    .map(|m| m.clamp(5, 60));
    a.equipment = choose_many(
        "What do you have at hand?",
        &[
            (Equipment::Mat, "a mat or rug"),
            (Equipment::FoamRoller, "a foam roller"),
            (Equipment::MassageBall, "a massage or tennis ball"),
            (Equipment::ResistanceBand, "a resistance band"),
            (Equipment::Wall, "a free wall"),
            (Equipment::Chair, "a sturdy chair"),
            (Equipment::Doorway, "a doorway"),
        ],
    )?;
    a.sitting_hours =
        number::<f64>("Hours a day you spend sitting:", "e.g. 8")?.map(|h| h.clamp(0.0, 24.0));
    let knots: Vec<(Muscle, &str)> = Muscle::ALL.iter().map(|m| (*m, m.label())).collect();
    a.knots = choose_many("Where do you feel knots?", &knots)?;
    let cautions: Vec<(Caution, &str)> = [
        Caution::Pregnancy,
        Caution::KneePain,
        Caution::WristPain,
        Caution::ShoulderProblem,
        Caution::BalanceProblems,
        Caution::RecentSurgery,
    ]
    .iter()
    .map(|c| (*c, c.label()))
    .collect();
    a.other_cautions = choose_many("Do any of these apply to you?", &cautions)?;
    peg(&mut a)?;
    a.psfs = psfs(None)?;
    a.habits = Some(habits()?);
    Ok(a)
}

/// The habits check alone.
pub fn habits() -> Result<Habits> {
    println!("\nYour day: desk, phone, car, lifting, bed and activity.");
    Ok(Habits {
        screen_at_eye_level: yes_no("Is the top of your screen at about eye level?")?,
        chair_supports_lower_back: yes_no("Does your chair support your lower back?")?,
        feet_flat: yes_no("Do your feet rest flat on the floor or a footrest?")?,
        breaks_hourly: yes_no("Do you get up and move at least once an hour at work?")?,
        phone_hours: number::<f64>("Hours a day looking down at a phone or tablet:", "e.g. 2")?,
        driving_hours: number::<f64>("Hours a day driving:", "e.g. 1")?,
        lifts_heavy_things: yes_no("Do you lift or carry heavy things at work or home?")?,
        lifts_with_good_technique: yes_no(
            "When you lift, do you keep the load close and avoid twisting?",
        )?,
        mattress_comfortable: yes_no("Is your mattress comfortable and not sagging?")?,
        pillow_keeps_neck_level: yes_no("Does your pillow keep your neck level with your spine?")?,
        active_days_per_week: number::<u8>(
            "Days a week with 30 minutes or more of activity (0-7):",
            "e.g. 3",
        )?
        .map(|d| d.min(7)),
        weight_concern: yes_no("Would you like help with your weight?")?,
    })
}

/// The weekly check-in: pain, PEG, PSFS (the intake's activities) and the warning signs.
pub fn checkin(previous_psfs: Option<&[PsfsItem]>) -> Result<Answers> {
    println!("Weekly check-in. Esc skips a question; Ctrl-C stops.");
    let mut a = Answers {
        pain_now: rating("Pain right now (0-10):", "0 = none, 10 = worst imaginable")?,
        ..Answers::default()
    };
    peg(&mut a)?;
    a.psfs = psfs(previous_psfs)?;
    warning_signs(&mut a)?;
    Ok(a)
}
