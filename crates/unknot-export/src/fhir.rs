//! A FHIR R4 Bundle of the journal, for clinicians' software: a Patient; an Observation per pain
//! score (LOINC 72514-3, with the body site where the entry named one) and per PEG score
//! (LOINC 91147-9); a QuestionnaireResponse per assessment and check-in; and a CarePlan of the
//! current plan (exercise therapy, SNOMED CT 229065009) with one activity per exercise.
//!
//! No maintained Rust crate speaks R4 today, so these are small serde structs for exactly the
//! resources and fields we emit. A test checks every Bundle against the official R4 JSON Schema.
//!
//! This is the project's one FHIR mapping: the export Bundle here, and the clinic server's REST
//! API (`server`: the clinic's people and places, searchset Bundles, OperationOutcome and the
//! CapabilityStatement) build the same resources from the same functions. The export speaks of
//! its one person as `urn:uuid:…`; the server names each patient `Patient/{id}`, so the builders
//! take the subject's reference (the `*_of` functions).

pub mod programme;
pub mod server;

use serde::Serialize;
use unknot_core::body::Region;
use unknot_core::intake::Assessment;
use unknot_core::journal::Entry;
use unknot_core::outcomes;
use unknot_core::planner::StoredPlan;

/// The notice the LOINC licence asks every copy of LOINC content to carry.
pub const LOINC_NOTICE: &str = "This material contains content from LOINC (http://loinc.org). \
    LOINC is copyright Regenstrief Institute, Inc. and the Logical Observation Identifiers Names \
    and Codes (LOINC) Committee and is available at no cost under the license at \
    http://loinc.org/license. LOINC is a registered United States trademark of Regenstrief \
    Institute, Inc.";

const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";
const OBS_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// The LOINC code for a 0-10 pain severity rating.
pub const PAIN_LOINC: &str = "72514-3";
/// The LOINC code for the PEG three-item pain scale score.
pub const PEG_LOINC: &str = "91147-9";
/// The SNOMED CT code for exercise therapy.
pub const EXERCISE_THERAPY_SNOMED: &str = "229065009";
/// A fixed id for the one person of a local install (FHIR ids in a collection Bundle are
/// `urn:uuid:` URLs).
const PATIENT_UUID: &str = "4b6e6f74-0000-4000-8000-000000000001";

/// Who the Bundle is about.
#[derive(Debug, Clone, Default)]
pub struct Person {
    /// Name, when the user gave one.
    pub name: Option<String>,
}

/// Everything the Bundle is built from.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The person.
    pub person: Person,
    /// Journal entries, oldest first.
    pub entries: &'a [Entry],
    /// Assessments and check-ins, oldest first.
    pub assessments: &'a [Assessment],
    /// The current plan, if any.
    pub plan: Option<&'a StoredPlan>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Coding {
    system: &'static str,
    code: String,
    display: String,
}

#[derive(Serialize)]
struct CodeableConcept {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coding: Vec<Coding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Serialize)]
struct Reference {
    reference: String,
}

impl Reference {
    fn to(reference: &str) -> Reference {
        Reference {
            reference: reference.to_string(),
        }
    }
}

#[derive(Serialize)]
struct Quantity {
    value: f64,
    unit: &'static str,
    system: &'static str,
    code: &'static str,
}

#[derive(Serialize)]
struct Annotation {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
/// A FHIR Observation (a pain rating or a PEG score).
pub struct Observation {
    resource_type: &'static str,
    id: String,
    status: &'static str,
    category: Vec<CodeableConcept>,
    code: CodeableConcept,
    subject: Reference,
    effective_date_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_integer: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_quantity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_site: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    note: Vec<Annotation>,
}

impl Observation {
    /// The resource id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

#[derive(Serialize)]
struct HumanName {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
/// A FHIR Patient.
pub struct Patient {
    resource_type: &'static str,
    id: String,
    active: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    name: Vec<HumanName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    general_practitioner: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    managing_organization: Option<Reference>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    #[serde(skip_serializing_if = "Option::is_none")]
    value_integer: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_boolean: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_string: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QrItem {
    link_id: String,
    text: String,
    answer: Vec<Answer>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
/// A FHIR QuestionnaireResponse (one assessment's scores).
pub struct QuestionnaireResponse {
    resource_type: &'static str,
    id: String,
    status: &'static str,
    subject: Reference,
    authored: String,
    item: Vec<QrItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Repeat {
    frequency: u32,
    period: f64,
    period_unit: &'static str,
}

#[derive(Serialize)]
struct Timing {
    repeat: Repeat,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActivityDetail {
    code: CodeableConcept,
    status: &'static str,
    description: String,
    scheduled_timing: Timing,
}

#[derive(Serialize)]
struct Activity {
    detail: ActivityDetail,
}

#[derive(Serialize)]
struct Period {
    start: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
/// A FHIR CarePlan (a plan version as exercise therapy).
pub struct CarePlan {
    resource_type: &'static str,
    id: String,
    status: &'static str,
    intent: &'static str,
    category: Vec<CodeableConcept>,
    title: String,
    description: String,
    subject: Reference,
    period: Period,
    activity: Vec<Activity>,
}

/// One resource of any kind this crate writes.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Resource {
    /// The person.
    Patient(Patient),
    /// A pain rating or PEG score.
    Observation(Box<Observation>),
    /// An assessment's answers.
    QuestionnaireResponse(QuestionnaireResponse),
    /// A plan version.
    CarePlan(CarePlan),
}

impl Resource {
    /// The resource's id.
    pub fn id(&self) -> &str {
        match self {
            Resource::Patient(r) => &r.id,
            Resource::Observation(r) => &r.id,
            Resource::QuestionnaireResponse(r) => &r.id,
            Resource::CarePlan(r) => &r.id,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BundleEntry {
    full_url: String,
    resource: Resource,
}

#[derive(Serialize)]
struct Tag {
    system: &'static str,
    code: &'static str,
    display: &'static str,
}

#[derive(Serialize)]
struct Meta {
    tag: Vec<Tag>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    meta: Meta,
    timestamp: String,
    entry: Vec<BundleEntry>,
}

/// The SNOMED CT body structure for a region, where one maps cleanly; otherwise words only.
fn body_site(region: Region) -> CodeableConcept {
    let code = match region {
        Region::Neck => Some(("45048000", "Neck structure")),
        Region::LowerBack => Some(("37822005", "Lower back structure")),
        Region::Shoulders => Some(("16982005", "Shoulder region structure")),
        Region::Buttocks => Some(("46862004", "Buttock structure")),
        Region::Arm => Some(("53120007", "Upper limb structure")),
        Region::Leg => Some(("61685007", "Lower limb structure")),
        Region::Chest => Some(("51185008", "Thoracic structure")),
        // The upper and middle back have no single concept that matches how people use the
        // words, so they travel as text.
        Region::UpperBack | Region::MidBack => None,
    };
    CodeableConcept {
        coding: code
            .map(|(c, d)| Coding {
                system: SNOMED,
                code: c.into(),
                display: d.into(),
            })
            .into_iter()
            .collect(),
        text: Some(region.label().to_string()),
    }
}

fn survey() -> Vec<CodeableConcept> {
    vec![CodeableConcept {
        coding: vec![Coding {
            system: OBS_CATEGORY,
            code: "survey".into(),
            display: "Survey".into(),
        }],
        text: None,
    }]
}

fn pain_code() -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: LOINC,
            code: PAIN_LOINC.into(),
            display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported".into(),
        }],
        text: Some("Pain, 0 (none) to 10 (worst)".into()),
    }
}

fn peg_code() -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: LOINC,
            code: PEG_LOINC.into(),
            display: "PEG 3 item pain scale score".into(),
        }],
        text: Some("PEG: pain, enjoyment of life, general activity (0-10)".into()),
    }
}

fn time(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A stable UUID for a resource derived from one of ours (`kind` and the source id), so the same
/// journal always exports the same ids and no two resources share one. Built from two 64-bit
/// FNV-1a hashes, shaped as a version 8 (custom) UUID.
fn derived_uuid(kind: &str, id: &str) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for b in kind.bytes().chain([0u8]).chain(id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x84222325_cbf29ce4));
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_8000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// The export's one person, as its resources refer to them.
fn local_subject() -> String {
    format!("urn:uuid:{PATIENT_UUID}")
}

fn pain_observation(
    id: String,
    at: &jiff::Zoned,
    pain: u8,
    site: Option<Region>,
    subject: &str,
) -> Observation {
    Observation {
        resource_type: "Observation",
        id: id.clone(),
        status: "final",
        category: survey(),
        code: pain_code(),
        subject: Reference::to(subject),
        effective_date_time: time(at),
        value_integer: Some(i64::from(pain)),
        value_quantity: None,
        body_site: site.map(body_site),
        note: Vec::new(),
    }
}

/// The person, as a FHIR Patient.
pub fn patient(person: &Person) -> Patient {
    Patient {
        resource_type: "Patient",
        id: PATIENT_UUID.into(),
        active: true,
        name: person
            .name
            .iter()
            .map(|n| HumanName { text: n.clone() })
            .collect(),
        birth_date: None,
        general_practitioner: Vec::new(),
        managing_organization: None,
    }
}

/// A patient of the clinic server, as a FHIR Patient (`Patient/{id}`).
#[derive(Debug, Clone, Default)]
pub struct PatientRecord {
    /// The account id (also the resource id).
    pub id: String,
    /// The name the clinic entered, empty once erased.
    pub name: String,
    /// Birth year, when the clinic recorded one.
    pub birth_year: Option<i32>,
    /// Under confirmed care with the clinic the reader sees them through.
    pub active: bool,
    /// The clinic the reader sees them through (`Organization/{id}`).
    pub organization: Option<String>,
    /// The clinicians named in those care relationships (`Practitioner/{id}`).
    pub clinicians: Vec<String>,
}

/// A clinic server's patient as a FHIR Patient, referring to their clinic and clinicians.
pub fn patient_record(p: &PatientRecord) -> Patient {
    Patient {
        resource_type: "Patient",
        id: p.id.clone(),
        active: p.active,
        name: (!p.name.is_empty())
            .then(|| HumanName {
                text: p.name.clone(),
            })
            .into_iter()
            .collect(),
        // FHIR dates may be a year alone, which is all the clinic records.
        birth_date: p.birth_year.map(|y| format!("{y:04}")),
        general_practitioner: p
            .clinicians
            .iter()
            .map(|c| Reference::to(&format!("Practitioner/{c}")))
            .collect(),
        managing_organization: p
            .organization
            .as_ref()
            .map(|o| Reference::to(&format!("Organization/{o}"))),
    }
}

/// An entry's pain ratings as Observations: the overall rating, then one per region with its
/// body site. Ids are derived from the entry's, so a re-export matches.
pub fn pain_observations(e: &Entry) -> Vec<Observation> {
    pain_observations_of(e, &local_subject())
}

/// [`pain_observations`] about `subject` (a reference such as `Patient/{id}`).
pub fn pain_observations_of(e: &Entry, subject: &str) -> Vec<Observation> {
    let base = e.id.as_str();
    let overall = e
        .pain
        .map(|p| pain_observation(derived_uuid("pain", base), &e.at, p.get(), None, subject));
    let regions = e.regions.iter().enumerate().map(|(i, r)| {
        let id = derived_uuid(&format!("region-pain-{i}"), base);
        pain_observation(id, &e.at, r.pain.get(), Some(r.region), subject)
    });
    overall.into_iter().chain(regions).collect()
}

/// An assessment's PEG score as an Observation, when all three items were answered.
pub fn peg_observation(a: &Assessment) -> Option<Observation> {
    peg_observation_of(a, &local_subject())
}

/// [`peg_observation`] about `subject` (a reference such as `Patient/{id}`).
pub fn peg_observation_of(a: &Assessment, subject: &str) -> Option<Observation> {
    let ans = &a.answers;
    let (p, en, ac) = (ans.peg_pain?, ans.peg_enjoyment?, ans.peg_activity?);
    Some(Observation {
        resource_type: "Observation",
        id: derived_uuid("peg", &a.id),
        status: "final",
        category: survey(),
        code: peg_code(),
        subject: Reference::to(subject),
        effective_date_time: time(&a.at),
        value_integer: None,
        value_quantity: Some(Quantity {
            value: (outcomes::peg(p, en, ac) * 100.0).round() / 100.0,
            unit: "score",
            system: "http://unitsofmeasure.org",
            code: "{score}",
        }),
        body_site: None,
        note: vec![Annotation {
            text: format!(
                "Pain {}, enjoyment of life {}, general activity {} (each 0-10)",
                p.get(),
                en.get(),
                ac.get()
            ),
        }],
    })
}

fn integer_item(link: &str, text: String, v: u8) -> QrItem {
    QrItem {
        link_id: link.into(),
        text,
        answer: vec![Answer {
            value_integer: Some(i64::from(v)),
            value_boolean: None,
            value_string: None,
        }],
    }
}

/// An assessment's scores (pain now, the PEG items, the PSFS activities) as a
/// QuestionnaireResponse, when it holds any.
pub fn questionnaire_response(a: &Assessment) -> Option<QuestionnaireResponse> {
    questionnaire_response_of(a, &local_subject())
}

/// [`questionnaire_response`] about `subject` (a reference such as `Patient/{id}`).
pub fn questionnaire_response_of(a: &Assessment, subject: &str) -> Option<QuestionnaireResponse> {
    let ans = &a.answers;
    let asked = [
        ("pain_now", "Pain now (0-10)", ans.pain_now),
        (
            "peg_pain",
            "Average pain in the past week (0-10)",
            ans.peg_pain,
        ),
        (
            "peg_enjoyment",
            "Pain interfered with enjoyment of life (0-10)",
            ans.peg_enjoyment,
        ),
        (
            "peg_activity",
            "Pain interfered with general activity (0-10)",
            ans.peg_activity,
        ),
    ];
    let mut item: Vec<QrItem> = asked
        .iter()
        .filter_map(|(link, text, v)| v.map(|v| integer_item(link, (*text).into(), v.get())))
        .collect();
    item.extend(ans.psfs.iter().flatten().enumerate().map(|(i, p)| {
        integer_item(
            &format!("psfs_{}", i + 1),
            format!("How well can you {}? (0 unable, 10 as before)", p.activity),
            p.score.get(),
        )
    }));
    (!item.is_empty()).then(|| QuestionnaireResponse {
        resource_type: "QuestionnaireResponse",
        id: derived_uuid("questionnaire-response", &a.id),
        status: "completed",
        subject: Reference::to(subject),
        authored: time(&a.at),
        item,
    })
}

fn exercise_therapy() -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: SNOMED,
            code: EXERCISE_THERAPY_SNOMED.into(),
            display: "Exercise therapy".into(),
        }],
        text: None,
    }
}

/// A plan version as a CarePlan categorised as exercise therapy, one activity per exercise.
pub fn care_plan(stored: &StoredPlan) -> CarePlan {
    let p = &stored.plan;
    CarePlan {
        resource_type: "CarePlan",
        id: derived_uuid("care-plan", &p.version.to_string()),
        status: "active",
        intent: "plan",
        category: vec![exercise_therapy()],
        title: format!("Self-care exercise plan, version {}", p.version),
        description: format!(
            "About {} minutes a day; a break from sitting every {} minutes.",
            p.total_seconds.div_ceil(60),
            p.breaks.every_minutes
        ),
        subject: Reference::to(&local_subject()),
        period: Period {
            start: stored.created.to_string(),
        },
        activity: p
            .routine
            .iter()
            .map(|i| Activity {
                detail: ActivityDetail {
                    code: CodeableConcept {
                        text: Some(i.name.clone()),
                        ..exercise_therapy()
                    },
                    status: "in-progress",
                    description: format!("{}: {}", i.name, i.dosage.describe()),
                    scheduled_timing: Timing {
                        repeat: Repeat {
                            frequency: 1,
                            period: 1.0,
                            period_unit: "d",
                        },
                    },
                },
            })
            .collect(),
    }
}

/// Every resource of the export, in order: the Patient, pain Observations, then per assessment
/// its PEG Observation and QuestionnaireResponse, then the CarePlan.
pub fn resources(input: &Input) -> Vec<Resource> {
    let mut out = vec![Resource::Patient(patient(&input.person))];
    for e in input.entries {
        out.extend(
            pain_observations(e)
                .into_iter()
                .map(|o| Resource::Observation(Box::new(o))),
        );
    }
    for a in input.assessments {
        out.extend(peg_observation(a).map(|o| Resource::Observation(Box::new(o))));
        out.extend(questionnaire_response(a).map(Resource::QuestionnaireResponse));
    }
    out.extend(input.plan.map(|p| Resource::CarePlan(care_plan(p))));
    out
}

/// Builds the Bundle (a `collection`) of [`resources`].
pub fn bundle(input: &Input, now: &jiff::Zoned) -> serde_json::Value {
    let entry = resources(input)
        .into_iter()
        .map(|resource| BundleEntry {
            full_url: format!("urn:uuid:{}", resource.id()),
            resource,
        })
        .collect();
    let b = Bundle {
        resource_type: "Bundle",
        kind: "collection",
        meta: Meta {
            tag: vec![Tag {
                system: "http://loinc.org",
                code: "license-notice",
                display: LOINC_NOTICE,
            }],
        },
        timestamp: time(now),
        entry,
    };
    serde_json::to_value(&b).unwrap_or(serde_json::Value::Null)
}
