//! Trends over the journal: average pain by week and month, the muscles that knot most often,
//! and what tends to come before a bad day.
//!
//! Pure arithmetic over entries the caller loaded; the command line, the web dashboard and the
//! visit report all draw from the same numbers. Associations are reported as such: a factor
//! that often precedes bad days is a lead to discuss, not proof of a cause.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::body::{Muscle, Side};
use crate::journal::{Activity, Context, Entry, Knot};
use crate::score::Score;

/// Average pain over one calendar period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// First day of the period (a Monday for weeks, the 1st for months).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Date, example = "2025-03-03")
    )]
    pub start: Date,
    /// Mean of the overall pain ratings in the period, if any were given.
    pub mean_pain: Option<f64>,
    /// How many rated entries the mean is over.
    pub rated_entries: usize,
}

/// How often a muscle was recorded as knotted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MuscleCount {
    /// The muscle.
    pub muscle: Muscle,
    /// Entries that recorded a knot in it.
    pub count: usize,
    /// Mean tenderness across those knots.
    pub mean_tenderness: f64,
    /// Knots on the left, right, both sides and centre.
    pub left: usize,
    /// See `left`.
    pub right: usize,
    /// See `left`.
    pub both: usize,
    /// See `left`.
    pub centre: usize,
}

/// Something that can come before a bad day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "activity")]
pub enum Factor {
    /// An activity the user logged.
    Activity(Activity),
    /// Six or more hours of sitting logged in a day.
    LongSitting,
    /// Stress rated 7 or more.
    HighStress,
    /// Sleep quality rated 3 or less.
    PoorSleep,
}

impl Factor {
    /// Plain words for the factor.
    pub fn label(self) -> String {
        match self {
            Factor::Activity(a) => a.label().to_string(),
            Factor::LongSitting => "6+ hours sitting".to_string(),
            Factor::HighStress => "high stress (7+)".to_string(),
            Factor::PoorSleep => "poor sleep (3 or less)".to_string(),
        }
    }
}

/// A factor that came on or the day before bad days clearly more often than before other days:
/// the difference is at least [`MIN_DIFFERENCE`] of days, it came before at least
/// [`MIN_BAD_DAYS_WITH`] bad days, and a one-sided Fisher's exact test, Bonferroni-corrected
/// over the factors tested, gives p below [`SIGNIFICANCE`]. Anything less is not named.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactorLink {
    /// What.
    pub factor: Factor,
    /// Plain words for it.
    pub label: String,
    /// Bad days it came on or the day before.
    pub bad_days_with: usize,
    /// That count as a share of all bad days.
    pub share_of_bad_days: f64,
    /// Share of the other rated days (not bad) it came on or the day before, for comparison.
    pub share_of_other_days: f64,
    /// How many times as likely a bad day was after it as without it (the risk ratio).
    pub times_as_likely: f64,
    /// The corrected p-value of the test (smaller: less likely to be chance).
    pub p_value: f64,
}

/// The smallest difference, as a share of days, between bad days and other days for a factor
/// to be named (15 percentage points).
pub const MIN_DIFFERENCE: f64 = 0.15;
/// The fewest bad days a factor must come before to be tested at all.
pub const MIN_BAD_DAYS_WITH: usize = 3;
/// The corrected p-value below which a link is named.
pub const SIGNIFICANCE: f64 = 0.05;

/// Bad days and what preceded them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BadDays {
    /// A day counts as bad when its mean pain is at or above this.
    pub threshold: f64,
    /// How many rated days there were.
    pub rated_days: usize,
    /// How many of them were bad.
    pub bad_days: usize,
    /// Factors that came before bad days clearly more often than before other days (see
    /// [`FactorLink`] for the rule), strongest first. Empty when nothing stands out.
    pub preceded_by: Vec<FactorLink>,
    /// How many factors were tested (came before at least [`MIN_BAD_DAYS_WITH`] bad days).
    pub factors_tested: usize,
}

/// Everything `unknot trends` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trends {
    /// Entries considered.
    pub entries: usize,
    /// Of which with an overall pain rating.
    pub rated_entries: usize,
    /// The last weeks, oldest first, ending with the current one.
    pub weekly: Vec<Period>,
    /// The last months, oldest first, ending with the current one.
    pub monthly: Vec<Period>,
    /// Knotted muscles, most frequent first.
    pub muscles: Vec<MuscleCount>,
    /// Bad days and their leads.
    pub bad_days: BadDays,
}

/// Options for [`compute`].
#[derive(Debug, Clone, Copy)]
pub struct TrendOptions {
    /// How many weeks to show.
    pub weeks: usize,
    /// How many months to show.
    pub months: usize,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            weeks: 12,
            months: 12,
        }
    }
}

/// What trends read from one entry: its local date, its overall pain, its context and its
/// knots. Borrowed, so a caller that holds whole entries lends them, while the store can load
/// only these parts of a long journal (see [`TrendSample`]).
#[derive(Debug, Clone, Copy)]
pub struct EntryFacts<'a> {
    /// The entry's date in its own time zone.
    pub day: Date,
    /// Overall pain, if rated.
    pub pain: Option<Score>,
    /// Circumstances (activities, stress, sleep, sitting).
    pub context: &'a Context,
    /// Knots found.
    pub knots: &'a [Knot],
}

impl<'a> From<&'a Entry> for EntryFacts<'a> {
    fn from(e: &'a Entry) -> Self {
        EntryFacts {
            day: e.at.date(),
            pain: e.pain,
            context: &e.context,
            knots: &e.knots,
        }
    }
}

/// The parts of one entry that trends read, owned: what the store loads for `unknot trends`
/// instead of whole entries.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendSample {
    /// The entry's date in its own time zone.
    pub day: Date,
    /// Overall pain, if rated.
    pub pain: Option<Score>,
    /// Circumstances.
    pub context: Context,
    /// Knots found (the store leaves out where their pain travels: trends do not read it).
    pub knots: Vec<Knot>,
}

impl TrendSample {
    /// The sample as [`compute_facts`] reads it.
    pub fn facts(&self) -> EntryFacts<'_> {
        EntryFacts {
            day: self.day,
            pain: self.pain,
            context: &self.context,
            knots: &self.knots,
        }
    }
}

/// Computes trends over `entries` (any order) as of `today` (the user's local date).
pub fn compute(entries: &[Entry], today: Date, opts: TrendOptions) -> Trends {
    compute_facts(entries.iter().map(EntryFacts::from), today, opts)
}

/// A set of [`Factor`]s as bits: activity `a` is bit `a as u32` (declaration order), then long
/// sitting, high stress and poor sleep, so counting bits upwards visits factors in their order.
type Factors = u32;

const LONG_SITTING_BIT: u32 = Activity::ALL.len() as u32;
const HIGH_STRESS_BIT: u32 = LONG_SITTING_BIT + 1;
const POOR_SLEEP_BIT: u32 = LONG_SITTING_BIT + 2;
const FACTOR_BITS: usize = POOR_SLEEP_BIT as usize + 1;
const _: () = assert!(FACTOR_BITS <= Factors::BITS as usize);

/// The factor a bit stands for.
fn factor_of_bit(bit: usize) -> Factor {
    match Activity::ALL.get(bit) {
        Some(a) => Factor::Activity(*a),
        None if bit == LONG_SITTING_BIT as usize => Factor::LongSitting,
        None if bit == HIGH_STRESS_BIT as usize => Factor::HighStress,
        None => Factor::PoorSleep,
    }
}

/// One local day's totals.
#[derive(Debug, Clone, Copy)]
struct Day {
    date: Date,
    pain_sum: f64,
    rated: usize,
    factors: Factors,
    /// The most sitting hours given that day ("so far today"), if any.
    sitting: Option<f64>,
}

impl Day {
    fn new(date: Date) -> Day {
        Day {
            date,
            pain_sum: 0.0,
            rated: 0,
            factors: 0,
            sitting: None,
        }
    }

    fn merge(&mut self, other: &Day) {
        self.pain_sum += other.pain_sum;
        self.rated += other.rated;
        self.factors |= other.factors;
        self.sitting = match (self.sitting, other.sitting) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Computes trends over entries' facts (any order) as of `today` (the user's local date).
pub fn compute_facts<'a>(
    facts: impl IntoIterator<Item = EntryFacts<'a>>,
    today: Date,
    opts: TrendOptions,
) -> Trends {
    // Journals come in time order, so a day's entries are usually next to each other: totals go
    // to the last day when the date matches, and days are sorted and merged only if not.
    let mut days: Vec<Day> = Vec::new();
    let mut in_order = true;
    let mut muscles = vec![(0usize, 0u64, [0usize; 4]); Muscle::ALL.len()];
    let (mut entries, mut rated) = (0, 0);

    for e in facts {
        entries += 1;
        if days.last().is_none_or(|d| d.date != e.day) {
            in_order &= days.last().is_none_or(|d| d.date < e.day);
            days.push(Day::new(e.day));
        }
        let Some(day) = days.last_mut() else { continue };
        if let Some(p) = e.pain {
            rated += 1;
            day.pain_sum += f64::from(p.get());
            day.rated += 1;
        }
        let c = e.context;
        for a in &c.activities {
            day.factors |= 1 << (*a as u32);
        }
        if c.stress.is_some_and(|s| s.get() >= 7) {
            day.factors |= 1 << HIGH_STRESS_BIT;
        }
        if c.sleep_quality.is_some_and(|s| s.get() <= 3) {
            day.factors |= 1 << POOR_SLEEP_BIT;
        }
        if let Some(h) = c.sitting_hours {
            // Hours are logged as "so far today": the day's figure is the largest one given.
            day.sitting = Some(day.sitting.map_or(h, |best| best.max(h)));
        }
        for k in e.knots {
            let slot = &mut muscles[k.muscle as usize];
            slot.0 += 1;
            slot.1 += u64::from(k.tenderness.get());
            let side = match k.side {
                Side::Left => 0,
                Side::Right => 1,
                Side::Both => 2,
                Side::Centre => 3,
            };
            slot.2[side] += 1;
        }
    }
    if !in_order {
        days.sort_by_key(|d| d.date);
        days.dedup_by(|later, kept| {
            let same = later.date == kept.date;
            if same {
                kept.merge(later);
            }
            same
        });
    }
    for d in &mut days {
        if d.sitting.is_some_and(|h| h >= 6.0) {
            d.factors |= 1 << LONG_SITTING_BIT;
        }
    }

    let mut muscle_counts: Vec<MuscleCount> = Muscle::ALL
        .iter()
        .zip(muscles)
        .filter(|(_, (count, ..))| *count > 0)
        .map(|(muscle, (count, sum, sides))| MuscleCount {
            muscle: *muscle,
            count,
            mean_tenderness: round1(sum as f64 / count as f64),
            left: sides[0],
            right: sides[1],
            both: sides[2],
            centre: sides[3],
        })
        .collect();
    muscle_counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.muscle.cmp(&b.muscle)));

    Trends {
        entries,
        rated_entries: rated,
        weekly: periods(&days, week_start(today), opts.weeks, week_start, |d| {
            d.checked_sub(1.week()).ok()
        }),
        monthly: periods(
            &days,
            today.first_of_month(),
            opts.months,
            |d| d.first_of_month(),
            |d| d.checked_sub(1.month()).ok(),
        ),
        muscles: muscle_counts,
        bad_days: bad_days(&days),
    }
}

/// Mean pain per local day from `start` to `end` (inclusive), one value per day, absent on days
/// with no rating. Entries must carry the time zone the days are counted in.
pub fn daily_pain(entries: &[Entry], start: Date, end: Date) -> (Vec<Date>, Vec<Option<f64>>) {
    daily_means(
        entries
            .iter()
            .filter_map(|e| Some((e.at.date(), e.pain?.get()))),
        start,
        end,
    )
}

/// [`daily_pain`] from (local date, pain) pairs: for callers that read only the ratings, not
/// whole entries.
pub fn daily_means(
    points: impl IntoIterator<Item = (Date, u8)>,
    start: Date,
    end: Date,
) -> (Vec<Date>, Vec<Option<f64>>) {
    let days = start.until(end).map_or(0, |s| s.get_days()).max(0) + 1;
    let dates: Vec<Date> = (0..days)
        .filter_map(|i| start.checked_add(i64::from(i).days()).ok())
        .collect();
    let mut sums = vec![(0.0f64, 0u32); dates.len()];
    for (day, p) in points {
        if let Ok(span) = start.until(day)
            && let Some(slot) = usize::try_from(span.get_days())
                .ok()
                .and_then(|i| sums.get_mut(i))
        {
            slot.0 += f64::from(p);
            slot.1 += 1;
        }
    }
    let values = sums
        .into_iter()
        .map(|(s, n)| (n > 0).then(|| s / f64::from(n)))
        .collect();
    (dates, values)
}

/// How many times each muscle and side was recorded as knotted, most often first (ties by
/// muscle id, then side), for heat maps and the visit summary.
pub fn knot_counts(entries: &[Entry]) -> Vec<(Muscle, Side, usize)> {
    let mut counts: BTreeMap<(&'static str, &'static str), (Muscle, Side, usize)> = BTreeMap::new();
    for k in entries.iter().flat_map(|e| &e.knots) {
        counts
            .entry((k.muscle.id(), k.side.id()))
            .or_insert((k.muscle, k.side, 0))
            .2 += 1;
    }
    let mut out: Vec<_> = counts.into_values().collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.2));
    out
}

/// One week's counts for History's weekly chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCounts {
    /// The week's first day.
    pub start: Date,
    /// Knots recorded in the week.
    pub knots: usize,
    /// Days with stretching or strengthening.
    pub exercise_days: usize,
    /// Days with heat or cold.
    pub heat_cold_days: usize,
}

/// Counts per seven-day block from `start` to `end` (the last block may be short): knots
/// recorded, and days (not entries) with exercise or with heat or cold.
pub fn weekly_counts(entries: &[Entry], start: Date, end: Date) -> Vec<WeekCounts> {
    let days = start.until(end).map_or(0, |s| s.get_days()).max(0) + 1;
    let weeks = usize::try_from((days + 6) / 7).unwrap_or(1);
    let mut out: Vec<WeekCounts> = (0..weeks)
        .map(|w| WeekCounts {
            start: start
                .checked_add((i64::try_from(w).unwrap_or(0) * 7).days())
                .unwrap_or(start),
            knots: 0,
            exercise_days: 0,
            heat_cold_days: 0,
        })
        .collect();
    let mut exercise: BTreeSet<Date> = BTreeSet::new();
    let mut heat_cold: BTreeSet<Date> = BTreeSet::new();
    for e in entries {
        let d = e.at.date();
        let Some(i) = start
            .until(d)
            .ok()
            .and_then(|s| usize::try_from(s.get_days()).ok())
            .map(|n| n / 7)
            .filter(|i| *i < weeks && d <= end)
        else {
            continue;
        };
        out[i].knots += e.knots.len();
        let t = &e.treatments;
        if (t.stretching || t.strengthening) && exercise.insert(d) {
            out[i].exercise_days += 1;
        }
        if (t.heat_minutes.is_some() || t.cold_minutes.is_some()) && heat_cold.insert(d) {
            out[i].heat_cold_days += 1;
        }
    }
    out
}

fn week_start(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

fn periods(
    days: &[Day],
    current: Date,
    count: usize,
    start_of: impl Fn(Date) -> Date,
    previous: impl Fn(Date) -> Option<Date>,
) -> Vec<Period> {
    let mut starts = Vec::with_capacity(count);
    let mut cursor = Some(current);
    while starts.len() < count {
        let Some(s) = cursor else { break };
        starts.push(s);
        cursor = previous(s);
    }
    starts.reverse();
    let Some(&first) = starts.first() else {
        return Vec::new();
    };
    let mut sums: HashMap<Date, (f64, usize)> = HashMap::new();
    let from = days.partition_point(|d| d.date < first);
    for d in days[from..].iter().filter(|d| d.rated > 0) {
        let slot = sums.entry(start_of(d.date)).or_insert((0.0, 0));
        slot.0 += d.pain_sum;
        slot.1 += d.rated;
    }
    starts
        .into_iter()
        .map(|start| {
            let (sum, n) = sums.get(&start).copied().unwrap_or((0.0, 0));
            Period {
                start,
                mean_pain: (n > 0).then(|| round1(sum / n as f64)),
                rated_entries: n,
            }
        })
        .collect()
}

/// Days are sorted by date, one each; a day counts when it has a pain rating.
fn bad_days(days: &[Day]) -> BadDays {
    let means: Vec<(usize, f64)> = days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.rated > 0)
        .map(|(i, d)| (i, d.pain_sum / d.rated as f64))
        .collect();
    let mut sorted: Vec<f64> = means.iter().map(|(_, m)| *m).collect();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.is_empty() {
        0.0
    } else if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    // Two points above a usual day is the smallest change people notice (Ostelo et al. 2008);
    // 7 and over is a bad day for anyone.
    let threshold = round1((median + 2.0).min(7.0));

    // What came on the day or the day before (the day before, when anything was logged then).
    let preceding = |i: usize| -> Factors {
        let day = &days[i];
        let before = i
            .checked_sub(1)
            .map(|j| &days[j])
            .filter(|prev| day.date.yesterday().is_ok_and(|y| y == prev.date))
            .map_or(0, |prev| prev.factors);
        day.factors | before
    };

    let mut with_all = [0usize; FACTOR_BITS];
    let mut with_bad = [0usize; FACTOR_BITS];
    let mut bad = 0;
    for &(i, mean) in &means {
        let is_bad = mean >= threshold;
        bad += usize::from(is_bad);
        let set = preceding(i);
        for bit in (0..FACTOR_BITS).filter(|b| set & (1 << b) != 0) {
            with_all[bit] += 1;
            if is_bad {
                with_bad[bit] += 1;
            }
        }
    }
    let rated_days = means.len();
    let tested: Vec<(Factor, usize, usize)> = (0..FACTOR_BITS)
        .filter(|&bit| with_bad[bit] >= MIN_BAD_DAYS_WITH)
        .map(|bit| (factor_of_bit(bit), with_bad[bit], with_all[bit]))
        .collect();
    let mut links: Vec<FactorLink> = tested
        .iter()
        .filter_map(|&(factor, n, all)| link(factor, n, all, bad, rated_days, tested.len()))
        .collect();
    links.sort_by(|a, b| {
        let lift_a = a.share_of_bad_days - a.share_of_other_days;
        let lift_b = b.share_of_bad_days - b.share_of_other_days;
        lift_b.total_cmp(&lift_a).then(a.factor.cmp(&b.factor))
    });
    links.truncate(5);
    BadDays {
        threshold,
        rated_days,
        bad_days: bad,
        preceded_by: links,
        factors_tested: tested.len(),
    }
}

/// The link for a factor that came before `with_bad` of `bad` bad days and `with_all` of all
/// `days`, when it passes the rule of [`FactorLink`]; `tests` is how many factors were tested.
fn link(
    factor: Factor,
    with_bad: usize,
    with_all: usize,
    bad: usize,
    days: usize,
    tests: usize,
) -> Option<FactorLink> {
    let other_days = days.saturating_sub(bad);
    let with_other = with_all.saturating_sub(with_bad);
    if bad == 0 || other_days == 0 {
        return None;
    }
    let share_bad = with_bad as f64 / bad as f64;
    let share_other = with_other as f64 / other_days as f64;
    let (a, b, c, d) = (
        with_bad,
        bad - with_bad,
        with_other,
        other_days - with_other,
    );
    let p = (fisher_greater(a, b, c, d) * tests.max(1) as f64).min(1.0);
    if share_bad - share_other < MIN_DIFFERENCE || p >= SIGNIFICANCE {
        return None;
    }
    // The risk of a bad day after the factor against without it; without it never bad, the
    // ratio has no bound, so it is shown as the share of days instead (capped).
    let risk_with = a as f64 / (a + c) as f64;
    let risk_without = b as f64 / (b + d).max(1) as f64;
    let times = if risk_without > 0.0 {
        risk_with / risk_without
    } else {
        99.0
    };
    Some(FactorLink {
        factor,
        label: factor.label(),
        bad_days_with: with_bad,
        share_of_bad_days: round2(share_bad),
        share_of_other_days: round2(share_other),
        times_as_likely: round1(times.min(99.0)),
        p_value: (p * 10_000.0).round() / 10_000.0,
    })
}

/// One-sided Fisher's exact test for the 2×2 table `[[a, b], [c, d]]` (rows: bad days and
/// other days; columns: with and without the factor): the probability of `a` or more bad days
/// with the factor if the factor and bad days were unrelated. Exact for small counts, where
/// a chi-squared test would mislead.
pub fn fisher_greater(a: usize, b: usize, c: usize, d: usize) -> f64 {
    let n = a + b + c + d;
    let row = a + b;
    let col = a + c;
    let ln_fact = ln_factorials(n);
    let ln_choose = |n: usize, k: usize| ln_fact[n] - ln_fact[k] - ln_fact[n - k];
    let denominator = ln_choose(n, row);
    let top = row.min(col);
    (a..=top)
        .filter(|&x| row >= x && n - col >= row - x)
        .map(|x| (ln_choose(col, x) + ln_choose(n - col, row - x) - denominator).exp())
        .sum::<f64>()
        .min(1.0)
}

/// ln(k!) for k in 0..=n.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n + 1);
    let mut acc = 0.0;
    out.push(0.0);
    for k in 1..=n {
        acc += (k as f64).ln();
        out.push(acc);
    }
    out
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Draws values on a 0-10 scale as a one-line chart of block characters; gaps are spaces.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(v) => {
                let idx = ((v.clamp(0.0, 10.0) / 10.0) * 7.0).round() as usize;
                BARS[idx.min(7)]
            }
            None => ' ',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{EntryId, Knot};
    use crate::score::Score;

    fn entry(n: usize, at: &str, pain: i64) -> Entry {
        let mut e = Entry::new(EntryId::new(format!("e{n}")).unwrap(), at.parse().unwrap());
        e.pain = Some(Score::new(pain, "pain").unwrap());
        e
    }

    #[test]
    fn weekly_means_include_empty_weeks() {
        let entries = vec![
            entry(1, "2026-03-02T09:00[UTC]", 4),
            entry(2, "2026-03-03T09:00[UTC]", 6),
            entry(3, "2026-03-16T09:00[UTC]", 2),
        ];
        let today: Date = "2026-03-18".parse().unwrap();
        let t = compute(
            &entries,
            today,
            TrendOptions {
                weeks: 3,
                months: 1,
            },
        );
        let means: Vec<Option<f64>> = t.weekly.iter().map(|p| p.mean_pain).collect();
        assert_eq!(means, vec![Some(5.0), None, Some(2.0)]);
        assert_eq!(t.weekly[0].start.to_string(), "2026-03-02");
        assert_eq!(t.monthly[0].mean_pain, Some(4.0));
        assert_eq!(sparkline(&means), "▅ ▂");
    }

    #[test]
    fn muscles_are_ranked_by_count() {
        let mut a = entry(1, "2026-03-02T09:00[UTC]", 4);
        a.knots = vec![
            Knot::parse("rhomboids:left:6").unwrap(),
            Knot::parse("piriformis:right:4").unwrap(),
        ];
        let mut b = entry(2, "2026-03-03T09:00[UTC]", 4);
        b.knots = vec![Knot::parse("rhomboids:right:8").unwrap()];
        let t = compute(
            &[a, b],
            "2026-03-03".parse().unwrap(),
            TrendOptions::default(),
        );
        assert_eq!(t.muscles[0].muscle, Muscle::Rhomboids);
        assert_eq!(
            (t.muscles[0].count, t.muscles[0].left, t.muscles[0].right),
            (2, 1, 1)
        );
        assert_eq!(t.muscles[0].mean_tenderness, 7.0);
    }

    #[test]
    fn finds_what_precedes_bad_days() {
        let mut entries = Vec::new();
        for day in 1..=30 {
            let bad = day % 5 == 0;
            let mut e = entry(
                day,
                &format!("2026-03-{day:02}T20:00[UTC]"),
                if bad { 8 } else { 3 },
            );
            if bad || day == 2 {
                e.context.activities = vec![Activity::Weightlifting];
            } else {
                e.context.activities = vec![Activity::Walking];
            }
            entries.push(e);
        }
        let t = compute(
            &entries,
            "2026-03-30".parse().unwrap(),
            TrendOptions::default(),
        );
        assert_eq!(t.bad_days.bad_days, 6);
        assert_eq!(t.bad_days.threshold, 5.0);
        let first = &t.bad_days.preceded_by[0];
        assert_eq!(first.factor, Factor::Activity(Activity::Weightlifting));
        assert_eq!(first.bad_days_with, 6);
        assert!(
            first.p_value < SIGNIFICANCE && first.times_as_likely > 2.0,
            "{first:?}"
        );
        assert!(
            t.bad_days
                .preceded_by
                .iter()
                .all(|l| l.factor != Factor::Activity(Activity::Walking))
        );
    }

    /// A journal with a bit of everything over four months: pain every day (worse every sixth),
    /// knots, activities, stress, poor sleep, sitting, and days with several entries.
    fn mixed_journal() -> Vec<Entry> {
        let mut entries = Vec::new();
        for day in 0..120 {
            for slot in 0..(1 + day % 3) {
                let at = jiff::civil::date(2025, 11, 1)
                    .checked_add(jiff::Span::new().days(day))
                    .unwrap()
                    .at(8 + 5 * slot as i8, 0, 0, 0)
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .unwrap()
                    .to_string();
                let n = (day * 3 + slot) as usize;
                let mut e = entry(n, &at, if day % 6 == 0 { 8 } else { 3 + slot % 2 });
                if n.is_multiple_of(4) {
                    e.pain = None;
                }
                if day % 6 == 5 {
                    e.context.activities = vec![Activity::Weightlifting, Activity::DeskWork];
                    e.context.sitting_hours = Some(7.0);
                }
                if n.is_multiple_of(5) {
                    e.context.stress = Some(Score::new(8, "stress").unwrap());
                    e.context.sleep_quality = Some(Score::new(2, "sleep").unwrap());
                }
                if n.is_multiple_of(7) {
                    e.knots = vec![
                        Knot::parse("rhomboids:left:6").unwrap(),
                        Knot::parse("piriformis:both:4").unwrap(),
                    ];
                }
                entries.push(e);
            }
        }
        entries
    }

    #[test]
    fn order_does_not_change_the_numbers() {
        let entries = mixed_journal();
        let today: Date = "2026-02-27".parse().unwrap();
        let opts = TrendOptions {
            weeks: 20,
            months: 5,
        };
        let in_order = compute(&entries, today, opts);
        assert!(!in_order.bad_days.preceded_by.is_empty(), "{in_order:?}");
        assert!(in_order.muscles.len() == 2 && in_order.weekly.len() == 20);
        let mut shuffled = entries.clone();
        shuffled.reverse();
        shuffled.swap(3, 200);
        assert_eq!(compute(&shuffled, today, opts), in_order);
    }

    #[test]
    fn samples_give_the_same_numbers_as_entries() {
        let entries = mixed_journal();
        let samples: Vec<TrendSample> = entries
            .iter()
            .map(|e| TrendSample {
                day: e.at.date(),
                pain: e.pain,
                context: e.context.clone(),
                knots: e.knots.clone(),
            })
            .collect();
        let today: Date = "2026-02-27".parse().unwrap();
        assert_eq!(
            compute_facts(
                samples.iter().map(TrendSample::facts),
                today,
                TrendOptions::default()
            ),
            compute(&entries, today, TrendOptions::default())
        );
    }

    #[test]
    fn fishers_exact_test_matches_a_hand_count() {
        // [[5, 0], [5, 11]]: C(10,5) * C(11,0) / C(21,5) = 252 / 20349.
        let p = fisher_greater(5, 0, 5, 11);
        assert!((p - 252.0 / 20349.0).abs() < 1e-9, "{p}");
        // No association at all: p is large.
        assert!(fisher_greater(2, 2, 2, 2) > 0.5);
    }

    #[test]
    fn a_factor_as_common_before_any_day_is_not_named() {
        // Walking on about four days in five, bad days or not (78% against 77%): nothing stands
        // out, however many days there are.
        let mut entries = Vec::new();
        for day in 0..200 {
            let at = jiff::civil::date(2025, 1, 1)
                .checked_add(jiff::Span::new().days(day))
                .unwrap()
                .at(20, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .to_string();
            let bad = day % 7 == 0;
            let mut e = entry(day as usize, &at, if bad { 8 } else { 3 });
            if day % 9 != 0 && day % 11 != 0 {
                e.context.activities = vec![Activity::Walking];
            }
            entries.push(e);
        }
        let t = compute(
            &entries,
            "2025-07-19".parse().unwrap(),
            TrendOptions::default(),
        );
        assert!(t.bad_days.bad_days > 20);
        assert!(
            t.bad_days.preceded_by.is_empty(),
            "{:?}",
            t.bad_days.preceded_by
        );
    }
}
