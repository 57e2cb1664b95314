//! The clinic server's FHIR R4 API (read and search), under the same access rules as the app.
//!
//! [`RESOURCES`] is the registry: one entry per resource type, with its search parameters, its
//! includes and the handler that finds what the reader may see. The routes, the search parser
//! and the CapabilityStatement are all made from it, so adding a type is adding an entry.
//!
//! Who sees what (every decision is `access::may`'s):
//! - a patient: their own Patient, Observations, QuestionnaireResponses and the AuditEvents
//!   about them (their access log), the clinics they are under (confirmed) and the clinicians
//!   named in those relationships;
//! - a clinician: the patients under their confirmed care, with those patients' data;
//!   themselves and their roles;
//! - an owner: every patient of the clinic under confirmed care, the clinic's staff and its
//!   audit log;
//! - an assistant: no clinical data (no Patient either); themselves, their role and clinic.
//!
//! A staff member's own journal is not served here (it is theirs, not a patient's record).
//! Every resource with patient data that a member of staff receives is written to the audit
//! log, one event per patient and request, as opening the patient's record in the app is.

mod paged;
mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;
use unknot_core::clinic::access::{Action, Actor, Care, Decision, Facts, Role, may};
use unknot_core::clinic::model::{Account, CareLink, Clinic};
use unknot_export::audit_fhir;
use unknot_export::fhir::server::{Found, ParamType, ResourceCapability, SearchParam};
use unknot_export::fhir::{self, programme, server};

use self::search::{Filter, Search, Test};
use super::auth::origin_of;
use super::{ClinicApp, Principal, decide};
use crate::{AppError, AppResult};

/// The most audit records one search reads (the newest first).
const AUDIT_LIMIT: i64 = 5_000;

/// What a search parameter tests on a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The resource id.
    Id,
    /// The patient the resource is about.
    Patient,
    /// The resource's status code.
    Status,
    /// The resource's code (system and code).
    Code,
    /// The resource's clinical date (when it was felt, answered or recorded).
    Date,
    /// When the stored record was last written.
    LastUpdated,
    /// A reference the resource makes, by its search name (`practitioner`).
    Ref(&'static str),
}

/// One search parameter of a resource type: what the CapabilityStatement says, and what it
/// tests.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name, type and words.
    pub spec: SearchParam,
    /// What it tests.
    pub field: Field,
}

/// A resource's JSON, or how to make it. Searches match on an item's fields, never on its
/// JSON, so the JSON of the items a search leaves off its page is never built: a patient two
/// years in has about 2,600 Observations, and a page shows 50.
#[derive(Clone)]
enum Body {
    Ready(Value),
    Later(Arc<dyn Fn() -> AppResult<Value> + Send + Sync>),
}

impl Body {
    fn value(self) -> AppResult<Value> {
        match self {
            Body::Ready(v) => Ok(v),
            Body::Later(make) => make(),
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Ready(v) => v.fmt(f),
            Body::Later(_) => f.write_str("(made when paged)"),
        }
    }
}

/// A resource a handler found, with what the search filters and the audit look at.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    resource: Body,
    kind: &'static str,
    id: String,
    patient: Option<String>,
    status: Option<&'static str>,
    code: Option<(&'static str, &'static str)>,
    date: Option<jiff::Timestamp>,
    last_updated: Option<jiff::Timestamp>,
    refs: Vec<(&'static str, String)>,
}

impl Item {
    fn new(kind: &'static str, id: String, resource: Value) -> Item {
        Item::with_body(kind, id, Body::Ready(resource))
    }

    fn with_body(kind: &'static str, id: String, resource: Body) -> Item {
        Item {
            resource,
            kind,
            id,
            patient: None,
            status: None,
            code: None,
            date: None,
            last_updated: None,
            refs: Vec::new(),
        }
    }

    fn key(&self) -> (i64, String) {
        (
            self.date.map_or(0, jiff::Timestamp::as_millisecond),
            self.id.clone(),
        )
    }
}

type Finds = AppResult<Vec<Item>>;
type Handler = for<'a> fn(&'a Ctx<'a>) -> Pin<Box<dyn Future<Output = Finds> + Send + 'a>>;

/// A resource type the API serves: one entry of the registry.
pub struct ResourceType {
    /// The FHIR resource type (`Observation`).
    pub kind: &'static str,
    /// What it holds here, in words (the CapabilityStatement shows them).
    pub doc: &'static str,
    /// The search parameters it takes.
    pub params: &'static [Param],
    /// What `_include` accepts for it (`Observation:patient`).
    pub includes: &'static [&'static str],
    /// True when a resource of this type is patient data whose reading by staff is audited.
    pub audited: bool,
    handler: Handler,
}

const fn param(name: &'static str, kind: ParamType, field: Field, doc: &'static str) -> Param {
    Param {
        spec: SearchParam { name, kind, doc },
        field,
    }
}

const ID: Param = param("_id", ParamType::Token, Field::Id, "The resource id.");
const LAST_UPDATED: Param = param(
    "_lastUpdated",
    ParamType::Date,
    Field::LastUpdated,
    "When the stored record was last written (eq, gt, ge, lt, le).",
);
const PATIENT: Param = param(
    "patient",
    ParamType::Reference,
    Field::Patient,
    "The patient it is about (Patient/{id} or {id}).",
);

/// The registry: every resource type the API serves.
pub static RESOURCES: &[ResourceType] = &[
    ResourceType {
        kind: "Patient",
        doc: "A patient account under confirmed care (or the reader themselves).",
        params: &[ID],
        includes: &["Patient:general-practitioner", "Patient:organization"],
        audited: true,
        handler: |c| Box::pin(c.patients()),
    },
    ResourceType {
        kind: "Practitioner",
        doc: "A member of a clinic's staff.",
        params: &[ID],
        includes: &[],
        audited: false,
        handler: |c| Box::pin(c.practitioners()),
    },
    ResourceType {
        kind: "PractitionerRole",
        doc: "A member of staff's role (owner, clinician, assistant) in a clinic.",
        params: &[
            ID,
            param(
                "practitioner",
                ParamType::Reference,
                Field::Ref("practitioner"),
                "The member of staff.",
            ),
            param(
                "organization",
                ParamType::Reference,
                Field::Ref("organization"),
                "The clinic.",
            ),
        ],
        includes: &[
            "PractitionerRole:practitioner",
            "PractitionerRole:organization",
        ],
        audited: false,
        handler: |c| Box::pin(c.practitioner_roles()),
    },
    ResourceType {
        kind: "Organization",
        doc: "A clinic.",
        params: &[ID],
        includes: &[],
        audited: false,
        handler: |c| Box::pin(c.organizations()),
    },
    ResourceType {
        kind: "Observation",
        doc: "Pain ratings from the journal (LOINC 72514-3, with the body site) and PEG scores \
              (LOINC 91147-9).",
        params: &[
            ID,
            LAST_UPDATED,
            PATIENT,
            param(
                "subject",
                ParamType::Reference,
                Field::Patient,
                "Same as patient.",
            ),
            param(
                "status",
                ParamType::Token,
                Field::Status,
                "Always final here.",
            ),
            param(
                "code",
                ParamType::Token,
                Field::Code,
                "The LOINC code (http://loinc.org|72514-3).",
            ),
            param(
                "date",
                ParamType::Date,
                Field::Date,
                "When it was felt (eq, gt, ge, lt, le).",
            ),
        ],
        includes: &["Observation:patient"],
        audited: true,
        handler: |c| Box::pin(c.observations()),
    },
    ResourceType {
        kind: "QuestionnaireResponse",
        doc: "The scores of a safety check or check-in: pain now, PEG items, PSFS activities.",
        params: &[
            ID,
            LAST_UPDATED,
            PATIENT,
            param(
                "subject",
                ParamType::Reference,
                Field::Patient,
                "Same as patient.",
            ),
            param(
                "status",
                ParamType::Token,
                Field::Status,
                "Always completed here.",
            ),
            param(
                "authored",
                ParamType::Date,
                Field::Date,
                "When it was answered (eq, gt, ge, lt, le).",
            ),
        ],
        includes: &["QuestionnaireResponse:patient"],
        audited: true,
        handler: |c| Box::pin(c.questionnaire_responses()),
    },
    ResourceType {
        kind: "AuditEvent",
        doc: "The audit log: a clinic's for its owner, a patient's own access log for them.",
        params: &[
            ID,
            LAST_UPDATED,
            param(
                "patient",
                ParamType::Reference,
                Field::Patient,
                "The patient whose record was touched.",
            ),
            param(
                "date",
                ParamType::Date,
                Field::Date,
                "When it happened (eq, gt, ge, lt, le).",
            ),
        ],
        includes: &[],
        audited: false,
        handler: |c| Box::pin(c.audit_events()),
    },
    ResourceType {
        kind: "CarePlan",
        doc: "A clinician's home-exercise programme (its version in force), as the HL7 Physical \
              Activity guide shapes it.",
        params: &[
            ID,
            LAST_UPDATED,
            PATIENT,
            param(
                "subject",
                ParamType::Reference,
                Field::Patient,
                "Same as patient.",
            ),
            param(
                "status",
                ParamType::Token,
                Field::Status,
                "active, or completed once ended.",
            ),
            param(
                "date",
                ParamType::Date,
                Field::Date,
                "When the programme starts (eq, gt, ge, lt, le).",
            ),
        ],
        includes: &["CarePlan:patient"],
        audited: true,
        handler: |c| Box::pin(c.programme_resources("CarePlan")),
    },
    ResourceType {
        kind: "ServiceRequest",
        doc: "One prescribed exercise: exercise therapy (SNOMED CT 229065009) with its days, \
              times a day and the clinician's instructions.",
        params: &[
            ID,
            LAST_UPDATED,
            PATIENT,
            param(
                "status",
                ParamType::Token,
                Field::Status,
                "active, or completed once the programme ended.",
            ),
            param(
                "authored",
                ParamType::Date,
                Field::Date,
                "When this version was prescribed (eq, gt, ge, lt, le).",
            ),
        ],
        includes: &["ServiceRequest:patient"],
        audited: true,
        handler: |c| Box::pin(c.programme_resources("ServiceRequest")),
    },
    ResourceType {
        kind: "Task",
        doc: "The request to the patient to do their programme.",
        params: &[
            ID,
            LAST_UPDATED,
            PATIENT,
            param(
                "status",
                ParamType::Token,
                Field::Status,
                "requested, or completed once the programme ended.",
            ),
        ],
        includes: &["Task:patient"],
        audited: true,
        handler: |c| Box::pin(c.programme_resources("Task")),
    },
];

/// The registry entry for `kind`.
pub fn resource_type(kind: &str) -> Option<&'static ResourceType> {
    RESOURCES.iter().find(|r| r.kind == kind)
}

/// A patient the reader may see, and the care relationships through which they may.
struct Seen {
    account: Account,
    links: Vec<CareLink>,
    own: bool,
}

/// Everything the reader may see, looked up once per request.
#[derive(Default)]
struct Scope {
    patients: Vec<Seen>,
    /// Clinics the reader works in (with the role) or is a confirmed patient of.
    clinics: Vec<(Clinic, Option<Role>)>,
    /// Staff the reader may see: clinic id, account, role.
    staff: Vec<(String, Account, Role)>,
}

/// What a handler works with.
struct Ctx<'a> {
    clinic: &'a ClinicApp,
    scope: &'a Scope,
    search: &'a Search,
}

impl Ctx<'_> {
    /// The visible patients a `patient` or `_id` filter leaves (the handlers load only these).
    fn patients_wanted(&self, by_id: bool) -> impl Iterator<Item = &Seen> {
        let wanted = if by_id {
            self.search.ids()
        } else {
            self.search.patients()
        };
        self.scope.patients.iter().filter(move |s| {
            wanted
                .as_ref()
                .is_none_or(|w| w.contains(&s.account.id.as_str()))
        })
    }

    async fn patients(&self) -> Finds {
        let mut out = Vec::new();
        for s in self.patients_wanted(true) {
            let record = fhir::PatientRecord {
                id: s.account.id.clone(),
                name: s.account.display_name.clone(),
                birth_year: s.account.birth_year,
                active: s.account.erased.is_none(),
                organization: s.links.first().map(|l| l.clinic_id.clone()),
                clinicians: s
                    .links
                    .iter()
                    .filter_map(|l| l.clinician_id.clone())
                    .collect(),
            };
            let mut item = Item::new(
                "Patient",
                s.account.id.clone(),
                to_json(fhir::patient_record(&record))?,
            );
            item.patient = Some(s.account.id.clone());
            for c in &record.clinicians {
                item.refs
                    .push(("general-practitioner", format!("Practitioner/{c}")));
            }
            if let Some(o) = &record.organization {
                item.refs
                    .push(("organization", format!("Organization/{o}")));
            }
            out.push(item);
        }
        Ok(out)
    }

    async fn practitioners(&self) -> Finds {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (_, account, _) in &self.scope.staff {
            if seen.insert(account.id.clone()) {
                let p = server::practitioner(
                    &account.id,
                    &account.display_name,
                    account.erased.is_none(),
                );
                out.push(Item::new("Practitioner", account.id.clone(), to_json(p)?));
            }
        }
        Ok(out)
    }

    async fn practitioner_roles(&self) -> Finds {
        let mut out = Vec::new();
        for (clinic, account, role) in &self.scope.staff {
            let r = server::practitioner_role(clinic, &account.id, role.id(), role_words(*role));
            let mut item = Item::new(
                "PractitionerRole",
                server::practitioner_role_id(clinic, &account.id),
                to_json(r)?,
            );
            item.refs
                .push(("practitioner", format!("Practitioner/{}", account.id)));
            item.refs
                .push(("organization", format!("Organization/{clinic}")));
            out.push(item);
        }
        Ok(out)
    }

    async fn organizations(&self) -> Finds {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (c, _) in &self.scope.clinics {
            if seen.insert(c.id.clone()) {
                out.push(Item::new(
                    "Organization",
                    c.id.clone(),
                    to_json(server::organization(&c.id, &c.name))?,
                ));
            }
        }
        Ok(out)
    }

    async fn observations(&self) -> Finds {
        let mut out = Vec::new();
        for s in self.patients_wanted(false) {
            let store = self.clinic.app.for_user(&s.account.id);
            let store = store.store();
            let subject = format!("Patient/{}", s.account.id);
            let written: BTreeMap<String, i64> =
                store.entry_write_times().await?.into_iter().collect();
            for e in store.list_entries(Default::default()).await? {
                let at = written
                    .get(e.id.as_str())
                    .and_then(|ms| jiff::Timestamp::from_millisecond(*ms).ok());
                for o in fhir::pain_observations_of(&e, &subject) {
                    let item =
                        observation(o, &s.account.id, fhir::PAIN_LOINC, e.at.timestamp(), at)?;
                    out.push(item);
                }
            }
            for a in store.assessments().await? {
                if let Some(o) = fhir::peg_observation_of(&a, &subject) {
                    let t = a.at.timestamp();
                    out.push(observation(o, &s.account.id, fhir::PEG_LOINC, t, Some(t))?);
                }
            }
        }
        Ok(out)
    }

    /// A visible patient's programmes from the clinics through which the reader sees them (all
    /// of them for the patient), as CarePlans, ServiceRequests or Tasks.
    async fn programme_resources(&self, kind: &'static str) -> Finds {
        let store = self.clinic.app.store();
        let mut out = Vec::new();
        let mut libraries = std::collections::HashMap::new();
        for s in self.patients_wanted(false) {
            for p in store.programmes_of(&s.account.id).await? {
                if !s.own && !s.links.iter().any(|l| l.clinic_id == p.clinic_id) {
                    continue;
                }
                let versions = store.programme_versions(&p.id).await?;
                let (Some(first), Some(version)) = (versions.first(), versions.last()) else {
                    continue;
                };
                // One library per clinic for the whole search, not a read per programme.
                let catalogue = match libraries.get(&p.clinic_id) {
                    Some(c) => std::sync::Arc::clone(c),
                    None => {
                        let c = self.clinic.app.clinic_catalogue(&p.clinic_id).await?;
                        libraries.insert(p.clinic_id.clone(), c.clone());
                        c
                    }
                };
                let facts = programme::ProgrammeFacts {
                    programme: &p,
                    version,
                    patient: &s.account.id,
                    author: &first.author_id,
                    names: version
                        .body
                        .items
                        .iter()
                        .map(|i| {
                            catalogue
                                .exercise(&i.exercise)
                                .map_or_else(|| i.exercise.clone(), |e| e.name.clone())
                        })
                        .collect(),
                };
                let subject = format!("Patient/{}", s.account.id);
                let start = facts.version.body.schedule.start;
                let mut found = Vec::new();
                match kind {
                    "CarePlan" => {
                        let date = start.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp();
                        found.push((programme::care_plan(&facts), p.id.clone(), Some(date)));
                    }
                    "ServiceRequest" => {
                        for (i, item) in version.body.items.iter().enumerate() {
                            found.push((
                                programme::service_request(&facts, i, item),
                                programme::service_request_id(&p.id, i),
                                Some(version.created),
                            ));
                        }
                    }
                    _ => found.push((programme::task(&facts), programme::task_id(&p.id), None)),
                }
                for (value, id, date) in found {
                    let mut item = Item::new(kind, id, value);
                    item.patient = Some(s.account.id.clone());
                    item.status = Some(match (kind, p.active) {
                        (_, false) => "completed",
                        ("Task", true) => "requested",
                        _ => "active",
                    });
                    item.date = date;
                    item.last_updated = Some(p.changed);
                    item.refs.push(("patient", subject.clone()));
                    out.push(item);
                }
            }
        }
        Ok(out)
    }

    async fn questionnaire_responses(&self) -> Finds {
        let mut out = Vec::new();
        for s in self.patients_wanted(false) {
            let app = self.clinic.app.for_user(&s.account.id);
            let subject = format!("Patient/{}", s.account.id);
            for a in app.store().assessments().await? {
                let Some(q) = fhir::questionnaire_response_of(&a, &subject) else {
                    continue;
                };
                let t = a.at.timestamp();
                let mut value = to_json(q)?;
                server::stamp(&mut value, t);
                let id = json_id(&value);
                let mut item = Item::new("QuestionnaireResponse", id, value);
                item.patient = Some(s.account.id.clone());
                item.status = Some("completed");
                item.date = Some(t);
                item.last_updated = Some(t);
                item.refs.push(("patient", subject.clone()));
                out.push(item);
            }
        }
        Ok(out)
    }

    async fn audit_events(&self) -> Finds {
        let store = self.clinic.app.store();
        let mut records = BTreeMap::new();
        let mut owner = false;
        for (c, role) in &self.scope.clinics {
            let facts = Facts {
                role: *role,
                ..Facts::default()
            };
            if role.is_some()
                && may(Actor::Account, Action::ReadClinicAudit, facts) == Decision::Allow
            {
                owner = true;
                for r in store.audit_of_clinic(&c.id, AUDIT_LIMIT).await? {
                    records.insert(r.event.seq, r);
                }
            }
        }
        if let Some(me) = self.scope.patients.iter().find(|s| s.own) {
            let own = Facts {
                own: true,
                ..Facts::default()
            };
            decide(may(Actor::Account, Action::ReadOwnAccessLog, own))?;
            for r in store.audit_of_patient(&me.account.id, AUDIT_LIMIT).await? {
                records.insert(r.event.seq, r);
            }
        }
        let mut out = Vec::new();
        for r in records.values() {
            let mut value = audit_fhir::audit_event(r);
            if !owner {
                // A patient learns who opened their record, not the staff's network addresses.
                if let Some(agents) = value["agent"].as_array_mut() {
                    for a in agents {
                        if let Some(a) = a.as_object_mut() {
                            a.remove("network");
                        }
                    }
                }
            }
            let t = jiff::Timestamp::from_millisecond(r.event.at_ms).ok();
            if let Some(t) = t {
                server::stamp(&mut value, t);
            }
            let mut item = Item::new("AuditEvent", json_id(&value), value);
            item.patient = r.event.patient.clone();
            item.date = t;
            item.last_updated = t;
            out.push(item);
        }
        Ok(out)
    }
}

fn observation(
    o: fhir::Observation,
    patient: &str,
    loinc: &'static str,
    felt: jiff::Timestamp,
    written: Option<jiff::Timestamp>,
) -> AppResult<Item> {
    let id = o.id().to_string();
    let make = move || {
        let mut value = to_json(&o)?;
        if let Some(w) = written {
            server::stamp(&mut value, w);
        }
        Ok(value)
    };
    let mut item = Item::with_body("Observation", id, Body::Later(Arc::new(make)));
    item.patient = Some(patient.to_string());
    item.status = Some("final");
    item.code = Some(("http://loinc.org", loinc));
    item.date = Some(felt);
    item.last_updated = written;
    item.refs.push(("patient", format!("Patient/{patient}")));
    Ok(item)
}

fn to_json(v: impl serde::Serialize) -> AppResult<Value> {
    serde_json::to_value(v).map_err(AppError::internal)
}

fn json_id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Owner => "Owner",
        Role::Clinician => "Clinician",
        Role::Assistant => "Assistant",
    }
}

/// A FHIR id: 1 to 64 letters, digits, `-` and `.`.
fn is_fhir_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// Pairs as a query string.
fn query_string(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

impl ClinicApp {
    /// The address of the FHIR API (`https://host/fhir`).
    pub fn fhir_base(&self) -> String {
        self.link("fhir").trim_end_matches('/').to_string()
    }

    /// The CapabilityStatement, generated from [`RESOURCES`].
    pub fn fhir_capability(&self) -> Value {
        let resources: Vec<ResourceCapability> = RESOURCES
            .iter()
            .map(|r| ResourceCapability {
                kind: r.kind,
                doc: r.doc,
                params: r.params.iter().map(|p| p.spec).collect(),
                includes: r.includes.to_vec(),
            })
            .collect();
        server::capability_statement(
            &resources,
            &self.fhir_base(),
            env!("CARGO_PKG_VERSION"),
            self.now(),
        )
    }

    /// Reads one resource. Anything the person may not see is "not found", as in the app.
    pub async fn fhir_read(&self, who: &Principal, kind: &str, id: &str) -> AppResult<Value> {
        let rt = resource_type(kind).ok_or(AppError::Denied(Decision::NotFound))?;
        if !is_fhir_id(id) {
            return Err(AppError::Denied(Decision::NotFound));
        }
        let search = Search {
            filters: vec![Filter {
                field: Field::Id,
                any_of: vec![Test::Token(None, id.to_string())],
            }],
            count: 1,
            ..Search::default()
        };
        let scope = self.fhir_scope(who, None).await?;
        let found = self.run(rt, &scope, &search).await?;
        let Some(item) = found.into_iter().next() else {
            if kind == "Patient" {
                self.audit_refused(who, id, &format!("FHIR {kind}/{id}"))
                    .await?;
            }
            return Err(AppError::Denied(Decision::NotFound));
        };
        self.audit_reads(
            who,
            &scope,
            std::slice::from_ref(&item),
            &format!("FHIR {kind}/{id}"),
        )
        .await?;
        item.resource.value()
    }

    /// Searches one resource type with the request's `pairs` (strict: an unknown parameter is
    /// refused), and answers a page as a searchset Bundle with `total`, the self and next
    /// links, and what `_include` asked for.
    pub async fn fhir_search(
        &self,
        who: &Principal,
        kind: &str,
        pairs: &[(String, String)],
    ) -> AppResult<Value> {
        let rt = resource_type(kind).ok_or(AppError::Denied(Decision::NotFound))?;
        let search = Search::parse(rt.params, rt.includes, pairs)?;
        // A search for named patients whose includes can only name those patients needs no
        // other patient in scope: reading the whole clinic's list (thousands of rows) for each
        // request was most of the time such a search took at size.
        let only = search
            .patients()
            .filter(|_| rt.includes.iter().all(|i| i.ends_with(":patient")));
        let scope = self.fhir_scope(who, only.as_deref()).await?;
        if let Some(asked) = search.patients() {
            for p in asked {
                if !scope.patients.iter().any(|s| s.account.id == p) {
                    self.audit_refused(who, p, &format!("FHIR {kind} search"))
                        .await?;
                }
            }
        }
        let paged = match self.observations_paged(kind, &scope, &search).await? {
            Some(p) => p,
            None => self.everything(rt, &scope, &search).await?,
        };
        let more = paged.after.len() > search.count && search.count > 0;
        let total = paged.total;
        let mut page: Vec<Item> = paged.after.into_iter().take(search.count).collect();
        let next = match page.last() {
            Some(last) if more => {
                let mut pairs = search.pairs.clone();
                pairs.push(("_cursor".into(), search::encode_cursor(&last.key())));
                Some(format!(
                    "{}/{kind}?{}",
                    self.fhir_base(),
                    query_string(&pairs)
                ))
            }
            _ => None,
        };
        let included = self.includes(&scope, &search, &page).await?;
        page.extend(included.iter().cloned());
        self.audit_reads(who, &scope, &page, &format!("FHIR {kind} search"))
            .await?;
        let matches = page.len() - included.len();
        let found = page
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                Ok(Found {
                    resource: item.resource.value()?,
                    kind: item.kind,
                    id: item.id,
                    matched: i < matches,
                })
            })
            .collect::<AppResult<Vec<Found>>>()?;
        let set = server::Searchset {
            total,
            found,
            self_url: format!("{}/{kind}?{}", self.fhir_base(), query_string(pairs)),
            next_url: next,
            base: self.fhir_base(),
        };
        Ok(server::searchset(&set, self.now()))
    }

    /// Every match of a search, read by the type's handler, from the cursor on.
    async fn everything(
        &self,
        rt: &ResourceType,
        scope: &Scope,
        search: &Search,
    ) -> AppResult<paged::Paged> {
        let mut matched = self.run(rt, scope, search).await?;
        matched.sort_by_key(Item::key);
        let total = matched.len();
        let start = search
            .after
            .as_ref()
            .map_or(0, |after| matched.partition_point(|i| i.key() <= *after));
        Ok(paged::Paged {
            after: matched.split_off(start),
            total,
        })
    }

    /// Runs a type's handler and keeps what passes the search's filters.
    async fn run(&self, rt: &ResourceType, scope: &Scope, search: &Search) -> AppResult<Vec<Item>> {
        let ctx = Ctx {
            clinic: self,
            scope,
            search,
        };
        let items = (rt.handler)(&ctx).await?;
        Ok(items.into_iter().filter(|i| search.matches(i)).collect())
    }

    /// The resources the page's matches refer to through the included references (each read
    /// under the same rules), without repeating a match.
    async fn includes(
        &self,
        scope: &Scope,
        search: &Search,
        page: &[Item],
    ) -> AppResult<Vec<Item>> {
        let mut wanted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for follow in &search.includes {
            for item in page {
                for (name, target) in &item.refs {
                    if name == follow
                        && let Some((kind, id)) = target.split_once('/')
                    {
                        wanted
                            .entry(kind.to_string())
                            .or_default()
                            .insert(id.to_string());
                    }
                }
            }
        }
        let mut out: Vec<Item> = Vec::new();
        for (kind, ids) in wanted {
            let Some(rt) = resource_type(&kind) else {
                continue;
            };
            let by_id = Search {
                filters: vec![Filter {
                    field: Field::Id,
                    any_of: ids.into_iter().map(|id| Test::Token(None, id)).collect(),
                }],
                ..Search::default()
            };
            for item in self.run(rt, scope, &by_id).await? {
                let known = |i: &Item| i.kind == item.kind && i.id == item.id;
                if !page.iter().any(known) && !out.iter().any(known) {
                    out.push(item);
                }
            }
        }
        Ok(out)
    }

    /// Writes one audit event per patient whose data a member of staff is given.
    async fn audit_reads(
        &self,
        who: &Principal,
        scope: &Scope,
        items: &[Item],
        what: &str,
    ) -> AppResult<()> {
        let mut patients = BTreeSet::new();
        for i in items {
            let audited = resource_type(i.kind).is_some_and(|r| r.audited);
            if let Some(p) = &i.patient
                && audited
                && *p != who.account.id
            {
                patients.insert(p.clone());
            }
        }
        for p in patients {
            let clinic = scope
                .patients
                .iter()
                .find(|s| s.account.id == p)
                .and_then(|s| s.links.iter().find(|l| who.role_in(&l.clinic_id).is_some()))
                .map(|l| l.clinic_id.clone());
            self.audit_event(
                &who.account.id,
                clinic.as_deref(),
                Some(&p),
                "read",
                what,
                &origin_of(who),
                "ok",
            )
            .await?;
        }
        Ok(())
    }

    /// A member of staff asked for a patient they may not see: logged as the app logs a
    /// refused opening, naming the patient only in a clinic that has them.
    async fn audit_refused(&self, who: &Principal, patient: &str, what: &str) -> AppResult<()> {
        let Some(first) = who.roles.first() else {
            return Ok(());
        };
        let mut clinic = first.clinic_id.clone();
        let mut named = None;
        for m in &who.roles {
            if self
                .app
                .store()
                .care_between(&m.clinic_id, patient)
                .await?
                .is_some()
            {
                clinic = m.clinic_id.clone();
                named = Some(patient);
                break;
            }
        }
        self.audit_event(
            &who.account.id,
            Some(&clinic),
            named,
            "read",
            what,
            &origin_of(who),
            "refused",
        )
        .await
    }

    /// What `who` may see, under `access::may`; with `only`, no patient other than those.
    async fn fhir_scope(&self, who: &Principal, only: Option<&[&str]>) -> AppResult<Scope> {
        let store = self.app.store();
        let mut scope = Scope::default();
        if !who.is_staff() {
            let own = Facts {
                own: true,
                ..Facts::default()
            };
            decide(may(Actor::Account, Action::ReadOwn, own))?;
            let links: Vec<CareLink> = store
                .care_of(&who.account.id)
                .await?
                .into_iter()
                .filter(|l| l.status == Care::Confirmed)
                .collect();
            for l in &links {
                if let Some(c) = store.clinic(&l.clinic_id).await? {
                    scope.clinics.push((c, None));
                }
                if let Some(cid) = &l.clinician_id {
                    self.add_staff(&mut scope, &l.clinic_id, cid).await?;
                }
            }
            scope.patients.push(Seen {
                account: who.account.clone(),
                links,
                own: true,
            });
        }
        for m in &who.roles {
            let Some(c) = store.clinic(&m.clinic_id).await? else {
                continue;
            };
            scope.clinics.push((c, Some(m.role)));
            let facts = Facts {
                role: Some(m.role),
                ..Facts::default()
            };
            if may(Actor::Account, Action::ManageStaff, facts) == Decision::Allow {
                for (mem, account) in store.staff_of(&m.clinic_id).await? {
                    scope.staff.push((m.clinic_id.clone(), account, mem.role));
                }
            } else {
                scope
                    .staff
                    .push((m.clinic_id.clone(), who.account.clone(), m.role));
            }
            let links = match only {
                Some(ids) => {
                    let mut links = Vec::new();
                    for p in ids {
                        links.extend(store.patient_links(&m.clinic_id, p).await?);
                    }
                    links
                }
                None => store.patients_of(&m.clinic_id).await?,
            };
            for (link, account) in links {
                let facts = Facts {
                    own: false,
                    role: Some(m.role),
                    care: Some(link.status),
                    named_clinician: link.clinician_id.as_deref() == Some(who.account.id.as_str()),
                };
                if may(Actor::Account, Action::ReadPatient, facts) != Decision::Allow {
                    continue;
                }
                if let Some(cid) = &link.clinician_id {
                    self.add_staff(&mut scope, &m.clinic_id, cid).await?;
                }
                match scope
                    .patients
                    .iter_mut()
                    .find(|s| s.account.id == account.id)
                {
                    Some(s) => s.links.push(link),
                    None => scope.patients.push(Seen {
                        account,
                        links: vec![link],
                        own: false,
                    }),
                }
            }
        }
        Ok(scope)
    }

    /// Adds a clinician named in a visible care relationship to what the reader may see.
    async fn add_staff(&self, scope: &mut Scope, clinic: &str, account_id: &str) -> AppResult<()> {
        if scope
            .staff
            .iter()
            .any(|(c, a, _)| c == clinic && a.id == account_id)
        {
            return Ok(());
        }
        let store = self.app.store();
        let role = store
            .memberships_of(account_id)
            .await?
            .into_iter()
            .find(|m| m.clinic_id == clinic)
            .map(|m| m.role);
        if let (Some(role), Some(account)) = (role, store.account(account_id).await?) {
            scope.staff.push((clinic.to_string(), account, role));
        }
        Ok(())
    }
}
