//! The clinic's records as the application layer and the store exchange them. Times are
//! instants; secrets appear only as hashes.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::access::{Care, Role};

/// A clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinic {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was made.
    pub created: Timestamp,
    /// Days the clinic keeps its own records about a patient after the patient erases their
    /// account.
    pub retention_days: u32,
}

/// An account: a patient or a member of staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Stable id (for a patient, also the id their journal is kept under).
    pub id: String,
    /// Email, lower case (staff sign in with it; patients may have none).
    pub email: Option<String>,
    /// The name shown to the clinic.
    pub display_name: String,
    /// Birth year, when the clinic recorded one.
    pub birth_year: Option<i32>,
    /// The Argon2id hash of the password, when one is set.
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    /// When the password was last set.
    pub password_changed: Option<Timestamp>,
    /// The TOTP secret (base32), when a second factor has been set up.
    #[serde(skip_serializing)]
    pub totp_secret: Option<String>,
    /// Whether the TOTP second factor is confirmed and in use.
    pub totp_enabled: bool,
    /// When the account was made.
    pub created: Timestamp,
    /// When it was erased (its journal removed, its name cleared), if it was.
    pub erased: Option<Timestamp>,
}

/// A member of a clinic's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The clinic.
    pub clinic_id: String,
    /// The account.
    pub account_id: String,
    /// The role.
    pub role: Role,
}

/// A care relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLink {
    /// Stable id.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The patient's account.
    pub patient_id: String,
    /// The clinician named, if any.
    pub clinician_id: Option<String>,
    /// Invited, confirmed or revoked.
    pub status: Care,
    /// When it was made.
    pub created: Timestamp,
    /// When its status last changed.
    pub changed: Timestamp,
}

/// What an invitation sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteKind {
    /// A patient: accepting it confirms the care relationship.
    Patient,
    /// A member of staff (the owner's first sign-in is one too).
    Staff,
}

/// An invitation link, stored by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// Stable id.
    pub id: String,
    /// SHA-256 of the token in the link.
    pub token_hash: String,
    /// Patient or staff.
    pub kind: InviteKind,
    /// The clinic.
    pub clinic_id: String,
    /// The account it sets up.
    pub account_id: String,
    /// The care relationship it confirms (patients).
    pub care_id: Option<String>,
    /// The role it gives (staff).
    pub role: Option<Role>,
    /// Who made it.
    pub created_by: String,
    /// When it was made.
    pub created: Timestamp,
    /// When it stops working.
    pub expires: Timestamp,
    /// When it was used (it works once).
    pub used: Option<Timestamp>,
}

/// A signed-in session, stored by its id's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSession {
    /// SHA-256 of the id in the cookie.
    pub id_hash: String,
    /// Whose.
    pub account_id: String,
    /// When it began.
    pub created: Timestamp,
    /// The last request it made.
    pub last_seen: Timestamp,
    /// When it ends whatever happens.
    pub expires: Timestamp,
    /// Whether it passed the second factor (or began with a passkey).
    pub second_factor: bool,
    /// The token its forms and scripts must send back.
    pub csrf: String,
    /// The address it signed in from.
    pub address: String,
    /// The browser it signed in with.
    pub agent: String,
}

/// A personal API token, stored by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Stable id.
    pub id: String,
    /// SHA-256 of the token.
    #[serde(skip_serializing)]
    pub token_hash: String,
    /// Whose.
    pub account_id: String,
    /// A name its owner gave it.
    pub name: String,
    /// What it may do: `read`, or `read write`.
    pub scopes: Vec<String>,
    /// When it was made.
    pub created: Timestamp,
    /// When it was last used.
    pub last_used: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked: Option<Timestamp>,
}

/// Whether a programme is a patient's own or a template to start others from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// Prescribed to one patient.
    Patient,
    /// A template: the whole clinic's, or one clinician's own.
    Template,
}

/// A programme or template: what stays the same across its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// Stable id (the patient's link uses it and never changes).
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The patient, for a prescribed programme.
    pub patient_id: Option<String>,
    /// The clinician whose personal template it is (a clinic-wide template has none).
    pub owner_id: Option<String>,
    /// Prescribed or template.
    pub kind: ProgrammeKind,
    /// False once ended (a patient's) or removed (a template).
    pub active: bool,
    /// The latest version's number (1 for a new one).
    pub version: u32,
    /// When it was made.
    pub created: Timestamp,
    /// When it last changed.
    pub changed: Timestamp,
}

/// One version of a programme: what it said, who made it and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeVersion {
    /// The programme.
    pub programme_id: String,
    /// 1, 2, 3…
    pub version: u32,
    /// What it says.
    pub body: super::programme::Body,
    /// What changed from the version before, one line each (empty for the first).
    pub changes: Vec<String>,
    /// Who made this version.
    pub author_id: String,
    /// When.
    pub created: Timestamp,
}

/// A message between a patient and their clinic, within one care relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Stable id.
    pub id: String,
    /// The care relationship it belongs to.
    pub care_id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The patient.
    pub patient_id: String,
    /// Who wrote it.
    pub sender_id: String,
    /// True when the patient wrote it (else a member of staff).
    pub from_patient: bool,
    /// Plain text.
    pub body: String,
    /// When it was sent.
    pub at: Timestamp,
    /// When the other side first read it.
    pub read: Option<Timestamp>,
}
