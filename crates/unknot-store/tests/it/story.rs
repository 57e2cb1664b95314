//! The journal's life on each engine: open, write, read back, change, remove, restore.

use jiff::Timestamp;
use unknot_core::journal::{Activity, Knot, PainKind, Professional, RegionPain};
use unknot_store::{EntryRange, StoreError};

use crate::support::{databases, entry, open, session};

#[tokio::test]
async fn schema_is_the_same_on_every_engine_and_sqlite_is_durable() {
    let mut tables = Vec::new();
    for db in databases().await {
        let store = open(&db).await;
        tables.push(store.table_names().await.unwrap());
        if db.label == "sqlite" {
            assert_eq!(store.journal_mode().await.unwrap().as_deref(), Some("wal"));
            assert_eq!(store.foreign_keys_enforced().await.unwrap(), Some(true));
        }
        // Opening again finds the migrations applied and changes nothing.
        store.close().await;
        let again = open(&db).await;
        assert_eq!(again.count_entries().await.unwrap(), 0);
    }
    assert!(tables.iter().all(|t| t == &tables[0]), "{tables:?}");
    assert_eq!(
        tables[0],
        vec![
            "accounts",
            "answer_summaries",
            "api_tokens",
            "assessment_errors",
            "assessments",
            "audit_log",
            "auth_pending",
            "auth_sessions",
            "breaks",
            "care",
            "clinic_exercises",
            "clinics",
            "custom_exercises",
            "entries",
            "invitations",
            "journal_changes",
            "memberships",
            "messages",
            "passkeys",
            "plans",
            "programme_versions",
            "programmes",
            "questionnaire_plans",
            "rate_limits",
            "recovery_codes",
            "sessions",
            "settings",
            "users",
        ]
    );
}

#[tokio::test]
async fn entries_round_trip_with_every_field() {
    for db in databases().await {
        let store = open(&db).await;
        let mut e = entry(
            "0190aaaa-0000-7000-8000-00000000abcd",
            "2026-03-01T08:15:00+01:00[Europe/Paris]",
            6,
        );
        e.regions = vec![
            RegionPain::parse("lower-back=7").unwrap(),
            RegionPain::parse("neck=2").unwrap(),
        ];
        e.knots = vec![Knot::parse("rhomboids:left:7:shoulders").unwrap()];
        e.pain_kinds = vec![PainKind::Aching, PainKind::Stiffness];
        e.context.sitting_hours = Some(7.5);
        e.context.activities = vec![Activity::DeskWork, Activity::Driving];
        e.treatments.heat_minutes = Some(20);
        e.treatments.medications = vec!["ibuprofen gel".to_string()];
        e.treatments.visits = vec![Professional::Physiotherapist];
        e.note = Some("stiff after the train; <b>not</b> html".to_string());
        store.insert_entry(&e).await.unwrap();

        let back = store.find_entry(e.id.as_str()).await.unwrap();
        assert_eq!(back, e, "{}", db.label);
        assert_eq!(back.at.time_zone().iana_name(), Some("Europe/Paris"));
        // The short id from history finds it too.
        assert_eq!(store.find_entry("0000abcd").await.unwrap().id, e.id);
    }
}

#[tokio::test]
async fn list_filters_by_time_and_keeps_order() {
    for db in databases().await {
        let store = open(&db).await;
        let a = entry("a-1", "2026-03-01T09:00:00+00:00[UTC]", 3);
        let b = entry("b-2", "2026-03-02T09:00:00+00:00[UTC]", 5);
        let c = entry("c-3", "2026-03-03T09:00:00+00:00[UTC]", 7);
        for e in [&c, &a, &b] {
            store.insert_entry(e).await.unwrap();
        }
        let all = store.list_entries(EntryRange::default()).await.unwrap();
        assert_eq!(
            all.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["a-1", "b-2", "c-3"]
        );
        let since: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
        let some = store
            .list_entries(EntryRange {
                since: Some(since),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(some.len(), 2, "{}", db.label);
        let last = store
            .list_entries(EntryRange {
                last: Some(1),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(last[0].id.as_str(), "c-3");
    }
}

#[tokio::test]
async fn update_and_delete_need_an_existing_entry() {
    for db in databases().await {
        let store = open(&db).await;
        let mut e = entry("e-1", "2026-03-01T09:00:00+00:00[UTC]", 3);
        store.insert_entry(&e).await.unwrap();
        e.pain = Some(unknot_core::score::Score::new(9, "pain").unwrap());
        store.update_entry(&e).await.unwrap();
        assert_eq!(store.find_entry("e-1").await.unwrap().pain, e.pain);

        store.delete_entry(&e.id).await.unwrap();
        assert!(matches!(
            store.find_entry("e-1").await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.delete_entry(&e.id).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.update_entry(&e).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn short_ids_that_match_several_entries_are_refused() {
    for db in databases().await {
        let store = open(&db).await;
        store
            .insert_entry(&entry("x-1234", "2026-03-01T09:00:00+00:00[UTC]", 3))
            .await
            .unwrap();
        store
            .insert_entry(&entry("y-1234", "2026-03-01T10:00:00+00:00[UTC]", 3))
            .await
            .unwrap();
        match store.find_entry("1234").await {
            Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("{}: expected ambiguity, got {other:?}", db.label),
        }
    }
}

#[tokio::test]
async fn import_is_all_or_nothing_and_counts_what_it_did() {
    for db in databases().await {
        let store = open(&db).await;
        let a = entry("a-1", "2026-03-01T09:00:00+00:00[UTC]", 3);
        store.insert_entry(&a).await.unwrap();
        let mut a2 = a.clone();
        a2.note = Some("changed".to_string());
        let b = entry("b-2", "2026-03-02T09:00:00+00:00[UTC]", 5);
        let summary = store
            .import_entries(&[a2.clone(), b.clone()])
            .await
            .unwrap();
        assert_eq!(
            (summary.added, summary.updated, summary.unchanged),
            (1, 1, 0)
        );
        let again = store.import_entries(&[a2, b]).await.unwrap();
        assert_eq!(again.unchanged, 2);

        // A batch that fails part-way (here: two rows with one id and a NULL-violating
        // insert is impossible from core, so use a duplicate id in insert_entries) leaves
        // nothing behind.
        let c = entry("c-3", "2026-03-03T09:00:00+00:00[UTC]", 5);
        let err = store.insert_entries(&[c.clone(), c.clone()]).await;
        assert!(err.is_err(), "{}", db.label);
        assert!(matches!(
            store.find_entry("c-3").await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(store.count_entries().await.unwrap(), 2);
    }
}

#[tokio::test]
async fn an_import_naming_another_persons_entry_keeps_both() {
    for db in databases().await {
        let alex = open(&db).await;
        {
            use sqlx::Connection as _;
            let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
            sqlx::query(
                "INSERT INTO users (id, display_name, created_at_ms) VALUES ('robin', NULL, 0)",
            )
            .execute(&mut c)
            .await
            .unwrap();
        }
        let robin = alex.for_user("robin");
        let mine = entry("shared-id-1", "2026-03-01T09:00:00+00:00[UTC]", 3);
        alex.insert_entry(&mine).await.unwrap();
        // Robin imports a file that happens to use the same id (say, a copy of Alex's backup).
        let theirs = entry("shared-id-1", "2026-03-02T09:00:00+00:00[UTC]", 7);
        let summary = robin.import_entries(&[theirs]).await.unwrap();
        assert_eq!(summary.added, 1, "{}", db.label);
        // Counted as added and really stored, under an id of its own; Alex's is untouched.
        let robins = robin.list_entries(EntryRange::default()).await.unwrap();
        assert_eq!(robins.len(), 1, "{}", db.label);
        assert_ne!(robins[0].id.as_str(), "shared-id-1");
        assert_eq!(robins[0].pain.map(|p| p.get()), Some(7));
        let kept = alex.find_entry("shared-id-1").await.unwrap();
        assert_eq!(kept.pain.map(|p| p.get()), Some(3));
    }
}

#[tokio::test]
async fn unsupported_urls_are_named() {
    let err = unknot_store::Store::open("mysql://root@localhost/x")
        .await
        .unwrap_err();
    assert!(err.is_user_error());
    assert!(err.to_string().contains("mysql://root@localhost/x"));
}

#[tokio::test]
async fn custom_exercises_are_kept_per_user_and_replaced_by_id() {
    for db in databases().await {
        let store = open(&db).await;
        let ex = unknot_store::CustomExercise {
            id: "my-stretch".into(),
            toml: "id = \"my-stretch\"".into(),
        };
        store.save_custom_exercise(&ex).await.unwrap();
        let changed = unknot_store::CustomExercise {
            toml: "id = \"my-stretch\"\n# v2".into(),
            ..ex.clone()
        };
        store.save_custom_exercise(&changed).await.unwrap();
        assert_eq!(
            store.custom_exercises().await.unwrap(),
            vec![changed],
            "{}",
            db.label
        );
        store.delete_custom_exercise("my-stretch").await.unwrap();
        assert!(store.custom_exercises().await.unwrap().is_empty());
        assert!(matches!(
            store.delete_custom_exercise("my-stretch").await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn assessments_plans_and_sessions_round_trip() {
    use sqlx::Connection as _;
    use unknot_core::catalogue::Catalogue;
    use unknot_core::intake::{Answers, Assessment, AssessmentKind};
    use unknot_core::planner::{PlanInput, build};
    for db in databases().await {
        let store = open(&db).await;
        assert!(store.latest_plan().await.unwrap().is_none());
        let answers = Answers::from_json(
            r#"{"regions": ["lower_back"], "pain_now": 5, "minutes_per_day": 10}"#,
        )
        .unwrap();
        let a = Assessment {
            id: "a-1".into(),
            kind: AssessmentKind::Intake,
            at: "2026-03-01T09:00:00+01:00[Europe/Paris]".parse().unwrap(),
            answers: answers.clone(),
        };
        store.save_assessment(&a).await.unwrap();
        assert_eq!(store.assessments().await.unwrap(), vec![a]);

        let c = Catalogue::builtin().unwrap();
        let t = unknot_core::triage::triage(&answers);
        let plan = build(&PlanInput {
            answers: &answers,
            triage: &t,
            catalogue: &c,
            journal_knots: &[],
        })
        .unwrap();
        let created: Timestamp = "2026-03-01T09:05:00Z".parse().unwrap();
        store.save_plan(&plan, created).await.unwrap();
        assert!(
            store.save_plan(&plan, created).await.is_err(),
            "{}: versions are unique",
            db.label
        );
        let mut v2 = plan.clone();
        v2.version = 2;
        // Saved out of order: the newest is the highest version, not the last written.
        let mut v10 = plan.clone();
        v10.version = 10;
        store.save_plan(&v10, created).await.unwrap();
        assert_eq!(store.latest_plan().await.unwrap().unwrap().plan.version, 10);
        let today = store
            .today_records(created, &jiff::tz::TimeZone::UTC)
            .await
            .unwrap();
        assert_eq!(today.plan.map(|p| p.plan.version), Some(10), "{}", db.label);
        sqlx::query("DELETE FROM plans WHERE version = 10")
            .execute(&mut sqlx::AnyConnection::connect(&db.url).await.unwrap())
            .await
            .unwrap();
        store.save_plan(&v2, created).await.unwrap();
        assert_eq!(
            store.latest_plan().await.unwrap(),
            store.plans().await.unwrap().pop(),
            "{}: the latest plan is the last of all",
            db.label
        );
        let plans = store.plans().await.unwrap();
        assert_eq!(
            plans.iter().map(|p| p.plan.version).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(plans[0].plan, plan);

        let s = session("s-1");
        store.save_session(&s).await.unwrap();
        assert_eq!(store.sessions_since(created).await.unwrap(), vec![s]);
        assert!(
            store
                .sessions_since("2026-03-03T00:00:00Z".parse().unwrap())
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn trend_samples_carry_what_trends_read_from_whole_entries() {
    use unknot_core::trends::TrendSample;
    for db in databases().await {
        let store = open(&db).await;
        assert!(store.trend_samples().await.unwrap().is_empty());
        // Late evening in New York is already the next day in UTC; a fixed offset; no zone name.
        let mut knotted = entry("t-1", "2026-03-01T22:30:00-05:00[America/New_York]", 6);
        knotted.knots = vec![Knot::parse("rhomboids:left:7:shoulders").unwrap()];
        knotted.regions = vec![RegionPain::parse("lower-back=7").unwrap()];
        let mut busy = entry("t-2", "2026-03-02T08:00:00+05:30[+05:30]", 3);
        busy.context.activities = vec![Activity::DeskWork, Activity::Driving];
        busy.context.sitting_hours = Some(6.5);
        let mut plain = entry("t-3", "2026-03-02T09:00:00+01:00[Europe/Paris]", 2);
        plain.pain = None;
        plain.pain_kinds = vec![PainKind::Aching];
        // A medicine whose name is one of the keys: read in full, and still nothing to count.
        let mut odd = entry("t-4", "2026-03-03T09:00:00+01:00[Europe/Paris]", 4);
        odd.treatments.medications = vec!["\"knots\"".to_string()];
        for e in [&knotted, &busy, &plain, &odd] {
            store.insert_entry(e).await.unwrap();
        }

        let key = |s: &TrendSample| format!("{s:?}");
        // The samples whole entries give (trends do not read where a knot's pain travels, and
        // samples leave it out).
        let whole = async || {
            let mut want: Vec<TrendSample> = store
                .list_entries(EntryRange::default())
                .await
                .unwrap()
                .iter()
                .map(|e| TrendSample {
                    day: e.at.date(),
                    pain: e.pain,
                    context: e.context.clone(),
                    knots: e
                        .knots
                        .iter()
                        .map(|k| Knot {
                            refers_to: Vec::new(),
                            ..k.clone()
                        })
                        .collect(),
                })
                .collect();
            want.sort_by_key(key);
            want
        };
        let samples = async || {
            let mut got = store.trend_samples().await.unwrap();
            got.sort_by_key(key);
            got
        };
        let got = samples().await;
        assert_eq!(got, whole().await, "{}", db.label);
        assert_eq!(got.len(), 4);
        assert!(
            got.iter()
                .any(|s| s.day.to_string() == "2026-03-01" && s.knots.len() == 1)
        );

        // Rows without the trend columns (written before them, or by a bulk load), a day
        // without its facts, and a row changed by a writer that does not know the columns (a
        // server on an older release: it moves updated_at_ms and leaves the copies stale).
        {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
            for sql in [
                "UPDATE entries SET local_day = NULL, trend_facts = NULL WHERE id = 't-1'",
                "UPDATE entries SET facts_at_ms = NULL WHERE id = 't-3'",
                "UPDATE entries SET trend_facts = NULL WHERE id = 't-2'",
                "UPDATE entries SET at_ms = at_ms + 86400000, \
                 details = '{\"knots\":[{\"muscle\":\"piriformis\",\"side\":\"right\",\
                 \"tenderness\":5}]}', updated_at_ms = updated_at_ms + 1 WHERE id = 't-4'",
            ] {
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
        }
        let mixed = samples().await;
        assert_eq!(
            mixed,
            whole().await,
            "{}: rows without current columns",
            db.label
        );
        assert!(mixed.iter().any(|s| s.day.to_string() == "2026-03-04"));

        // An edit and an import through the store write the columns again.
        odd.at = "2026-03-09T23:30:00-04:00[America/New_York]"
            .parse()
            .unwrap();
        odd.knots = vec![Knot::parse("levator-scapulae:both:4").unwrap()];
        store.update_entry(&odd).await.unwrap();
        busy.context.stress = Some(unknot_core::score::Score::new(8, "stress").unwrap());
        busy.knots = vec![Knot::parse("rhomboids:right:3").unwrap()];
        store.import_entries(&[busy.clone()]).await.unwrap();
        assert_eq!(
            samples().await,
            whole().await,
            "{}: after an edit",
            db.label
        );
        assert!(
            samples()
                .await
                .iter()
                .any(|s| s.day.to_string() == "2026-03-09" && s.knots.len() == 1)
        );
    }
}

/// Gives an entry its regions, knots or kinds of pain.
type Shape = fn(&mut unknot_core::journal::Entry);

/// The safety net reads only entries that may carry a warning sign: every entry core would act
/// on must be among them (the same signs found as from the whole journal), and plain entries
/// are left out.
#[tokio::test]
async fn entries_that_may_carry_a_warning_sign_are_all_found() {
    use unknot_core::intake::Answers;
    use unknot_core::signs::from_entries;
    for db in databases().await {
        let store = open(&db).await;
        let mut all = Vec::new();
        let kinds: [(&str, Shape); 7] = [
            ("plain", |e| {
                e.regions = vec![RegionPain::parse("lower-back=4").unwrap()];
                e.knots = vec![Knot::parse("rhomboids:left:6").unwrap()];
            }),
            ("numb", |e| e.pain_kinds = vec![PainKind::Numbness]),
            ("tingle", |e| e.pain_kinds = vec![PainKind::Tingling]),
            ("leg", |e| {
                e.regions = vec![RegionPain::parse("leg=5").unwrap()]
            }),
            ("knot-leg", |e| {
                e.knots = vec![Knot::parse("quadratus-lumborum:left:7:leg").unwrap()];
            }),
            ("arm", |e| {
                e.regions = vec![RegionPain::parse("arm=3").unwrap()]
            }),
            ("chest", |e| {
                e.regions = vec![RegionPain::parse("chest=3").unwrap()]
            }),
        ];
        for (day, (id, make)) in kinds.iter().enumerate() {
            let mut e = entry(id, &format!("2026-03-0{}T09:00:00+00:00[UTC]", day + 1), 4);
            make(&mut e);
            store.insert_entry(&e).await.unwrap();
            all.push(e);
        }
        let since = Timestamp::from_second(0).unwrap();
        let found = store.signs_since(since).await.unwrap().entries;
        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["numb", "tingle", "leg", "knot-leg", "arm", "chest"],
            "{}",
            db.label
        );
        let base = Answers::default();
        assert_eq!(from_entries(&base, &all), from_entries(&base, &found));
    }
}
