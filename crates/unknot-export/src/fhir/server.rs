//! What the clinic server's FHIR REST API adds to the export's resources: the clinic's people
//! and places (Organization, Practitioner, PractitionerRole), the searchset Bundle a search
//! answers with, the OperationOutcome every error is, and the CapabilityStatement, which is
//! built from a list of resource descriptions (the server's registry) rather than written by
//! hand.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::{CodeableConcept, Coding, HumanName, LOINC_NOTICE, Reference, derived_uuid};

/// The FHIR version every resource here follows.
pub const FHIR_VERSION: &str = "4.0.1";
/// The media type of every answer.
pub const MEDIA_TYPE: &str = "application/fhir+json";
/// The code system of our staff roles (FHIR's own practitioner-role codes name professions, not
/// what someone may do in a clinic).
const ROLE_SYSTEM: &str = "urn:unknot:role";

/// A clinic, as a FHIR Organization.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    resource_type: &'static str,
    id: String,
    active: bool,
    name: String,
}

/// A clinic as an Organization (`Organization/{id}`).
pub fn organization(id: &str, name: &str) -> Organization {
    Organization {
        resource_type: "Organization",
        id: id.to_string(),
        active: true,
        name: name.to_string(),
    }
}

/// A member of staff, as a FHIR Practitioner.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Practitioner {
    resource_type: &'static str,
    id: String,
    active: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    name: Vec<HumanName>,
}

/// A staff account as a Practitioner (`Practitioner/{id}`); `active` is false once the account
/// holds no role.
pub fn practitioner(id: &str, name: &str, active: bool) -> Practitioner {
    Practitioner {
        resource_type: "Practitioner",
        id: id.to_string(),
        active,
        name: (!name.is_empty())
            .then(|| HumanName {
                text: name.to_string(),
            })
            .into_iter()
            .collect(),
    }
}

/// A membership (someone's role in a clinic), as a FHIR PractitionerRole.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PractitionerRole {
    resource_type: &'static str,
    id: String,
    active: bool,
    practitioner: Reference,
    organization: Reference,
    code: Vec<CodeableConcept>,
}

/// The id of the PractitionerRole for `account`'s role in `clinic` (a membership has no id of
/// its own; two ids side by side could pass FHIR's 64 characters).
pub fn practitioner_role_id(clinic: &str, account: &str) -> String {
    derived_uuid("practitioner-role", &format!("{clinic}/{account}"))
}

/// `account`'s role (`owner`, `clinician`, `assistant`, with its words) in `clinic`.
pub fn practitioner_role(
    clinic: &str,
    account: &str,
    role: &str,
    role_words: &str,
) -> PractitionerRole {
    PractitionerRole {
        resource_type: "PractitionerRole",
        id: practitioner_role_id(clinic, account),
        active: true,
        practitioner: Reference::to(&format!("Practitioner/{account}")),
        organization: Reference::to(&format!("Organization/{clinic}")),
        code: vec![CodeableConcept {
            coding: vec![Coding {
                system: ROLE_SYSTEM,
                code: role.to_string(),
                display: role_words.to_string(),
            }],
            text: Some(role_words.to_string()),
        }],
    }
}

/// Sets `meta.lastUpdated` on a resource, for the kinds whose last change the server knows.
pub fn stamp(resource: &mut Value, last_updated: Timestamp) {
    if let Some(obj) = resource.as_object_mut() {
        obj.insert(
            "meta".into(),
            serde_json::json!({ "lastUpdated": instant(last_updated) }),
        );
    }
}

/// An instant as FHIR writes it (UTC, milliseconds).
pub fn instant(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Why a search or read failed, in FHIR's words (`OperationOutcome.issue.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueCode {
    /// The request is malformed (a bad parameter value).
    Invalid,
    /// Sign in first.
    Login,
    /// Not allowed.
    Forbidden,
    /// No such resource (or one the reader may not see).
    NotFound,
    /// A parameter, type, method or format the server does not support.
    NotSupported,
    /// Too many requests.
    Throttled,
    /// Busy or down; try again.
    Transient,
    /// A fault on the server.
    Exception,
}

impl IssueCode {
    fn code(self) -> &'static str {
        match self {
            IssueCode::Invalid => "invalid",
            IssueCode::Login => "login",
            IssueCode::Forbidden => "forbidden",
            IssueCode::NotFound => "not-found",
            IssueCode::NotSupported => "not-supported",
            IssueCode::Throttled => "throttled",
            IssueCode::Transient => "transient",
            IssueCode::Exception => "exception",
        }
    }
}

/// An error as an OperationOutcome with one issue.
pub fn operation_outcome(code: IssueCode, diagnostics: &str) -> Value {
    serde_json::json!({
        "resourceType": "OperationOutcome",
        "issue": [{
            "severity": "error",
            "code": code.code(),
            "diagnostics": diagnostics,
        }],
    })
}

/// One resource of a search's answer.
#[derive(Debug, Clone)]
pub struct Found {
    /// The resource.
    pub resource: Value,
    /// Its resource type.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// True for a match, false for a resource added by `_include`.
    pub matched: bool,
}

/// A page of a search's answer.
#[derive(Debug, Clone)]
pub struct Searchset {
    /// How many resources match in all (on every page).
    pub total: usize,
    /// This page's matches, then what they include.
    pub found: Vec<Found>,
    /// The request's own URL.
    pub self_url: String,
    /// The next page's URL, when there is one.
    pub next_url: Option<String>,
    /// The base the `fullUrl`s start with (`https://host/fhir`).
    pub base: String,
}

/// A searchset Bundle. It carries the LOINC notice when any resource in it uses LOINC codes.
pub fn searchset(s: &Searchset, now: Timestamp) -> Value {
    let entry: Vec<Value> = s
        .found
        .iter()
        .map(|f| {
            serde_json::json!({
                "fullUrl": format!("{}/{}/{}", s.base, f.kind, f.id),
                "resource": f.resource,
                "search": {"mode": if f.matched { "match" } else { "include" }},
            })
        })
        .collect();
    let mut link = vec![serde_json::json!({"relation": "self", "url": s.self_url})];
    if let Some(next) = &s.next_url {
        link.push(serde_json::json!({"relation": "next", "url": next}));
    }
    let mut b = serde_json::json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": instant(now),
        "total": s.total,
        "link": link,
    });
    if s.found.iter().any(|f| f.kind == "Observation") {
        b["meta"] = serde_json::json!({"tag": [{
            "system": "http://loinc.org", "code": "license-notice", "display": LOINC_NOTICE,
        }]});
    }
    if !entry.is_empty() {
        b["entry"] = Value::Array(entry);
    }
    b
}

/// The kind of a search parameter, as the CapabilityStatement names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// An id or a code.
    Token,
    /// A date or time, with the prefixes `eq`, `gt`, `ge`, `lt`, `le`.
    Date,
    /// Another resource (`Patient/123`, or `123`).
    Reference,
    /// Text.
    String,
}

impl ParamType {
    /// FHIR's name for the type.
    pub fn code(self) -> &'static str {
        match self {
            ParamType::Token => "token",
            ParamType::Date => "date",
            ParamType::Reference => "reference",
            ParamType::String => "string",
        }
    }
}

/// A search parameter one resource type answers.
#[derive(Debug, Clone, Copy)]
pub struct SearchParam {
    /// Its name in the query (`patient`, `date`, `_id`).
    pub name: &'static str,
    /// Its type.
    pub kind: ParamType,
    /// What it matches, in words.
    pub doc: &'static str,
}

/// What the CapabilityStatement says of one resource type.
#[derive(Debug, Clone)]
pub struct ResourceCapability {
    /// The resource type (`Observation`).
    pub kind: &'static str,
    /// What it holds here, in words.
    pub doc: &'static str,
    /// The parameters a search takes.
    pub params: Vec<SearchParam>,
    /// What `_include` accepts (`Observation:patient`).
    pub includes: Vec<&'static str>,
}

/// The server's CapabilityStatement, generated from the resource types it serves: read and
/// search for each, with each type's search parameters and includes.
pub fn capability_statement(
    resources: &[ResourceCapability],
    base: &str,
    version: &str,
    now: Timestamp,
) -> Value {
    let resource: Vec<Value> = resources
        .iter()
        .map(|r| {
            let params: Vec<Value> = r
                .params
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name, "type": p.kind.code(), "documentation": p.doc,
                    })
                })
                .collect();
            let mut v = serde_json::json!({
                "type": r.kind,
                "documentation": r.doc,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "versioning": "no-version",
                "readHistory": false,
                "conditionalCreate": false,
                "conditionalUpdate": false,
                "conditionalDelete": "not-supported",
                "searchParam": params,
            });
            if !r.includes.is_empty() {
                v["searchInclude"] = serde_json::json!(r.includes);
            }
            v
        })
        .collect();
    serde_json::json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(now),
        "publisher": "unknot",
        "kind": "instance",
        "software": {"name": "unknot", "version": version},
        "implementation": {"description": "unknot clinic server", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["json", MEDIA_TYPE],
        "rest": [{
            "mode": "server",
            "documentation": "Read-only. Searches are strict: a parameter the server does not \
                know for the type is refused with 400 and an OperationOutcome, whatever the \
                Prefer header says. _count pages the results (at most 200 a page) and \
                link[next] carries an opaque cursor.",
            "security": {
                "cors": false,
                "description": "A personal API token as a bearer token (Authorization: Bearer), \
                    or a browser session. What a token's account may see follows the clinic's \
                    access rules: a patient sees their own record, a clinician the patients \
                    under their confirmed care, an owner the whole clinic.",
            },
            "resource": resource,
        }],
    })
}
