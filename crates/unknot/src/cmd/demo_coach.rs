//! The coach half of `unknot demo`: the made-up person did the safety check twelve weeks ago,
//! got a plan, has done most days' sessions since (some only in part, a few not at all), and
//! checks in every week with slowly better scores. Every step goes through the same
//! application operations a real person's would, on a clock stepped through those weeks, so
//! Today, the plan, History, the check-in chart and the visit summary all show something real.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp, Zoned};
use unknot_app::session::Finished;
use unknot_app::{App, Clock};
use unknot_core::adapt::{ItemOutcome, ItemStatus};
use unknot_core::intake::Answers;
use unknot_core::intake::questions::NONE_OF_THESE;
use unknot_core::score::Score;

/// How far back the made-up person started with unknot, in days.
pub const WEEKS_AGO: i64 = 12;

/// The intake: lower back and neck pain for two months, a desk job, a mat and a foam roller,
/// no warning signs (each answered).
fn intake() -> Result<Answers> {
    let pairs = [
        (NONE_OF_THESE, "yes"),
        ("age", "38"),
        ("regions", "lower_back"),
        ("regions", "neck"),
        ("onset_days", "60"),
        ("minutes_per_day", "15"),
        ("equipment", "mat"),
        ("equipment", "foam-roller"),
        ("pain_now", "6"),
        ("peg_pain", "6"),
        ("peg_enjoyment", "5"),
        ("peg_activity", "6"),
        ("psfs", "sitting through a meeting=4"),
        ("psfs", "gardening=5"),
    ];
    Ok(Answers::from_pairs(pairs)?)
}

/// A weekly check-in `week` weeks in: pain and PEG ease by about half a point a week, the
/// activities get easier, and no warning sign is new.
fn checkin(week: i64, rng: &mut fastrand::Rng) -> Result<Answers> {
    let mut eased = |start: f64| {
        (start - 0.45 * week as f64 + rng.f64() - 0.5)
            .round()
            .clamp(1.0, 10.0)
    };
    let pain = eased(6.0).to_string();
    let meeting = format!(
        "sitting through a meeting={}",
        (4.0 + 0.4 * week as f64).round().min(9.0)
    );
    let garden = format!("gardening={}", (5.0 + 0.35 * week as f64).round().min(9.0));
    let (peg_pain, peg_joy, peg_act) = (eased(6.0), eased(5.0), eased(6.0));
    let pairs = [
        (NONE_OF_THESE, "yes".to_string()),
        ("pain_now", pain),
        ("peg_pain", peg_pain.to_string()),
        ("peg_enjoyment", peg_joy.to_string()),
        ("peg_activity", peg_act.to_string()),
        ("psfs", meeting),
        ("psfs", garden),
    ];
    Ok(Answers::from_pairs(
        pairs.iter().map(|(k, v)| (*k, v.as_str())),
    )?)
}

/// One evening's session: usually all done, sometimes stopped part way, now and then abandoned.
fn session(routine: &[String], rng: &mut fastrand::Rng) -> Vec<ItemOutcome> {
    let roll = rng.f64();
    routine
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let last = i + 1 == routine.len();
            let (status, seconds) = if roll < 0.08 || (roll < 0.25 && last) {
                (ItemStatus::Skipped, 0)
            } else if roll < 0.3 && i + 2 == routine.len() {
                (ItemStatus::CutShort, 40)
            } else {
                (ItemStatus::Done, 60 + rng.u32(0..60))
            };
            ItemOutcome {
                exercise: id.clone(),
                status,
                seconds,
            }
        })
        .collect()
}

fn at(day: &Zoned, hour: i8) -> Result<Timestamp> {
    Ok(day
        .date()
        .at(hour, 0, 0, 0)
        .to_zoned(day.time_zone().clone())?
        .timestamp())
}

/// Plays the twelve weeks on `app` (whose clock must be fixed), ending before `now`.
pub async fn play(app: &App, clock: &Clock, now: &Zoned, seed: u64) -> Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let start = now.checked_sub(SignedDuration::from_hours(24 * 7 * WEEKS_AGO))?;
    clock.set(at(&start, 9)?);
    app.assess(intake()?, true).await?;
    let mut routine: Vec<String> = app
        .plan(false)
        .await?
        .stored
        .plan
        .routine
        .iter()
        .map(|i| i.exercise.clone())
        .collect();
    for day in 0..(7 * WEEKS_AGO) {
        let date = start.checked_add(SignedDuration::from_hours(24 * day))?;
        if day > 0 && day % 7 == 0 {
            clock.set(at(&date, 9)?);
            let out = app.checkin(checkin(day / 7, &mut rng)?).await?;
            if out
                .review
                .as_ref()
                .is_some_and(|r| r.saved_version.is_some())
            {
                let plan = app.plan(false).await?;
                routine = plan
                    .stored
                    .plan
                    .routine
                    .iter()
                    .map(|i| i.exercise.clone())
                    .collect();
            }
        }
        let evening = at(&date, 19)?;
        if evening >= now.timestamp() || rng.f64() < 0.15 || routine.is_empty() {
            continue;
        }
        clock.set(evening);
        let pain = (5.0 - 0.04 * day as f64 + rng.f64())
            .round()
            .clamp(1.0, 10.0) as i64;
        app.record_session(Finished {
            id: None,
            started: None,
            items: session(&routine, &mut rng),
            pain_before: Some(Score::new(pain, "pain")?),
            pain_after: Some(Score::new((pain - 1).max(0), "pain")?),
            warning_signs: Vec::new(),
        })
        .await?;
    }
    Ok(())
}
