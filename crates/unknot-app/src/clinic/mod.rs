//! The clinic server's operations: setting up a clinic, inviting patients and staff, signing
//! in (password with a second factor, or a passkey), sessions and API tokens, the care
//! relationships and every access to a patient's record under the rules of
//! `unknot_core::clinic::access`, the audit log, and a patient's rights (download, erase,
//! move). The web edge calls these; it never touches the tables.

mod appends;
mod audit;
mod auth;
mod care;
mod dashboard;
mod exercises;
pub mod fhir;
mod handout;
mod invites;
mod kept;
mod messages;
mod passkeys;
mod programmes;
pub mod secrets;

use std::sync::Arc;

use jiff::SignedDuration;
use unknot_core::clinic::access::Role;
use unknot_core::clinic::model::{Account, AuthSession, Membership};

use crate::{App, AppError, AppResult};

pub use audit::AccessLine;
pub use auth::{Login, Origin, SignedIn, TotpSetup};
pub use care::{MyCare, PatientRow, PatientView};
pub use dashboard::{DashboardRow, ExerciseTally};
pub use invites::{InviteView, Invited};
pub use messages::{Asked, MAX_MESSAGE, Thread};
pub use passkeys::Ceremony;
pub use programmes::{MyProgramme, Prescribed, ProgrammeView, Template};
pub use unknot_store::StoredPasskey;

/// How the clinic server behaves: where it is reached, and how long things last.
#[derive(Debug, Clone)]
pub struct ClinicConfig {
    /// The address people reach the server by (links, QR codes and passkeys use it).
    pub public_url: url::Url,
    /// A session ends after this long without a request.
    pub idle_timeout: SignedDuration,
    /// A session ends this long after sign-in, whatever happens.
    pub absolute_timeout: SignedDuration,
    /// Invitation links stop working after this many days.
    pub invite_days: i64,
    /// Sign-in attempts allowed per address, and per account, in each window.
    pub login_attempts: i64,
    /// The rate-limit window.
    pub login_window: SignedDuration,
    /// Days a new clinic keeps its records about a patient after the patient erases their
    /// account (eight years unless the clinic says otherwise).
    pub retention_days: u32,
}

impl ClinicConfig {
    /// Defaults for a server reached at `public_url`: 30 minutes idle, 12 hours in all,
    /// invitations for 7 days, 10 sign-in attempts a minute per address and per account.
    pub fn new(public_url: url::Url) -> ClinicConfig {
        ClinicConfig {
            public_url,
            idle_timeout: SignedDuration::from_mins(30),
            absolute_timeout: SignedDuration::from_hours(12),
            invite_days: 7,
            login_attempts: 10,
            login_window: SignedDuration::from_mins(1),
            retention_days: 8 * 365 + 2,
        }
    }
}

/// Someone signed in: their account, their staff roles, and how they signed in.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub account: Account,
    /// The clinics they work in, with their roles (empty for a patient).
    pub roles: Vec<Membership>,
    /// The session, when they signed in with the browser.
    pub session: Option<AuthSession>,
    /// What an API token allows, when they came with one (`read`, `write`).
    pub scopes: Option<Vec<String>>,
    /// The address the request came from.
    pub address: String,
}

impl Principal {
    /// Their role in `clinic`, if they work there.
    pub fn role_in(&self, clinic: &str) -> Option<Role> {
        self.roles
            .iter()
            .find(|m| m.clinic_id == clinic)
            .map(|m| m.role)
    }

    /// True when they work in any clinic.
    pub fn is_staff(&self) -> bool {
        !self.roles.is_empty()
    }

    /// True for a member of staff whose role requires a second factor and who has not passed
    /// one in this session (they must set it up or enter it before anything else). An API
    /// token can only be made after passing it.
    pub fn second_factor_pending(&self) -> bool {
        let required = self.roles.iter().any(|m| m.role.needs_second_factor());
        let passed = self.session.as_ref().is_none_or(|s| s.second_factor);
        required && !passed
    }

    /// True when they may change data: a browser session, or a token with `write`.
    pub fn may_write(&self) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == "write"))
    }
}

/// The clinic server's application: the shared [`App`] (store, library, clock) with the
/// clinic's settings and passkey verifier.
#[derive(Clone)]
pub struct ClinicApp {
    app: App,
    config: Arc<ClinicConfig>,
    webauthn: Arc<webauthn_rs::Webauthn>,
    decoy: Arc<String>,
    /// The records this server's dashboards read, kept per patient.
    caseloads: Arc<kept::KeptCaseloads>,
    /// The programme versions this server's dashboards have read.
    versions: Arc<kept::KeptVersions>,
    /// Audit events waiting to be written together.
    appends: Arc<appends::Appends>,
    /// Each patient's Observation counts, for FHIR totals.
    counts: Arc<kept::KeptCounts>,
}

impl ClinicApp {
    /// The clinic server over `app`'s store and library.
    pub async fn new(app: App, config: ClinicConfig) -> AppResult<ClinicApp> {
        let webauthn = passkeys::verifier(&config.public_url)?;
        // A password hash to check against when nobody has the email given, so an unknown
        // email takes as long as a wrong password and reveals nothing.
        let decoy = secrets::hash_password(&secrets::random_token(24)?).await?;
        Ok(ClinicApp {
            app,
            config: Arc::new(config),
            webauthn: Arc::new(webauthn),
            decoy: Arc::new(decoy),
            caseloads: Arc::default(),
            versions: Arc::default(),
            appends: Arc::default(),
            counts: Arc::default(),
        })
    }

    /// The settings.
    pub fn config(&self) -> &ClinicConfig {
        &self.config
    }

    /// The shared application (unscoped: for the clinic's own tables).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The person's own application: their journal and coach, as the local app has them.
    pub fn own_app(&self, who: &Principal) -> App {
        self.app.for_user(&who.account.id)
    }

    /// A link on this server, e.g. `invite/TOKEN`.
    pub fn link(&self, path: &str) -> String {
        self.config
            .public_url
            .join(path)
            .map_or_else(|_| path.to_string(), |u| u.to_string())
    }

    fn now(&self) -> jiff::Timestamp {
        self.app.clock().now()
    }
}

/// Lower-cases and trims a sign-in name (an email, or any name a patient chose).
pub fn login_name(text: &str) -> AppResult<String> {
    let name = text.trim().to_lowercase();
    let ok = (3..=254).contains(&name.chars().count())
        && !name.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(name)
    } else {
        Err(unknot_core::InputError::malformed(
            "login",
            text,
            "use your email, or a sign-in name of 3 or more characters without spaces",
        )
        .into())
    }
}

/// A display name: 1 to 100 characters, no control characters.
pub fn display_name(text: &str) -> AppResult<String> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(unknot_core::InputError::malformed(
            "name",
            text,
            "give a name of 1 to 100 characters",
        )
        .into());
    }
    unknot_core::journal::check_plain_text("name", name, false)?;
    Ok(name.to_string())
}

/// The refusal an access decision gives, or nothing when it allows.
pub(crate) fn decide(d: unknot_core::clinic::access::Decision) -> AppResult<()> {
    match d {
        unknot_core::clinic::access::Decision::Allow => Ok(()),
        other => Err(AppError::Denied(other)),
    }
}
