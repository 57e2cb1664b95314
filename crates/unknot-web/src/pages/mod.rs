//! The pages: server-rendered HTML for every screen, each readable without JavaScript. Forms
//! post back here, are read into core types (bad input is shown on the form with what was typed
//! kept, and nothing stored), and redirect after a write so a reload never posts twice.

mod assess;
mod history;
mod journal;
mod library;
mod plan;
pub(crate) mod report;
mod session;
mod settings;
pub(crate) mod today;

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use unknot_core::triage::{Triage, Urgency};

use crate::{AppState, WebError};

/// All page routes.
pub fn routes() -> crate::access::Routes {
    crate::access::Routes::new()
        .merge(today::routes())
        .merge(journal::routes())
        .merge(history::routes())
        .merge(assess::routes())
        .merge(plan::routes())
        .merge(session::routes())
        .merge(library::routes())
        .merge(settings::routes())
        .merge(report::routes())
}

/// What the shared layout shows: title, the current menu item, the form token, the theme, and
/// any open triage advice (shown at the top of every page until it is resolved).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title.
    pub title: String,
    /// Which menu item is current.
    pub nav: &'static str,
    /// The CSRF token for forms.
    pub csrf: String,
    /// `system`, `light` or `dark`.
    pub theme: &'static str,
    /// Advice to show first, when the latest triage is above self-care.
    pub advice: Option<&'static str>,
    /// The triage level id (for styling).
    pub urgency: &'static str,
    /// The triage level in words.
    pub urgency_label: &'static str,
    /// On the clinic server: who is signed in (for the menu and the sign-out button).
    pub who: Option<Who>,
    /// True on the clinic server (the footer says where the data is kept).
    pub clinic_mode: bool,
    /// A member of staff previewing a patient's pages: the patient's name (a banner says the
    /// page is read-only).
    pub preview: Option<String>,
    /// On the clinic server, for a patient: their unread messages (the menu links to them).
    pub unread: Option<u32>,
    /// When the page was made (milliseconds since 1970): a page opened later from the offline
    /// copy moves a new entry's time to the moment it is written.
    pub rendered_ms: i64,
}

/// The signed-in person, as the menu shows them.
#[derive(Debug, Clone)]
pub struct Who {
    /// Their name.
    pub name: String,
    /// True for staff (the menu has the clinic's pages).
    pub staff: bool,
}

impl Layout {
    /// A bare layout for pages outside the journal (sign-in, invitations, errors): no advice
    /// banner, the system theme.
    pub fn plain(state: Option<&AppState>, title: &str, csrf: &str) -> Layout {
        Layout {
            title: title.to_string(),
            nav: "",
            csrf: csrf.to_string(),
            theme: "system",
            advice: None,
            urgency: "",
            urgency_label: "",
            who: state.and_then(who_of),
            clinic_mode: state.is_some_and(|s| s.clinic().is_some()),
            preview: None,
            unread: None,
            rendered_ms: jiff::Timestamp::now().as_millisecond(),
        }
    }
}

fn who_of(state: &AppState) -> Option<Who> {
    state.principal().map(|p| Who {
        name: p.account.display_name.clone(),
        staff: p.is_staff(),
    })
}

impl Layout {
    /// The class of the menu button: `current` when this page is reached through the menu,
    /// `current-narrow` when only phones reach it there (their tab bar is shorter).
    pub fn menu_class(&self) -> &'static str {
        match self.nav {
            "assess" | "checkin" | "therapy" | "report" | "settings" | "account" | "messages"
            | "programme" => "current",
            "history" | "library" | "learn" => "current-narrow",
            // Staff have Clinic in the tab bar, and Plan moves to the menu on phones.
            "plan" if self.staff() => "current-narrow",
            _ => "",
        }
    }

    /// True when a member of staff is signed in (the clinic server): Clinic leads the menu.
    pub fn staff(&self) -> bool {
        self.who.as_ref().is_some_and(|w| w.staff)
    }

    /// The layout for a page, with the open advice looked up.
    pub async fn new(state: &AppState, title: &str, nav: &'static str) -> Result<Layout, WebError> {
        let triage = state.app().standing().await?.map(|s| s.triage);
        let unread = unread(state).await?;
        Layout::with_triage(state, title, nav, triage, unread).await
    }

    /// The layout for a page that has already worked out the triage and the patient's unread
    /// count for its own content (Today): neither is read again.
    pub async fn with_triage(
        state: &AppState,
        title: &str,
        nav: &'static str,
        triage: Option<Triage>,
        unread: Option<u32>,
    ) -> Result<Layout, WebError> {
        let open = triage.filter(|t| t.urgency > Urgency::SelfCare);
        Ok(Layout {
            title: title.to_string(),
            nav,
            csrf: state.csrf().to_string(),
            theme: state.app().settings().await?.theme.id(),
            advice: open.as_ref().map(|t| t.advice),
            urgency: open.as_ref().map_or("", |t| t.urgency.id()),
            urgency_label: open.as_ref().map_or("", |t| t.urgency.label()),
            who: who_of(state),
            clinic_mode: state.clinic().is_some(),
            preview: state.preview_of().map(String::from),
            unread,
            rendered_ms: jiff::Timestamp::now().as_millisecond(),
        })
    }
}

/// A patient's unread messages on the clinic server (none for staff, previews or the local app).
async fn unread(state: &AppState) -> Result<Option<u32>, WebError> {
    match (state.clinic(), state.principal()) {
        (Some(c), Some(p)) if !p.is_staff() && state.preview_of().is_none() => {
            Ok(Some(c.my_unread(p).await?))
        }
        _ => Ok(None),
    }
}

/// Renders a template into a response.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page could not be drawn: {e}"),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    detail: String,
}

/// An error shown as a page (for browsers), with the problem's status.
pub struct PageError(pub WebError);

impl From<WebError> for PageError {
    fn from(e: WebError) -> PageError {
        PageError(e)
    }
}

impl From<unknot_app::AppError> for PageError {
    fn from(e: unknot_app::AppError) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let page = ErrorPage {
            layout: Layout::plain(None, status.canonical_reason().unwrap_or("Error"), ""),
            heading: match status {
                StatusCode::NOT_FOUND => "Not found".to_string(),
                StatusCode::FORBIDDEN => "Refused".to_string(),
                StatusCode::UNAUTHORIZED => "Sign in first".to_string(),
                StatusCode::TOO_MANY_REQUESTS => "Please wait".to_string(),
                StatusCode::GONE => "This link has expired".to_string(),
                _ => "Something went wrong".to_string(),
            },
            detail: self.0.shown_detail(),
        };
        let mut res = render(&page);
        *res.status_mut() = status;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
            );
        }
        if let WebError::TooMany(_, seconds) = &self.0 {
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(*seconds));
        }
        crate::error::mark_outage(&self.0, &mut res);
        res
    }
}

/// A 303 redirect after a successful form post.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The page result type.
pub type PageResult = Result<Response, PageError>;

/// A page drawn again with status 422 because a value in its form was refused.
pub fn refused(mut res: Response) -> Response {
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    res
}
