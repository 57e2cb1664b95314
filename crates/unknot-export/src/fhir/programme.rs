//! A clinician's programme as FHIR, following the shape of the HL7 Physical Activity
//! implementation guide (R4): the programme is a `CarePlan`; each prescribed exercise a
//! `ServiceRequest` for exercise therapy (SNOMED CT 229065009) with its timing and the
//! clinician's instructions; and a `Task` asks the patient to do it. Ids are stable: the
//! CarePlan takes the programme's id, each ServiceRequest the programme's id and the item's
//! place, the Task the programme's id with `-task`, and `meta.versionId` is the programme's
//! version.

use serde_json::{Value, json};
use unknot_core::clinic::model::{Programme, ProgrammeVersion};
use unknot_core::clinic::programme::{Prescribed, Schedule, dose_words, short_day};

use super::server::instant;

/// SNOMED CT's code for exercise therapy.
pub const EXERCISE_THERAPY: &str = "229065009";
const SNOMED: &str = "http://snomed.info/sct";

/// Everything the three resources are made from.
pub struct ProgrammeFacts<'a> {
    /// The programme.
    pub programme: &'a Programme,
    /// Its version in force.
    pub version: &'a ProgrammeVersion,
    /// The patient it is for.
    pub patient: &'a str,
    /// Who made the first version (the CarePlan's author).
    pub author: &'a str,
    /// Each prescribed exercise's name, in order.
    pub names: Vec<String>,
}

impl ProgrammeFacts<'_> {
    fn status(&self) -> &'static str {
        if self.programme.active {
            "active"
        } else {
            "completed"
        }
    }

    fn meta(&self) -> Value {
        json!({
            "versionId": self.version.version.to_string(),
            "lastUpdated": instant(self.programme.changed),
        })
    }

    fn subject(&self) -> Value {
        json!({ "reference": format!("Patient/{}", self.patient) })
    }

    fn period(&self) -> Value {
        period(&self.version.body.schedule)
    }
}

fn period(s: &Schedule) -> Value {
    match s.end {
        Some(end) => json!({ "start": s.start.to_string(), "end": end.to_string() }),
        None => json!({ "start": s.start.to_string() }),
    }
}

/// The ServiceRequest id of the item at `index`.
pub fn service_request_id(programme: &str, index: usize) -> String {
    format!("{programme}-{}", index + 1)
}

/// The Task id of a programme.
pub fn task_id(programme: &str) -> String {
    format!("{programme}-task")
}

/// The programme as a CarePlan.
pub fn care_plan(f: &ProgrammeFacts<'_>) -> Value {
    let body = &f.version.body;
    let activity: Vec<Value> = (0..body.items.len())
        .map(|i| {
            json!({ "reference": {
                "reference": format!("ServiceRequest/{}", service_request_id(&f.programme.id, i))
            } })
        })
        .collect();
    let mut plan = json!({
        "resourceType": "CarePlan",
        "id": f.programme.id,
        "meta": f.meta(),
        "status": f.status(),
        "intent": "plan",
        "category": [{ "coding": [{ "system": SNOMED, "code": EXERCISE_THERAPY,
                                     "display": "Exercise therapy" }] }],
        "title": body.name,
        "subject": f.subject(),
        "period": f.period(),
        "created": instant(f.programme.created),
        "author": { "reference": format!("Practitioner/{}", f.author) },
        "activity": activity,
    });
    if !body.note.is_empty()
        && let Some(o) = plan.as_object_mut()
    {
        o.insert("description".into(), json!(body.note));
    }
    plan
}

/// The prescribed exercise at `index` as a ServiceRequest for exercise therapy.
pub fn service_request(f: &ProgrammeFacts<'_>, index: usize, p: &Prescribed) -> Value {
    let s = &f.version.body.schedule;
    let name = f
        .names
        .get(index)
        .cloned()
        .unwrap_or_else(|| p.exercise.clone());
    let mut instruction = format!("{name}: {}.", dose_words(p));
    if !p.instructions.is_empty() {
        instruction.push(' ');
        instruction.push_str(&p.instructions);
    }
    let days: Vec<String> = s
        .days
        .iter()
        .map(|d| short_day(*d).to_lowercase())
        .collect();
    json!({
        "resourceType": "ServiceRequest",
        "id": service_request_id(&f.programme.id, index),
        "meta": f.meta(),
        "basedOn": [{ "reference": format!("CarePlan/{}", f.programme.id) }],
        "status": f.status(),
        "intent": "order",
        "category": [{ "coding": [{ "system": SNOMED, "code": EXERCISE_THERAPY,
                                     "display": "Exercise therapy" }] }],
        "code": {
            "coding": [{ "system": SNOMED, "code": EXERCISE_THERAPY,
                         "display": "Exercise therapy" }],
            "text": name,
        },
        "subject": f.subject(),
        "occurrenceTiming": { "repeat": {
            "boundsPeriod": f.period(),
            "frequency": s.times_per_day,
            "period": 1,
            "periodUnit": "d",
            "dayOfWeek": days,
        } },
        "authoredOn": instant(f.version.created),
        "requester": { "reference": format!("Practitioner/{}", f.version.author_id) },
        "patientInstruction": instruction,
    })
}

/// The request to the patient to do the programme, as a Task.
pub fn task(f: &ProgrammeFacts<'_>) -> Value {
    json!({
        "resourceType": "Task",
        "id": task_id(&f.programme.id),
        "meta": f.meta(),
        "basedOn": [{ "reference": format!("CarePlan/{}", f.programme.id) }],
        "status": if f.programme.active { "requested" } else { "completed" },
        "intent": "order",
        "code": { "coding": [{ "system": "http://hl7.org/fhir/CodeSystem/task-code",
                               "code": "fulfill" }] },
        "description": format!("Do the home exercise programme \"{}\"", f.version.body.name),
        "focus": { "reference": format!("CarePlan/{}", f.programme.id) },
        "for": f.subject(),
        "authoredOn": instant(f.programme.created),
        "lastModified": instant(f.programme.changed),
        "requester": { "reference": format!("Practitioner/{}", f.author) },
        "owner": f.subject(),
        "executionPeriod": f.period(),
    })
}
