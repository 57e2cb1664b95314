//! The visit summary's data: the period's journal, sessions, every assessment, the plan and the
//! person's name, gathered once and handed to `unknot-export`'s report model, which the HTML
//! page and the PDF both draw.

use jiff::civil::Date;
use unknot_export::report::{self, Input, Report};

use crate::{App, AppResult};

/// What to put in the summary.
#[derive(Debug, Clone)]
pub struct Options {
    /// First day of the period.
    pub since: Date,
    /// Last day of the period.
    pub until: Date,
    /// Include the notes written in the period.
    pub include_notes: bool,
    /// Questions to ask at the visit, in the person's words.
    pub questions: Vec<String>,
}

/// Most questions a summary carries, and their longest length in characters.
pub const MAX_QUESTIONS: usize = 20;
/// See [`MAX_QUESTIONS`].
pub const MAX_QUESTION_CHARS: usize = 500;

impl App {
    /// Builds the visit summary for the local days `since..=until`.
    pub async fn report(&self, options: Options) -> AppResult<Report> {
        check_questions(&options.questions)?;
        let zone = self.zone().await?;
        let entries = self.entries_on_days(options.since, options.until).await?;
        let filter = self.days_filter(options.since, options.until).await?;
        let period = crate::data::Period {
            since: filter.since,
            until: filter.until,
        };
        let sessions: Vec<_> = self
            .store()
            .sessions()
            .await?
            .into_iter()
            .filter(|s| period.contains(s.at.timestamp()))
            .map(|mut s| {
                s.at = s.at.with_time_zone(zone.clone());
                s
            })
            .collect();
        let assessments = self.store().assessments().await?;
        let plans = self.store().plans().await?;
        let plan = plans.last().cloned();
        let course_start = plan.as_ref().map(|p| {
            let history = unknot_core::adapt::History {
                plans: &plans,
                assessments: &assessments,
                entries: &[],
            };
            unknot_core::adapt::course_start(&history, p.created)
        });
        let last_check = assessments
            .last()
            .map(|a| a.at.with_time_zone(zone.clone()).date());
        let name = self.settings().await?.name;
        let catalogue = self.catalogue().await?;
        let watch = self.watch().await?;
        Ok(report::build(&Input {
            triage: watch.as_ref().map(|w| &w.triage),
            last_check,
            course_start,
            name,
            since: options.since,
            until: options.until,
            entries: &entries,
            assessments: &assessments,
            sessions: &sessions,
            plan: plan.as_ref(),
            catalogue: &catalogue,
            include_notes: options.include_notes,
            questions: options.questions,
        }))
    }
}

fn check_questions(questions: &[String]) -> AppResult<()> {
    if questions.len() > MAX_QUESTIONS {
        return Err(unknot_core::InputError::malformed(
            "questions",
            questions.len().to_string(),
            format!("at most {MAX_QUESTIONS} questions"),
        )
        .into());
    }
    if let Some(q) = questions
        .iter()
        .find(|q| q.chars().count() > MAX_QUESTION_CHARS)
    {
        let start: String = q.chars().take(40).collect();
        return Err(unknot_core::InputError::malformed(
            "question",
            format!("{start}…"),
            format!("keep each question under {MAX_QUESTION_CHARS} characters"),
        )
        .into());
    }
    Ok(())
}
