//! A journal gets only the journal's tables, and everything a person does on their own works
//! there; the same database opened for a clinic gets the clinic's tables and keeps its
//! records; a database written by a later release is refused.

use sqlx::Connection;
use unknot_core::intake::{Answers, Assessment, AssessmentKind};
use unknot_store::Store;

use crate::support::{databases, entry};

/// What a journal made by this release holds.
const JOURNAL_TABLES: [&str; 10] = [
    "answer_summaries",
    "assessments",
    "breaks",
    "custom_exercises",
    "entries",
    "journal_changes",
    "plans",
    "sessions",
    "settings",
    "users",
];

fn intake() -> Assessment {
    Assessment {
        id: "i-1".into(),
        kind: AssessmentKind::Intake,
        at: "2026-03-01T09:00:00+01:00[Europe/Paris]".parse().unwrap(),
        answers: Answers::from_json(
            r#"{"pain_now": 6, "onset_days": 10, "peg_pain": 6, "peg_enjoyment": 6, "peg_activity": 6}"#,
        )
        .unwrap(),
    }
}

#[tokio::test]
async fn a_journal_has_only_its_own_tables_and_a_clinic_adds_its_own_later() {
    for db in databases().await {
        let journal = Store::open(&db.url).await.unwrap();
        assert_eq!(
            journal.table_names().await.unwrap(),
            JOURNAL_TABLES,
            "{}",
            db.label
        );
        // What a person does alone reads and writes without the clinic's tables.
        journal
            .insert_entry(&entry("e-1", "2026-03-01T08:00:00+01:00[Europe/Paris]", 4))
            .await
            .unwrap();
        journal.save_assessment(&intake()).await.unwrap();
        let summary = journal.answer_summary().await.unwrap();
        assert_eq!(
            summary,
            unknot_core::folded::AnswerSummary::of(&[intake()], &[])
        );
        let stamp = journal.library_stamp().await.unwrap();
        assert!(stamp.clinics.is_empty(), "{}", db.label);
        assert!(journal.assessment_errors("local").await.unwrap().is_empty());
        journal.close().await;

        // The same database, opened for a clinic: its tables are added, the records kept.
        let clinic = Store::open_clinic(&db.url, 1).await.unwrap();
        let tables = clinic.table_names().await.unwrap();
        for t in [
            "care",
            "audit_log",
            "programmes",
            "journal_changes",
            "assessment_errors",
        ] {
            assert!(
                tables.iter().any(|n| n == t),
                "{}: no {t} in {tables:?}",
                db.label
            );
        }
        assert_eq!(clinic.count_entries().await.unwrap(), 1);
        assert_eq!(clinic.answer_summary().await.unwrap(), summary);
        clinic.close().await;

        // Opened as a journal again, nothing is taken away and the kept summary still holds.
        let again = Store::open(&db.url).await.unwrap();
        assert_eq!(again.table_names().await.unwrap(), tables, "{}", db.label);
        assert_eq!(again.answer_summary().await.unwrap(), summary);
    }
}

#[tokio::test]
async fn a_database_a_later_release_wrote_is_refused() {
    for db in databases().await {
        Store::open(&db.url).await.unwrap().close().await;
        let mut c = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) SELECT 9999, 'later', success, checksum, execution_time \
             FROM _sqlx_migrations WHERE version = 1",
        )
        .execute(&mut c)
        .await
        .unwrap();
        c.close().await.unwrap();
        for clinic in [false, true] {
            let opened = if clinic {
                Store::open_clinic(&db.url, 1).await
            } else {
                Store::open(&db.url).await
            };
            let err = opened.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                err.contains("9999"),
                "{} (clinic {clinic}): {err:?}",
                db.label
            );
        }
    }
}
