//! Export → import → export gives the same bytes, for any valid journal, on every engine.

use jiff::Timestamp;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::subsequence;
use unknot_core::backup;
use unknot_core::body::{Muscle, Region};
use unknot_core::journal::{Activity, Entry, EntryId, Knot, PainKind, Professional, RegionPain};
use unknot_core::score::Score;

use crate::support::{databases, open};

fn score() -> impl Strategy<Value = Score> {
    (0i64..=10).prop_map(|v| Score::new(v, "s").unwrap())
}

fn zone() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("UTC"),
        Just("Europe/Paris"),
        Just("America/New_York"),
        Just("Asia/Kolkata"),
        Just("+05:30")
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        (0i64..2_000_000_000, zone(), proptest::option::of(score())),
        subsequence(Region::ALL.to_vec(), 0..3).prop_flat_map(|rs| {
            let n = rs.len();
            (Just(rs), vec(score(), n))
        }),
        subsequence(Muscle::ALL.to_vec(), 0..3).prop_flat_map(|ms| {
            let n = ms.len();
            (
                Just(ms),
                vec(
                    (0usize..3, score(), subsequence(Region::ALL.to_vec(), 0..2)),
                    n,
                ),
            )
        }),
        subsequence(PainKind::ALL.to_vec(), 0..3),
        (
            proptest::option::of((0u32..=48).prop_map(|h| f64::from(h) / 2.0)),
            proptest::option::of(score()),
            proptest::option::of(score()),
            subsequence(Activity::ALL.to_vec(), 0..3),
        ),
        (
            any::<[bool; 4]>(),
            proptest::option::of(1u16..=60),
            proptest::option::of(1u16..=20),
        ),
        (
            vec("[a-z][a-z ]{0,10}[a-z]", 0..2),
            subsequence(Professional::ALL.to_vec(), 0..2),
            proptest::option::of("[^\u{0}-\u{1f}\u{7f}-\u{9f}]{0,3}[a-zA-Z<>&\"é💥]{1,30}"),
        ),
    )
        .prop_map(|(head, regions, knots, kinds, ctx, flags, words)| {
            let (secs, zone, pain) = head;
            let tz = if zone.starts_with('+') {
                jiff::tz::TimeZone::fixed(
                    jiff::tz::offset(5)
                        .checked_add(jiff::Span::new().minutes(30))
                        .unwrap(),
                )
            } else {
                jiff::tz::TimeZone::get(zone).unwrap()
            };
            let at = Timestamp::from_second(secs).unwrap().to_zoned(tz);
            let id = EntryId::new(format!("e-{secs}-{}", regions.0.len())).unwrap();
            let mut e = Entry::new(id, at);
            e.pain = pain.or(Some(Score::new(1, "p").unwrap()));
            e.regions = regions
                .0
                .into_iter()
                .zip(regions.1)
                .map(|(region, pain)| RegionPain { region, pain })
                .collect();
            e.knots = knots
                .0
                .into_iter()
                .zip(knots.1)
                .map(|(muscle, (side, tenderness, refers_to))| Knot {
                    muscle,
                    side: muscle.sides()[side],
                    tenderness,
                    refers_to,
                })
                .collect();
            e.pain_kinds = kinds;
            e.context.sitting_hours = ctx.0;
            e.context.stress = ctx.1;
            e.context.sleep_quality = ctx.2;
            e.context.activities = ctx.3;
            let (f, heat, cold) = flags;
            e.treatments.stretching = f[0];
            e.treatments.strengthening = f[1];
            e.treatments.massage = f[2];
            e.treatments.foam_rolling = f[3];
            e.treatments.heat_minutes = heat;
            e.treatments.cold_minutes = cold;
            e.treatments.medications = words.0;
            e.treatments.visits = words.1;
            e.note = words.2.filter(|n| !n.trim().is_empty());
            e
        })
}

fn journal() -> impl Strategy<Value = Vec<Entry>> {
    vec(entry(), 0..12).prop_map(|mut es| {
        // Ids must be unique within a journal.
        for (i, e) in es.iter_mut().enumerate() {
            e.id = EntryId::new(format!("{}-{i}", e.id)).unwrap();
        }
        es
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_byte_for_byte_stable(entries in journal()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let now: Timestamp = "2040-01-01T00:00:00Z".parse().unwrap();
            for db in databases().await {
                let first = open(&db).await;
                for e in &entries {
                    e.check(now).unwrap();
                    first.insert_entry(e).await.unwrap();
                }
                let exported = backup::render(&backup::build(first.list_entries(Default::default()).await.unwrap(), Default::default()));
                first.close().await;

                let parsed = backup::parse(&exported, now).unwrap();
                let target = crate::support::databases().await.into_iter().find(|d| d.label == db.label).unwrap();
                let second = open(&target).await;
                second.import_entries(&parsed.entries).await.unwrap();
                let again = backup::render(&backup::build(second.list_entries(Default::default()).await.unwrap(), Default::default()));
                assert_eq!(&exported, &again, "{}", db.label);
                // And the stored journal is the generated one.
                let mut want = entries.clone();
                want.sort_by(|a, b| a.at.timestamp().cmp(&b.at.timestamp()).then_with(|| a.id.cmp(&b.id)));
                assert_eq!(parsed.entries, want);
            }
        });
    }
}
