//! The guided session as a state machine: a routine unrolled into timed steps (get ready, hold,
//! reps, switch sides, rest), driven by events (time passing, pause, next, back, skip, quit).
//!
//! Pure: time arrives as `Tick(milliseconds)` events from whatever clock the caller uses, so a
//! test runs a whole session instantly and `--speed` only changes the caller's clock. The
//! terminal and browser players render [`Runner::view`] and record [`Runner::outcomes`].

use serde::Serialize;

use crate::adapt::{ItemOutcome, ItemStatus};
use crate::catalogue::{Dosage, SECONDS_PER_REP};

/// Seconds of get-ready countdown before a hold or a set of reps.
pub const GET_READY_SECONDS: u32 = 3;
/// Seconds to change sides.
pub const SWITCH_SECONDS: u32 = 5;
/// Seconds of rest between exercises.
pub const BETWEEN_EXERCISES_SECONDS: u32 = 20;

/// What a step asks of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Get into position.
    GetReady,
    /// Hold the position.
    Hold,
    /// Do repetitions at an easy pace.
    Reps,
    /// Change to the other side.
    SwitchSides,
    /// Rest.
    Rest,
}

/// Which side a step is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Left side.
    Left,
    /// Right side.
    Right,
}

/// One exercise to guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Exercise id.
    pub exercise: String,
    /// Name for display.
    pub name: String,
    /// How much.
    pub dosage: Dosage,
}

impl Item {
    /// One exercise from the library, at its own dosage.
    pub fn from_exercise(e: &crate::catalogue::Exercise) -> Item {
        Item {
            exercise: e.id.clone(),
            name: e.name.clone(),
            dosage: e.dosage.clone(),
        }
    }

    /// A plan's routine, in order, at the plan's dosages.
    pub fn routine(plan: &crate::planner::Plan) -> Vec<Item> {
        plan.routine
            .iter()
            .map(|i| Item {
                exercise: i.exercise.clone(),
                name: i.name.clone(),
                dosage: i.dosage.clone(),
            })
            .collect()
    }
}

/// When to leave an exercise out and when to stop it, in the library's words: what every player
/// (terminal, browser) shows before the exercise starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemSafety {
    /// When not to do it at all ("avoid if"), in plain words.
    pub avoid_if: Vec<String>,
    /// When to stop part-way.
    pub stop_if: Vec<String>,
}

impl ItemSafety {
    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.avoid_if.is_empty() && self.stop_if.is_empty()
    }
}

impl Item {
    /// The exercise's "avoid if" and "stop if" lists (empty when the library lacks it).
    pub fn safety(&self, catalogue: &crate::catalogue::Catalogue) -> ItemSafety {
        catalogue
            .exercise(&self.exercise)
            .map(|e| ItemSafety {
                avoid_if: e.avoid_if.clone(),
                stop_if: e.stop_if.clone(),
            })
            .unwrap_or_default()
    }
}

/// One timed step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// Index of the exercise in the routine.
    pub item: usize,
    /// What to do.
    pub phase: Phase,
    /// How long, in seconds.
    pub seconds: u32,
    /// Set number, from 1.
    pub set: u8,
    /// Sets in all.
    pub sets: u8,
    /// Side, for exercises done on each side.
    pub side: Option<Side>,
    /// For holds repeated as reps: which rep, and of how many.
    pub rep: Option<(u16, u16)>,
    /// For rep steps: how many reps.
    pub reps: u16,
}

impl Step {
    fn work(&self) -> bool {
        matches!(self.phase, Phase::Hold | Phase::Reps)
    }
}

/// Unrolls a routine into steps. Dosage ranges start at their lower end; progression raises
/// them through the plan.
pub fn steps(items: &[Item]) -> Vec<Step> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let d = &item.dosage;
        let sets = d.sets.max(1);
        let sides: &[Option<Side>] = if d.per_side {
            &[Some(Side::Left), Some(Side::Right)]
        } else {
            &[None]
        };
        for set in 1..=sets {
            for (si, side) in sides.iter().enumerate() {
                let base = Step {
                    item: i,
                    phase: Phase::GetReady,
                    seconds: GET_READY_SECONDS,
                    set,
                    sets,
                    side: *side,
                    rep: None,
                    reps: 0,
                };
                if si > 0 {
                    out.push(Step {
                        phase: Phase::SwitchSides,
                        seconds: SWITCH_SECONDS,
                        ..base.clone()
                    });
                }
                match (d.reps, d.hold_seconds) {
                    (Some([reps, _]), Some([hold, _])) => {
                        for rep in 1..=reps.max(1) {
                            out.push(Step {
                                rep: Some((rep, reps)),
                                ..base.clone()
                            });
                            out.push(Step {
                                phase: Phase::Hold,
                                seconds: u32::from(hold),
                                rep: Some((rep, reps)),
                                ..base.clone()
                            });
                        }
                    }
                    (Some([reps, _]), None) => {
                        out.push(base.clone());
                        out.push(Step {
                            phase: Phase::Reps,
                            seconds: u32::from(reps) * SECONDS_PER_REP,
                            reps,
                            ..base.clone()
                        });
                    }
                    (None, Some([hold, _])) => {
                        out.push(base.clone());
                        out.push(Step {
                            phase: Phase::Hold,
                            seconds: u32::from(hold),
                            ..base.clone()
                        });
                    }
                    (None, None) => {}
                }
            }
            if set < sets && d.rest_seconds > 0 {
                out.push(Step {
                    item: i,
                    phase: Phase::Rest,
                    seconds: u32::from(d.rest_seconds),
                    set,
                    sets,
                    side: None,
                    rep: None,
                    reps: 0,
                });
            }
        }
        if i + 1 < items.len() {
            out.push(Step {
                item: i,
                phase: Phase::Rest,
                seconds: BETWEEN_EXERCISES_SECONDS,
                set: sets,
                sets,
                side: None,
                rep: None,
                reps: 0,
            });
        }
    }
    out
}

/// Something the user or the clock did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Time passed, in milliseconds.
    Tick(u64),
    /// Pause, or resume.
    TogglePause,
    /// Finish this step now and go on.
    Next,
    /// Back to the start of this step, or the previous one.
    Back,
    /// Skip the rest of this exercise.
    Skip,
    /// Stop the session.
    Quit,
}

/// What the player should do in response to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A new step began (ring the bell).
    StepChanged,
    /// The routine is over.
    Finished,
}

/// What to show now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View<'a> {
    /// The current step (None when finished).
    pub step: Option<&'a Step>,
    /// The exercise's name.
    pub name: &'a str,
    /// Whole seconds left in the step, rounded up.
    pub remaining: u32,
    /// Share of the step done, 0-1.
    pub progress: f64,
    /// For rep steps: the rep the pace has reached.
    pub rep_now: Option<u16>,
    /// Paused.
    pub paused: bool,
    /// The next exercise's name, when the next step starts another exercise.
    pub next: Option<&'a str>,
    /// Steps done, and in all.
    pub position: (usize, usize),
}

/// A running session.
#[derive(Debug, Clone)]
pub struct Runner {
    items: Vec<Item>,
    steps: Vec<Step>,
    index: usize,
    elapsed_ms: u64,
    paused: bool,
    quit: bool,
    /// Per item: work seconds, work steps reached, work steps finished, skipped.
    progress: Vec<(u64, usize, usize, bool)>,
}

impl Runner {
    /// A runner at the first step of `items`.
    pub fn new(items: Vec<Item>) -> Runner {
        let steps = steps(&items);
        let progress = vec![(0, 0, 0, false); items.len()];
        let mut r = Runner {
            items,
            steps,
            index: 0,
            elapsed_ms: 0,
            paused: false,
            quit: false,
            progress,
        };
        r.enter();
        r
    }

    fn enter(&mut self) {
        if let Some(step) = self.steps.get(self.index)
            && step.work()
        {
            self.progress[step.item].1 += 1;
        }
    }

    fn leave(&mut self, finished: bool) {
        if let Some(step) = self.steps.get(self.index) {
            let p = &mut self.progress[step.item];
            if step.work() {
                p.0 += self.elapsed_ms.min(u64::from(step.seconds) * 1000);
                if finished {
                    p.2 += 1;
                }
            }
        }
    }

    fn advance(&mut self, finished: bool) -> Vec<Signal> {
        self.leave(finished);
        self.index += 1;
        self.elapsed_ms = 0;
        if self.done() {
            return vec![Signal::Finished];
        }
        self.enter();
        vec![Signal::StepChanged]
    }

    /// True once every step has run or the user quit.
    pub fn done(&self) -> bool {
        self.quit || self.index >= self.steps.len()
    }

    /// Applies an event.
    pub fn handle(&mut self, event: Event) -> Vec<Signal> {
        if self.done() {
            return Vec::new();
        }
        match event {
            Event::Tick(ms) => {
                if self.paused {
                    return Vec::new();
                }
                self.elapsed_ms += ms;
                let mut signals = Vec::new();
                while !self.done() {
                    let length = u64::from(self.steps[self.index].seconds) * 1000;
                    if self.elapsed_ms < length {
                        break;
                    }
                    let carry = self.elapsed_ms - length;
                    self.elapsed_ms = length;
                    signals.extend(self.advance(true));
                    self.elapsed_ms = carry;
                }
                signals
            }
            Event::TogglePause => {
                self.paused = !self.paused;
                Vec::new()
            }
            Event::Next => self.advance(true),
            Event::Back => {
                if self.elapsed_ms < 2_000 && self.index > 0 {
                    self.leave(false);
                    self.index -= 1;
                }
                self.elapsed_ms = 0;
                vec![Signal::StepChanged]
            }
            Event::Skip => {
                let item = self.steps[self.index].item;
                self.leave(false);
                self.progress[item].3 = true;
                let next = self
                    .steps
                    .iter()
                    .skip(self.index)
                    .position(|s| s.item != item)
                    .map(|n| self.index + n);
                self.index = next.unwrap_or(self.steps.len());
                // The rest between two exercises belongs to the skipped one: go straight on.
                self.elapsed_ms = 0;
                if self.done() {
                    return vec![Signal::Finished];
                }
                self.enter();
                vec![Signal::StepChanged]
            }
            Event::Quit => {
                self.leave(false);
                self.quit = true;
                vec![Signal::Finished]
            }
        }
    }

    /// What to show now.
    pub fn view(&self) -> View<'_> {
        let step = self.steps.get(self.index).filter(|_| !self.quit);
        let name = step.map_or("", |s| self.items[s.item].name.as_str());
        let length = step.map_or(1, |s| u64::from(s.seconds) * 1000).max(1);
        let remaining =
            u32::try_from(length.saturating_sub(self.elapsed_ms).div_ceil(1000)).unwrap_or(0);
        let rep_now = step.filter(|s| s.phase == Phase::Reps).map(|s| {
            let per = u64::from(SECONDS_PER_REP) * 1000;
            u16::try_from(self.elapsed_ms / per + 1)
                .unwrap_or(u16::MAX)
                .min(s.reps)
        });
        let next = step.and_then(|s| {
            self.steps[self.index + 1..]
                .iter()
                .find(|n| n.item != s.item)
                .map(|n| self.items[n.item].name.as_str())
        });
        View {
            step,
            name,
            remaining,
            progress: (self.elapsed_ms as f64 / length as f64).min(1.0),
            rep_now,
            paused: self.paused,
            next,
            position: (self.index.min(self.steps.len()), self.steps.len()),
        }
    }

    /// The item currently running.
    pub fn item(&self) -> Option<&Item> {
        self.steps
            .get(self.index)
            .filter(|_| !self.quit)
            .map(|s| &self.items[s.item])
    }

    /// Each exercise's outcome: done (every work step finished), cut short (work started but
    /// not finished), or skipped (skipped before any work, or never reached).
    pub fn outcomes(&self) -> Vec<ItemOutcome> {
        self.items
            .iter()
            .zip(&self.progress)
            .enumerate()
            .map(|(i, (item, (ms, reached, finished, skipped)))| {
                let work_steps = self
                    .steps
                    .iter()
                    .filter(|s| s.item == i && s.work())
                    .count();
                // Skipping before any work was done counts as skipped, not cut short.
                let status = if *finished >= work_steps && work_steps > 0 && !skipped {
                    ItemStatus::Done
                } else if *reached > 0 && (*ms > 0 || !skipped) {
                    ItemStatus::CutShort
                } else {
                    ItemStatus::Skipped
                };
                ItemOutcome {
                    exercise: item.exercise.clone(),
                    status,
                    seconds: u32::try_from(ms / 1000).unwrap_or(u32::MAX),
                }
            })
            .collect()
    }
}

/// Longest time one exercise of a session can record, in seconds (a sanity bound: four hours).
pub const MAX_ITEM_SECONDS: u32 = 4 * 60 * 60;
/// Most exercises one session can record (a routine has a handful).
pub const MAX_SESSION_ITEMS: usize = 100;

/// Checks a finished session before it is stored, whichever player recorded it: at least one
/// exercise, every exercise known to the library, believable times, and warning signs named
/// by [`crate::signs::SESSION_SIGNS`].
pub fn check_record(
    record: &crate::adapt::SessionRecord,
    catalogue: &crate::catalogue::Catalogue,
) -> Result<(), crate::InputError> {
    use crate::InputError;
    if record.items.is_empty() {
        return Err(InputError::malformed(
            "items",
            "[]",
            "a session needs at least one exercise",
        ));
    }
    if record.items.len() > MAX_SESSION_ITEMS {
        return Err(InputError::malformed(
            "items",
            record.items.len().to_string(),
            format!("at most {MAX_SESSION_ITEMS} exercises in one session"),
        ));
    }
    for o in &record.items {
        if catalogue.exercise(&o.exercise).is_none() {
            return Err(InputError::malformed(
                "exercise",
                &o.exercise,
                "no exercise has this id",
            ));
        }
        if o.seconds > MAX_ITEM_SECONDS {
            return Err(InputError::malformed(
                "seconds",
                o.seconds.to_string(),
                "more than four hours on one exercise",
            ));
        }
    }
    crate::signs::read_session_signs(record.warning_signs.iter().map(String::as_str))?;
    Ok(())
}

/// The journal entry a session writes, so the journal, trends and reports see it: pain after,
/// the kinds of exercise really done (skipped ones and ones stopped within seconds do not
/// count), and an honest note. `None` when nothing was done and no pain was rated: there is
/// nothing to record in the journal then (the session itself is still kept).
pub fn journal_entry(
    record: &crate::adapt::SessionRecord,
    catalogue: &crate::catalogue::Catalogue,
    id: crate::journal::EntryId,
    now: &jiff::Zoned,
) -> Option<crate::journal::Entry> {
    use crate::catalogue::ExerciseKind;
    use crate::today::{Completion, MEANINGFUL_SECONDS};
    let completion = Completion::of(&record.items);
    if completion == Completion::Nothing && record.pain_after.is_none() {
        return None;
    }
    let mut entry = crate::journal::Entry::new(id, now.clone());
    entry.pain = record.pain_after;
    let counted = record.items.iter().filter(|o| {
        o.status == ItemStatus::Done
            || (o.status == ItemStatus::CutShort && o.seconds >= MEANINGFUL_SECONDS)
    });
    for o in counted {
        match catalogue.exercise(&o.exercise).map(|e| e.kind) {
            Some(ExerciseKind::Strengthening) => entry.treatments.strengthening = true,
            Some(ExerciseKind::Stretch | ExerciseKind::Mobility | ExerciseKind::Posture) => {
                entry.treatments.stretching = true
            }
            Some(ExerciseKind::SelfMassage) => entry.treatments.massage = true,
            _ => {}
        }
    }
    let done = record
        .items
        .iter()
        .filter(|o| o.status == ItemStatus::Done)
        .count();
    let at = record
        .at
        .with_time_zone(now.time_zone().clone())
        .strftime("%H:%M");
    let total = record.items.len();
    entry.note = Some(match completion {
        Completion::Full if total == 1 => format!("Guided session at {at}: the exercise done."),
        Completion::Full => format!("Guided session at {at}: all {total} exercises done."),
        Completion::Partial => {
            format!(
                "Guided session at {at}, partly done: {done} of {} done.",
                crate::words::count(total as u64, "exercise", "exercises")
            )
        }
        Completion::Nothing => {
            format!("Guided session at {at}, stopped before any exercise was done.")
        }
    });
    Some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(
        id: &str,
        reps: Option<[u16; 2]>,
        hold: Option<[u16; 2]>,
        sets: u8,
        per_side: bool,
    ) -> Item {
        Item {
            exercise: id.to_string(),
            name: id.to_string(),
            dosage: Dosage {
                hold_seconds: hold,
                reps,
                sets,
                per_side,
                rest_seconds: 10,
            },
        }
    }

    fn routine() -> Vec<Item> {
        vec![
            item("twist", None, Some([30, 30]), 2, true),
            item("bridge", Some([3, 5]), Some([2, 3]), 1, false),
            item("cat-camel", Some([8, 12]), None, 1, false),
        ]
    }

    #[test]
    fn routines_unroll_into_steps() {
        let s = steps(&routine());
        // twist: 2 sets × (left: ready, hold; right: switch, ready, hold) + rest between sets.
        let twist: Vec<Phase> = s.iter().filter(|x| x.item == 0).map(|x| x.phase).collect();
        use Phase::*;
        assert_eq!(
            twist,
            vec![
                GetReady,
                Hold,
                SwitchSides,
                GetReady,
                Hold,
                Rest,
                GetReady,
                Hold,
                SwitchSides,
                GetReady,
                Hold,
                Rest
            ]
        );
        let bridge_holds = s.iter().filter(|x| x.item == 1 && x.phase == Hold).count();
        assert_eq!(
            bridge_holds, 3,
            "a get-ready before each of the three holds"
        );
        let reps = s.iter().find(|x| x.item == 2 && x.phase == Reps).unwrap();
        assert_eq!((reps.reps, reps.seconds), (8, 8 * SECONDS_PER_REP));
    }

    #[test]
    fn a_whole_session_runs_instantly_on_ticks() {
        let mut r = Runner::new(routine());
        let mut changes = 0;
        let mut finished = false;
        for _ in 0..10_000 {
            for s in r.handle(Event::Tick(500)) {
                match s {
                    Signal::StepChanged => changes += 1,
                    Signal::Finished => finished = true,
                }
            }
            if finished {
                break;
            }
        }
        assert!(finished && r.done());
        assert_eq!(changes, steps(&routine()).len() - 1);
        assert!(
            r.outcomes().iter().all(|o| o.status == ItemStatus::Done),
            "{:?}",
            r.outcomes()
        );
        assert_eq!(r.outcomes()[0].seconds, 120, "four holds of 30 s");
    }

    #[test]
    fn pause_next_back_skip_and_quit() {
        let mut r = Runner::new(routine());
        r.handle(Event::TogglePause);
        r.handle(Event::Tick(60_000));
        assert_eq!(r.view().position.0, 0, "paused: time does not pass");
        r.handle(Event::TogglePause);
        r.handle(Event::Tick(1_000));
        assert_eq!(r.view().remaining, 2);
        r.handle(Event::Next);
        assert_eq!(r.view().step.map(|s| s.phase), Some(Phase::Hold));
        r.handle(Event::Back);
        assert_eq!(r.view().step.map(|s| s.phase), Some(Phase::GetReady));
        // Skip the twist: the next exercise starts at once.
        r.handle(Event::Skip);
        assert_eq!(r.item().map(|i| i.exercise.as_str()), Some("bridge"));
        r.handle(Event::Tick(3_000));
        r.handle(Event::Tick(1_000));
        r.handle(Event::Quit);
        let o = r.outcomes();
        assert_eq!(
            o[0].status,
            ItemStatus::Skipped,
            "skipped before any hold time"
        );
        assert_eq!(o[1].status, ItemStatus::CutShort);
        assert_eq!(o[2].status, ItemStatus::Skipped);
        assert!(r.done());
    }

    #[test]
    fn the_view_counts_reps_and_names_what_is_next() {
        let mut r = Runner::new(vec![
            item("cat-camel", Some([8, 12]), None, 1, false),
            item("child", None, Some([30, 60]), 1, false),
        ]);
        r.handle(Event::Tick(3_000));
        r.handle(Event::Tick(4_500));
        let v = r.view();
        assert_eq!(v.step.map(|s| s.phase), Some(Phase::Reps));
        assert_eq!(v.rep_now, Some(2));
        assert_eq!(v.next, Some("child"));
    }
}
