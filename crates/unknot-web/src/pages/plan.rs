//! The plan: the routine with a reason per exercise, heat or cold, breaks and habits, what
//! changed at the last review, and the review button.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::Method;
use axum::routing::{get, post};
use serde::Deserialize;
use unknot_app::AppError;

use super::{Layout, PageResult, render, see_other};
use crate::access::{Me, Routes, Rule};
use crate::entry_form::{Pairs, one};
use crate::security::check_form_token;

pub fn routes() -> Routes {
    Routes::new()
        .at("/plan", Rule::Own, &[Method::GET], get(plan))
        .at("/plan/review", Rule::Own, &[Method::POST], post(review))
}

struct PlanItemView {
    id: String,
    name: String,
    dose: String,
    why: String,
}

struct PlanView {
    version: u32,
    made: String,
    minutes: u32,
    items: Vec<PlanItemView>,
    heat_cold: String,
    break_every: u16,
    micro: String,
    habits: Vec<String>,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    message: Option<&'static str>,
    plan: Option<PlanView>,
    missing: String,
    /// No plan because the safety check is still to do.
    missing_assess: bool,
}

/// Why there is no plan to show.
enum Missing {
    /// There is one.
    Nothing,
    /// The safety check is still to do.
    Assess,
    /// A warning sign withholds it, with the advice.
    Withheld(&'static str),
}

impl Missing {
    fn words(&self) -> String {
        match self {
            Missing::Nothing => String::new(),
            Missing::Assess => "Your plan is made from the safety check: a few questions about \
                warning signs, you and your back. Do it first, and the plan follows."
                .to_string(),
            Missing::Withheld(advice) => format!(
                "No exercise plan is made at this level: {advice} Please get that help first."
            ),
        }
    }
}

#[derive(Deserialize)]
struct PlanQuery {
    reviewed: Option<String>,
}

/// The plan as the page shows it; micro-breaks by name, not id.
fn plan_view(
    stored: &unknot_core::planner::StoredPlan,
    catalogue: &unknot_core::catalogue::Catalogue,
    zone: &jiff::tz::TimeZone,
) -> PlanView {
    use unknot_core::catalogue::TherapyKind;
    let p = &stored.plan;
    let which = match p.heat_cold.therapy {
        TherapyKind::Heat => "Heat",
        TherapyKind::Cold => "Cold",
        TherapyKind::Contrast => "Heat and cold",
    };
    PlanView {
        version: p.version,
        made: stored
            .created
            .to_zoned(zone.clone())
            .strftime("%-d %B %Y")
            .to_string(),
        minutes: p.total_seconds.div_ceil(60),
        items: p
            .routine
            .iter()
            .map(|i| PlanItemView {
                id: i.exercise.clone(),
                name: i.name.clone(),
                dose: i.dosage.describe(),
                why: i.why.clone(),
            })
            .collect(),
        heat_cold: format!(
            "{which} for up to {} minutes: {}",
            p.heat_cold.minutes, p.heat_cold.why
        ),
        break_every: p.breaks.every_minutes,
        micro: p
            .breaks
            .micro_breaks
            .iter()
            .map(|id| {
                catalogue
                    .exercise(id)
                    .map_or(id.clone(), |e| e.name.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
        habits: p.habits.iter().map(|h| h.change.clone()).collect(),
        changes: p.changes.iter().map(|c| c.reason.clone()).collect(),
    }
}

async fn plan(Me(state): Me, Query(q): Query<PlanQuery>) -> PageResult {
    let now = state.now().await?;
    let (plan, missing) = match state.app().plan(false).await {
        Ok(p) => {
            if p.made {
                state.changed();
            }
            let catalogue = state.catalogue().await?;
            (
                Some(plan_view(&p.stored, &catalogue, now.time_zone())),
                Missing::Nothing,
            )
        }
        Err(AppError::Missing(_)) => (None, Missing::Assess),
        Err(AppError::Withheld(t)) => (None, Missing::Withheld(t.advice)),
        Err(e) => return Err(e.into()),
    };
    let page = PlanPage {
        layout: Layout::new(&state, "Plan", "plan").await?,
        message: match q.reviewed.as_deref() {
            Some("changed") => Some("Reviewed: your plan changed. See what changed below."),
            Some("same") => Some("Reviewed: no changes; keep going with the same plan."),
            _ => None,
        },
        missing_assess: matches!(missing, Missing::Assess),
        plan,
        missing: missing.words(),
    };
    Ok(render(&page))
}

async fn review(Me(state): Me, Form(pairs): Form<Pairs>) -> PageResult {
    check_form_token(&state, one(&pairs, "csrf"))?;
    let out = match state.app().review().await {
        Ok(r) => Some(r),
        Err(AppError::Missing(_)) => None,
        Err(e) => return Err(e.into()),
    };
    state.changed();
    Ok(match out {
        Some(r) if r.saved_version.is_some() => see_other("/plan?reviewed=changed"),
        Some(_) => see_other("/plan?reviewed=same"),
        None => see_other("/plan"),
    })
}
