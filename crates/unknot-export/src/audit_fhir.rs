//! The clinic's audit log as a FHIR R4 `Bundle` of `AuditEvent` resources, for a clinic's
//! records system or a regulator. Each event keeps its place in the hash chain (`entity.detail`
//! carries the record's hash and the one before it), so a reader can check the export against
//! `unknot clinic audit verify`.

use jiff::Timestamp;
use serde_json::{Value, json};
use unknot_core::clinic::audit::Record;

/// The DICOM audit event types FHIR uses for `AuditEvent.type`.
const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
/// FHIR's own audit event types.
const AUDIT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";

/// The FHIR action code (Create, Read, Update, Delete, Execute) for one of our actions.
fn action_code(action: &str) -> &'static str {
    match action {
        a if a.starts_with("read") || a.starts_with("export") || a.starts_with("preview") => "R",
        a if a.starts_with("invite") || a.starts_with("create") || a.starts_with("init") => "C",
        a if a.starts_with("erase") || a.starts_with("delete") || a.starts_with("purge") => "D",
        a if a.starts_with("write")
            || a.starts_with("grant")
            || a.starts_with("revoke")
            || a.starts_with("end")
            || a.starts_with("change") =>
        {
            "U"
        }
        _ => "E",
    }
}

/// The event's type: sign-ins and sign-outs are user authentication; exports are an export;
/// everything else touching a record is a RESTful operation.
fn event_type(action: &str) -> Value {
    if action.starts_with("sign") || action.starts_with("passkey") || action.starts_with("totp") {
        json!({"system": DCM, "code": "110114", "display": "User Authentication"})
    } else if action.starts_with("export") {
        json!({"system": DCM, "code": "110106", "display": "Export"})
    } else {
        json!({"system": AUDIT_TYPE, "code": "rest", "display": "RESTful Operation"})
    }
}

/// FHIR's outcome codes: 0 success, 4 minor failure (a refusal), 8 serious failure.
fn outcome_code(outcome: &str) -> &'static str {
    match outcome {
        "ok" => "0",
        "refused" => "4",
        _ => "8",
    }
}

/// One record as an `AuditEvent`.
pub fn audit_event(record: &Record) -> Value {
    let e = &record.event;
    let recorded = Timestamp::from_millisecond(e.at_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut agent = json!({
        "who": {"identifier": {"system": "urn:unknot:account", "value": e.actor}},
        "requestor": true,
    });
    if !e.address.is_empty() {
        agent["network"] = json!({"address": e.address, "type": "2"});
    }
    let mut entity = vec![json!({
        "what": {"identifier": {"system": "urn:unknot:target", "value": e.target}},
        "detail": [
            {"type": "seq", "valueString": e.seq.to_string()},
            {"type": "hash", "valueString": record.hash},
            {"type": "prev_hash", "valueString": record.prev_hash},
        ],
    })];
    if let Some(patient) = &e.patient {
        entity.push(json!({
            "what": {"identifier": {"system": "urn:unknot:account", "value": patient}},
            "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                     "code": "1", "display": "Person"},
            "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role",
                     "code": "1", "display": "Patient"},
        }));
    }
    let mut source = json!({"observer": {"display": "unknot clinic server"}});
    if let Some(clinic) = &e.clinic {
        source["site"] = json!(clinic);
    }
    json!({
        "resourceType": "AuditEvent",
        "id": format!("audit-{}", e.seq),
        "type": event_type(&e.action),
        "subtype": [{"system": "urn:unknot:action", "code": e.action}],
        "action": action_code(&e.action),
        "recorded": recorded.to_string(),
        "outcome": outcome_code(&e.outcome),
        "outcomeDesc": e.outcome,
        "agent": [agent],
        "source": source,
        "entity": entity,
    })
}

/// The whole log as a `collection` Bundle, oldest first.
pub fn audit_bundle(records: &[Record], now: Timestamp) -> Value {
    let entries: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "fullUrl": format!("urn:unknot:audit:{}", r.event.seq),
                "resource": audit_event(r),
            })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.to_string(),
        "entry": entries,
    })
}
