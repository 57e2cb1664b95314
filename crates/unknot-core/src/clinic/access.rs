//! Who may do what in a clinic: one typed table of rules, read by the application layer before
//! every operation and by the authorization matrix test.
//!
//! The decision takes the acting person, the action, and the facts about the resource that the
//! caller looked up (whose journal it is, the acting person's role in the patient's clinic, the
//! state of the care relationship). It never looks anything up itself, so every rule is plain
//! and testable. A patient-scoped refusal is "not found", never "forbidden", so a guessed id
//! reveals nothing about whether it exists.

use serde::{Deserialize, Serialize};

/// A role on a clinic's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Front desk: invites patients and sees who is under care, not their clinical data.
    Assistant,
    /// Treats patients: sees and works with the patients under their care.
    Clinician,
    /// Runs the clinic: everything a clinician may, for every patient of the clinic, plus
    /// staff, settings and the audit log.
    Owner,
}

impl Role {
    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Role::Assistant => "assistant",
            Role::Clinician => "clinician",
            Role::Owner => "owner",
        }
    }

    /// Reads a stable id.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "assistant" => Some(Role::Assistant),
            "clinician" => Some(Role::Clinician),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }

    /// True for the roles that must sign in with a second factor.
    pub fn needs_second_factor(self) -> bool {
        matches!(self, Role::Clinician | Role::Owner)
    }
}

/// The state of a care relationship between a patient and a clinic (and clinician).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Care {
    /// Invited, not yet confirmed by the patient: the clinic sees nothing of them.
    Invited,
    /// Confirmed by the patient: the clinic's staff see what their roles allow.
    Confirmed,
    /// Ended by the patient (or the clinic): the clinic sees nothing any more.
    Revoked,
}

/// Something a person asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read one's own journal, plan and scores (every page of the local app).
    ReadOwn,
    /// Write one's own journal, sessions, check-ins.
    WriteOwn,
    /// Download everything one has (backup, FHIR).
    ExportOwn,
    /// Manage one's own sign-in: password, passkeys, second factor, sessions, API tokens.
    ManageOwnAccount,
    /// Erase one's own account.
    EraseOwn,
    /// See who looked at one's record.
    ReadOwnAccessLog,
    /// Confirm or end one's own care relationships.
    ManageOwnCare,
    /// List the clinic's patients (names and whether they are active).
    ListPatients,
    /// Invite a patient, or issue a new link for one.
    InvitePatient,
    /// Read a patient's journal, scores, plan and notes.
    ReadPatient,
    /// See a patient's pages as they see them, read-only.
    PreviewAsPatient,
    /// Export a patient's record.
    ExportPatient,
    /// Add, change or remove staff.
    ManageStaff,
    /// Read the clinic's audit log.
    ReadClinicAudit,
    /// Prescribe, change or end a patient's programme, or set their questionnaire schedule.
    Prescribe,
    /// Send a patient a message, or read the messages of their care.
    MessagePatient,
    /// See the dashboard: the clinical signals of one's patients.
    ReadDashboard,
    /// Make and change programme templates and the clinic's own exercises.
    ManageTemplates,
}

/// What the caller knows about the resource the action is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// The resource is the acting person's own (their journal, their account).
    pub own: bool,
    /// The acting person's role in the clinic the action is in (or the patient's clinic).
    pub role: Option<Role>,
    /// The care relationship between the patient and that clinic, when a patient is involved.
    pub care: Option<Care>,
    /// The acting person is the clinician named in that care relationship.
    pub named_clinician: bool,
}

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The one person of a local install: no accounts, everything is theirs.
    Local,
    /// Nobody is signed in.
    Anonymous,
    /// A signed-in account.
    Account,
}

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Sign in first (401, or the sign-in page).
    SignIn,
    /// Not allowed, and saying so reveals nothing (403).
    Forbidden,
    /// Not allowed, answered as if the resource did not exist (404), so a guessed patient or
    /// entry id tells nothing.
    NotFound,
}

/// The rules.
pub fn may(actor: Actor, action: Action, facts: Facts) -> Decision {
    use Action::*;
    match actor {
        Actor::Local => return local(action),
        Actor::Anonymous => return Decision::SignIn,
        Actor::Account => {}
    }
    match action {
        ReadOwn | WriteOwn | ExportOwn | ManageOwnAccount | EraseOwn | ReadOwnAccessLog
        | ManageOwnCare => own(facts),
        ListPatients | InvitePatient => staff(facts.role, Role::Assistant),
        ManageStaff | ReadClinicAudit => staff(facts.role, Role::Owner),
        ReadDashboard | ManageTemplates => staff(facts.role, Role::Clinician),
        ReadPatient | ExportPatient | PreviewAsPatient | Prescribe | MessagePatient => {
            clinical(facts)
        }
    }
}

/// A local install has one person and no clinic: their own things only.
fn local(action: Action) -> Decision {
    use Action::*;
    match action {
        ReadOwn | WriteOwn | ExportOwn | ManageOwnAccount | EraseOwn | ReadOwnAccessLog => {
            Decision::Allow
        }
        _ => Decision::Forbidden,
    }
}

fn own(facts: Facts) -> Decision {
    if facts.own {
        Decision::Allow
    } else {
        Decision::NotFound
    }
}

/// Staff actions: the role must be at least `least`. Someone who does not work in the clinic
/// is answered as if it did not exist (so clinic ids cannot be probed); a member whose role is
/// too low is told it is not allowed.
fn staff(role: Option<Role>, least: Role) -> Decision {
    match role {
        Some(r) if r >= least => Decision::Allow,
        Some(_) => Decision::Forbidden,
        None => Decision::NotFound,
    }
}

/// A patient's clinical record: only after the patient confirmed care with this clinic, and
/// then the owner, or the clinician the patient is under. Assistants never see it.
fn clinical(facts: Facts) -> Decision {
    let confirmed = facts.care == Some(Care::Confirmed);
    let allowed = match facts.role {
        Some(Role::Owner) => confirmed,
        Some(Role::Clinician) => confirmed && facts.named_clinician,
        Some(Role::Assistant) | None => false,
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff_facts(role: Role, care: Care, named: bool) -> Facts {
        Facts {
            own: false,
            role: Some(role),
            care: Some(care),
            named_clinician: named,
        }
    }

    #[test]
    fn clinicians_see_only_their_confirmed_patients() {
        let read = |f| may(Actor::Account, Action::ReadPatient, f);
        assert_eq!(
            read(staff_facts(Role::Clinician, Care::Confirmed, true)),
            Decision::Allow
        );
        assert_eq!(
            read(staff_facts(Role::Clinician, Care::Confirmed, false)),
            Decision::NotFound
        );
        assert_eq!(
            read(staff_facts(Role::Clinician, Care::Invited, true)),
            Decision::NotFound
        );
        assert_eq!(
            read(staff_facts(Role::Clinician, Care::Revoked, true)),
            Decision::NotFound
        );
        assert_eq!(
            read(staff_facts(Role::Owner, Care::Confirmed, false)),
            Decision::Allow
        );
        assert_eq!(
            read(staff_facts(Role::Assistant, Care::Confirmed, true)),
            Decision::NotFound
        );
        assert_eq!(
            read(Facts::default()),
            Decision::NotFound,
            "another clinic's patient"
        );
    }

    #[test]
    fn own_things_are_only_ones_own() {
        let mine = Facts {
            own: true,
            ..Facts::default()
        };
        assert_eq!(may(Actor::Account, Action::ReadOwn, mine), Decision::Allow);
        assert_eq!(
            may(Actor::Account, Action::ReadOwn, Facts::default()),
            Decision::NotFound
        );
        assert_eq!(
            may(Actor::Anonymous, Action::ReadOwn, mine),
            Decision::SignIn
        );
        assert_eq!(
            may(Actor::Local, Action::ReadOwn, Facts::default()),
            Decision::Allow
        );
        assert_eq!(
            may(Actor::Local, Action::ListPatients, Facts::default()),
            Decision::Forbidden
        );
    }

    #[test]
    fn staff_actions_follow_the_role() {
        let with = |r| Facts {
            role: Some(r),
            ..Facts::default()
        };
        assert_eq!(
            may(Actor::Account, Action::InvitePatient, with(Role::Assistant)),
            Decision::Allow
        );
        assert_eq!(
            may(Actor::Account, Action::ManageStaff, with(Role::Clinician)),
            Decision::Forbidden
        );
        assert_eq!(
            may(Actor::Account, Action::ManageStaff, with(Role::Owner)),
            Decision::Allow
        );
        assert_eq!(
            may(Actor::Account, Action::ListPatients, Facts::default()),
            Decision::NotFound,
            "another clinic's staff learn nothing about this one"
        );
    }
}
