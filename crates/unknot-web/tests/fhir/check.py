"""Drives the running clinic server's FHIR API from outside with the `fhirpy` client (search,
paging through link[next], _include), parses every resource it got with `fhirclient`'s FHIR
4.0.1 models (strict), and validates them all with the npm package `fhir` (validate.js).

Called by the Rust test `clinic::fhir::outside_clients_read_the_running_server` with the base
URL and the API tokens in the environment; exits non-zero, saying why, on any failure.
"""

import importlib
import json
import os
import subprocess
import sys
import tempfile

import requests
from fhirpy import SyncFHIRClient

BASE = os.environ["FHIR_BASE"]
HERE = os.path.dirname(os.path.abspath(__file__))
seen = {}


def client(token):
    return SyncFHIRClient(BASE, authorization=f"Bearer {token}")


def keep(resource):
    """Remembers a resource (as plain JSON) for the parsers and the validator."""
    data = resource.serialize() if hasattr(resource, "serialize") else resource
    seen[(data["resourceType"], data["id"])] = data
    return data


def check(cond, message):
    if not cond:
        print(f"FAIL: {message}", file=sys.stderr)
        sys.exit(1)


def raw(token, path):
    r = requests.get(f"{BASE}/{path}", headers={"Authorization": f"Bearer {token}",
                                                "Accept": "application/fhir+json"})
    check(r.status_code == 200, f"{path}: {r.status_code} {r.text[:200]}")
    check(r.headers["content-type"].startswith("application/fhir+json"), f"{path}: content type")
    return r.json()


clinician = client(os.environ["FHIR_CLINICIAN"])
owner = client(os.environ["FHIR_OWNER"])
patient = client(os.environ["FHIR_PATIENT"])
patient_id = os.environ["FHIR_PATIENT_ID"]

# Search and paging: fhirpy follows link[next] until the last page.
total = raw(os.environ["FHIR_CLINICIAN"], "Observation?_count=1")["total"]
check(total >= 5, f"expected several observations, the server says {total}")
every = clinician.resources("Observation").limit(2).fetch_all()
check(len(every) == total, f"paging gave {len(every)} of {total}")
check(len({o.id for o in every}) == total, "paging repeated a resource")
for o in every:
    keep(o)
    check(o["subject"]["reference"] == f"Patient/{patient_id}", "subject")
    check(o["code"]["coding"][0]["code"] in ("72514-3", "91147-9"), "LOINC code")

# Search parameters: patient, date with a prefix, status.
recent = clinician.resources("Observation").search(
    patient=patient_id, date__ge="2026-05-05", status="final").fetch_all()
check(0 < len(recent) < total, f"date=ge2026-05-05 gave {len(recent)} of {total}")

# _include: the patient comes along, marked as an include.
bundle = clinician.resources("Observation").include("Observation", "patient").limit(3).fetch_raw()
modes = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle.entry}
check(("Patient", "include") in modes, f"no included Patient: {modes}")
for e in bundle.entry:
    keep(e["resource"])
roles = owner.resources("PractitionerRole").include("PractitionerRole", "practitioner") \
    .include("PractitionerRole", "organization").fetch_raw()
kinds = {e["resource"]["resourceType"] for e in roles.entry}
check(kinds == {"PractitionerRole", "Practitioner", "Organization"}, f"role includes: {kinds}")
for e in roles.entry:
    keep(e["resource"])

# Every other type, read and searched as the person who may see it.
for c, kind in [(clinician, "QuestionnaireResponse"), (owner, "Patient"),
                (clinician, "CarePlan"), (clinician, "ServiceRequest"), (patient, "Task"),
                (owner, "AuditEvent"), (patient, "Organization"), (patient, "Practitioner"),
                (patient, "AuditEvent")]:
    found = c.resources(kind).limit(20).fetch()
    check(found, f"no {kind} found")
    for r in found:
        keep(r)
    again = c.reference(kind, found[0].id).to_resource()
    check(again.id == found[0].id, f"reading {kind}/{found[0].id}")
for key in [("Patient", patient_id)]:
    check(key in seen, f"{key} not seen")
seen[("CapabilityStatement", "-")] = raw(os.environ["FHIR_PATIENT"], "metadata")
seen[("Bundle", "-")] = raw(os.environ["FHIR_CLINICIAN"], "Observation?_count=2&_include=Observation:patient")
refused = requests.get(f"{BASE}/Observation?colour=blue",
                       headers={"Authorization": f"Bearer {os.environ['FHIR_PATIENT']}"})
check(refused.status_code == 400, f"an unknown parameter gave {refused.status_code}")
seen[("OperationOutcome", "-")] = refused.json()
kinds = sorted({k for k, _ in seen})
print(f"fhirpy: {len(seen)} resources of {len(kinds)} types: {', '.join(kinds)}")

# fhirclient: every resource parses with the FHIR 4.0.1 models, strictly.
for (kind, _), data in seen.items():
    module = importlib.import_module(f"fhirclient.models.{kind.lower()}")
    getattr(module, kind)(data, strict=True)
print(f"fhirclient: {len(seen)} resources parsed strictly")

# The npm package `fhir`: every resource is valid R4; a broken one is caught.
broken = dict(seen[("Observation", every[0].id)], status="done-ish")
with tempfile.TemporaryDirectory() as d:
    good_file, bad_file = os.path.join(d, "good.json"), os.path.join(d, "bad.json")
    with open(good_file, "w") as f:
        json.dump(list(seen.values()), f)
    with open(bad_file, "w") as f:
        json.dump([broken], f)
    good = subprocess.run(["node", os.path.join(HERE, "validate.js"), good_file],
                          capture_output=True, text=True)
    print(f"fhir (npm): {good.stdout.strip()}")
    check(good.returncode == 0, f"the npm validator refused resources:\n{good.stdout}{good.stderr}")
    bad = subprocess.run(["node", os.path.join(HERE, "validate.js"), bad_file],
                         capture_output=True, text=True)
    check(bad.returncode == 1, "the npm validator accepted a broken resource")
print("ok")
