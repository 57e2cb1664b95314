//! The audit log's FHIR export: valid R4 against the official schema, with the chain kept.

use serde_json::Value;
use unknot_core::clinic::audit::{Event, Record, append};
use unknot_export::audit_fhir::audit_bundle;

fn records() -> Vec<Record> {
    let events = [
        ("sign_in", None, "ok", "password"),
        (
            "read",
            Some("patient-1"),
            "ok",
            "/clinic/c1/patients/patient-1",
        ),
        ("export", Some("patient-1"), "ok", "fhir"),
        (
            "read",
            Some("patient-2"),
            "refused",
            "/clinic/c1/patients/patient-2",
        ),
        ("grant", Some("patient-1"), "ok", "care"),
    ];
    let mut out: Vec<Record> = Vec::new();
    for (i, (action, patient, outcome, target)) in events.into_iter().enumerate() {
        let e = Event {
            seq: i as i64 + 1,
            at_ms: 1_780_000_000_000 + i as i64 * 1000,
            actor: "acct-1".into(),
            clinic: Some("c1".into()),
            patient: patient.map(String::from),
            action: action.into(),
            target: target.into(),
            address: "192.0.2.7".into(),
            outcome: outcome.into(),
        };
        out.push(append(out.last(), e));
    }
    out
}

#[test]
fn the_audit_bundle_validates_against_the_official_r4_schema() {
    let schema: Value = serde_json::from_str(include_str!("../fixtures/fhir.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let b = audit_bundle(&records(), jiff::Timestamp::UNIX_EPOCH);
    let errors: Vec<String> = validator
        .iter_errors(&b)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = b.clone();
    broken["entry"][0]["resource"]["action"] = Value::String("X".into());
    assert!(
        !validator.is_valid(&broken),
        "a wrong action code must fail"
    );
}

#[test]
fn each_event_keeps_its_actor_patient_outcome_and_chain_hash() {
    let recs = records();
    let b = audit_bundle(&recs, jiff::Timestamp::UNIX_EPOCH);
    let events: Vec<&Value> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    assert_eq!(events.len(), 5);
    assert_eq!(events[0]["type"]["code"], "110114");
    assert_eq!(events[1]["action"], "R");
    assert_eq!(events[2]["type"]["code"], "110106");
    assert_eq!(events[3]["outcome"], "4");
    assert_eq!(events[4]["action"], "U");
    assert_eq!(
        events[1]["entity"][1]["what"]["identifier"]["value"],
        "patient-1"
    );
    assert_eq!(events[1]["agent"][0]["network"]["address"], "192.0.2.7");
    assert_eq!(
        events[4]["entity"][0]["detail"][1]["valueString"],
        recs[4].hash
    );
    assert_eq!(
        events[4]["entity"][0]["detail"][2]["valueString"],
        recs[3].hash
    );
}
