//! The kept summary of a person's assessments: made on first read, kept, made again after
//! every write to the assessments or the marks on them (whichever process made the write),
//! and never trusted while out of date.

use unknot_core::folded::AnswerSummary;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};

use crate::support::{databases, open};

fn assessment(id: &str, kind: AssessmentKind, day: u8, json: &str) -> Assessment {
    Assessment {
        id: id.into(),
        kind,
        at: format!("2026-03-{day:02}T09:00:00+01:00[Europe/Paris]")
            .parse()
            .unwrap(),
        answers: Answers::from_json(json).unwrap(),
    }
}

/// Runs `sql` with `body` as `$1` (a summary planted by hand).
async fn plant(c: &mut sqlx::AnyConnection, sql: &str, body: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(body.to_string())
        .execute(c)
        .await
        .unwrap();
}

/// The kept row's counter and the count its summary was made at.
async fn counters(url: &str, user: &str) -> (i64, Option<i64>) {
    use sqlx::{Connection, Row};
    let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
    let r = sqlx::query("SELECT version, kept_version FROM answer_summaries WHERE user_id = $1")
        .bind(user)
        .fetch_one(&mut c)
        .await
        .unwrap();
    (r.try_get(0).unwrap(), r.try_get(1).unwrap())
}

#[tokio::test]
async fn the_summary_follows_every_write_made_through_any_store() {
    for db in databases().await {
        let one = open(&db).await;
        // A second store over the same database: another server process, as far as the rows
        // can tell.
        let other = open(&db).await;
        let user = one.user().to_string();
        assert_eq!(
            one.answer_summary().await.unwrap(),
            AnswerSummary::of(&[], &[])
        );

        let intake = assessment(
            "i-1",
            AssessmentKind::Intake,
            1,
            r#"{"pain_now": 6, "onset_days": 10, "peg_pain": 6, "peg_enjoyment": 6, "peg_activity": 6}"#,
        );
        one.save_assessment(&intake).await.unwrap();
        let first = other.answer_summary().await.unwrap();
        assert_eq!(first, AnswerSummary::of(std::slice::from_ref(&intake), &[]));
        let (v, kept) = counters(&db.url, &user).await;
        assert_eq!(kept, Some(v), "{}: the summary read is kept", db.label);

        // A check-in through the other store: the first sees it on its next read.
        let check = assessment(
            "c-1",
            AssessmentKind::Checkin,
            8,
            r#"{"pain_now": 3, "numbness_tingling": true, "peg_pain": 3, "peg_enjoyment": 3, "peg_activity": 3}"#,
        );
        other.insert_assessment_if_absent(&check).await.unwrap();
        let (v2, kept2) = counters(&db.url, &user).await;
        assert!(
            v2 > v && kept2 != Some(v2),
            "{}: the write marks it out of date",
            db.label
        );
        let both = [intake.clone(), check.clone()];
        let second = one.answer_summary().await.unwrap();
        assert_eq!(second, AnswerSummary::of(&both, &[]), "{}", db.label);
        let folded = second.folded.unwrap();
        assert_eq!(folded.answers.numbness_tingling, Some(true));
        assert_eq!(second.score_ends.len(), 2);

        // The check-in marked as entered in error: its scores no longer count, its warning
        // sign still does.
        assert!(
            other
                .mark_assessment_error(&user, "c-1", &user, jiff::Timestamp::now())
                .await
                .unwrap()
        );
        let third = one.answer_summary().await.unwrap();
        assert_eq!(
            third,
            AnswerSummary::of(&both, &["c-1".to_string()]),
            "{}",
            db.label
        );
        assert_eq!(third.newest_counted, Some(intake.at.timestamp()));
        assert_eq!(third.folded.unwrap().answers.numbness_tingling, Some(true));

        // A kept summary that does not match its counter is made again, not used.
        use sqlx::Connection;
        let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        sqlx::query(
            "UPDATE answer_summaries SET body = '{\"folded\": null}', kept_version = version - 1",
        )
        .execute(&mut c)
        .await
        .unwrap();
        assert_eq!(
            one.answer_summary().await.unwrap(),
            AnswerSummary::of(&both, &["c-1".to_string()]),
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn a_restored_backup_marks_the_summary_out_of_date() {
    for db in databases().await {
        let store = open(&db).await;
        assert!(store.answer_summary().await.unwrap().folded.is_none());
        let extras = unknot_core::backup::Extras {
            assessments: vec![assessment(
                "i-9",
                AssessmentKind::Intake,
                2,
                r#"{"pain_now": 4}"#,
            )],
            ..Default::default()
        };
        store.import_backup(&[], &extras).await.unwrap();
        let s = store.answer_summary().await.unwrap();
        assert!(
            s.folded.is_some(),
            "{}: the restored intake is folded",
            db.label
        );
    }
}

#[tokio::test]
async fn session_statuses_read_lightly_agree_with_the_whole_sessions() {
    use unknot_core::adapt::{ItemOutcome, ItemStatus, SessionRecord};
    use unknot_core::today::{Completion, SessionStatus};
    let item = |status, seconds| ItemOutcome {
        exercise: "bird-dog".into(),
        status,
        seconds,
    };
    let kinds = [
        vec![item(ItemStatus::Done, 120), item(ItemStatus::Done, 60)],
        vec![item(ItemStatus::Done, 120), item(ItemStatus::Skipped, 0)],
        vec![item(ItemStatus::CutShort, 45)],
        vec![item(ItemStatus::CutShort, 5), item(ItemStatus::Skipped, 0)],
        vec![],
    ];
    for db in databases().await {
        let store = open(&db).await;
        for (i, items) in kinds.iter().enumerate() {
            let s = SessionRecord {
                id: format!("s-{i}"),
                at: format!("2026-03-0{}T18:00:00+01:00[Europe/Paris]", i + 1)
                    .parse()
                    .unwrap(),
                items: items.clone(),
                pain_before: None,
                pain_after: None,
                // Every other session reports a warning sign: the safety net reads only those.
                warning_signs: if i % 2 == 0 {
                    vec!["both_legs".into()]
                } else {
                    Vec::new()
                },
            };
            store.save_session(&s).await.unwrap();
        }
        let since = jiff::Timestamp::UNIX_EPOCH;
        let whole: Vec<SessionStatus> = store
            .sessions_since(since)
            .await
            .unwrap()
            .iter()
            .map(SessionStatus::of)
            .collect();
        let light = store
            .today_records(since, &jiff::tz::TimeZone::UTC)
            .await
            .unwrap()
            .sessions;
        assert_eq!(light, whole, "{}", db.label);
        let got: Vec<Completion> = light.iter().map(|s| s.completion).collect();
        use Completion::{Full, Nothing, Partial};
        assert_eq!(
            got,
            [Full, Partial, Partial, Nothing, Nothing],
            "{}",
            db.label
        );
        let signs = store.signs_since(since).await.unwrap();
        let ids: Vec<&str> = signs.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["s-0", "s-2", "s-4"], "{}", db.label);
        assert!(signs.entries.is_empty(), "{}", db.label);
        let later = "2026-03-03T00:00:00Z".parse().unwrap();
        let ids: Vec<String> = store
            .signs_since(later)
            .await
            .unwrap()
            .sessions
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, ["s-2", "s-4"], "{} from a later time", db.label);
    }
}

/// Today's one read gives the newest plan, the sessions since the time and each local day
/// with an entry once, in the zone asked for.
#[tokio::test]
async fn todays_records_come_in_one_read_with_days_in_the_zone_asked_for() {
    use crate::support::{entry, session};
    use jiff::tz::TimeZone;
    for db in databases().await {
        let store = open(&db).await;
        let since: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        let nothing = store.today_records(since, &TimeZone::UTC).await.unwrap();
        assert_eq!(nothing.plan, None, "{}", db.label);
        assert!(nothing.sessions.is_empty() && nothing.journal_days.is_empty());
        // Three entries on two UTC days; in Tokyo the late one is the next day. One entry
        // before `since` is left out, and two on one day count once.
        for (id, at) in [
            ("old", "2026-02-27T10:00:00+00:00[UTC]"),
            ("a", "2026-03-02T20:00:00+00:00[UTC]"),
            ("b", "2026-03-02T08:00:00+00:00[UTC]"),
            ("c", "2026-03-04T16:00:00+00:00[UTC]"),
        ] {
            store.insert_entry(&entry(id, at, 3)).await.unwrap();
        }
        store.save_session(&session("s-1")).await.unwrap();
        let utc = store.today_records(since, &TimeZone::UTC).await.unwrap();
        let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(
            utc.journal_days,
            [day("2026-03-02"), day("2026-03-04")],
            "{}",
            db.label
        );
        assert_eq!(utc.sessions.len(), 1, "{}", db.label);
        let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
        let there = store.today_records(since, &tokyo).await.unwrap();
        assert_eq!(
            there.journal_days,
            [day("2026-03-02"), day("2026-03-03"), day("2026-03-05")],
            "{}",
            db.label
        );
    }
}

#[tokio::test]
async fn a_kept_summary_is_used_until_a_count_or_the_format_says_otherwise() {
    use sqlx::Connection;
    for db in databases().await {
        let store = open(&db).await;
        let intake = assessment("i-1", AssessmentKind::Intake, 1, r#"{"pain_now": 6}"#);
        store.save_assessment(&intake).await.unwrap();
        let made = store.answer_summary().await.unwrap();
        let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        // A kept body that still holds is read, not made again: one planted by hand is what
        // the next read returns.
        let planted = AnswerSummary {
            newest_counted: None,
            ..made.clone()
        };
        sqlx::query("UPDATE answer_summaries SET body = $1")
            .bind(serde_json::to_string(&planted).unwrap())
            .execute(&mut c)
            .await
            .unwrap();
        assert_eq!(
            store.answer_summary().await.unwrap(),
            planted,
            "{}",
            db.label
        );
        // A check-in written without the counter (as a server on an older release would):
        // the count of assessments no longer matches, so the summary is made again.
        let check = assessment(
            "c-1",
            AssessmentKind::Checkin,
            8,
            r#"{"saddle_numbness": true}"#,
        );
        sqlx::query(
            "INSERT INTO assessments (id, user_id, kind, at_ms, time_zone, body) \
             VALUES ($1, $2, 'checkin', $3, 'Europe/Paris', $4)",
        )
        .bind(&check.id)
        .bind(store.user())
        .bind(check.at.timestamp().as_millisecond())
        .bind(serde_json::to_string(&check).unwrap())
        .execute(&mut c)
        .await
        .unwrap();
        let both = [intake.clone(), check.clone()];
        let now = store.answer_summary().await.unwrap();
        assert_eq!(now, AnswerSummary::of(&both, &[]), "{}", db.label);
        assert_eq!(now.folded.unwrap().answers.saddle_numbness, Some(true));
        // A mark written without the counter: the count of marks no longer matches. (The
        // planted body is read first, so the row is shown to hold until the mark.)
        let body = serde_json::to_string(&planted).unwrap();
        plant(&mut c, "UPDATE answer_summaries SET body = $1", &body).await;
        assert_eq!(
            store.answer_summary().await.unwrap(),
            planted,
            "{}",
            db.label
        );
        sqlx::query(
            "INSERT INTO assessment_errors (assessment_id, user_id, marked_by, at_ms) \
             VALUES ('c-1', $1, $1, 0)",
        )
        .bind(store.user())
        .execute(&mut c)
        .await
        .unwrap();
        let marked = AnswerSummary::of(&both, &["c-1".to_string()]);
        assert_eq!(
            store.answer_summary().await.unwrap(),
            marked,
            "{}",
            db.label
        );
        // A summary kept by another format is made again (the planted body is read first,
        // so only the format can make the difference).
        plant(&mut c, "UPDATE answer_summaries SET body = $1", &body).await;
        assert_eq!(
            store.answer_summary().await.unwrap(),
            planted,
            "{}",
            db.label
        );
        plant(
            &mut c,
            "UPDATE answer_summaries SET body = $1, kept_format = kept_format + 1",
            &body,
        )
        .await;
        assert_eq!(
            store.answer_summary().await.unwrap(),
            marked,
            "{}",
            db.label
        );
    }
}
