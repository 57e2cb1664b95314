#!/bin/sh
# EXPLAIN ANALYZE of the clinic's hot queries on a filled database (scripts/clinic-fill.py),
# for one clinician's caseload and one of their patients, as docs/PERFORMANCE.md records them.
# Usage: scripts/load/explain.sh [DATABASE] [TOKENS_FILE]
set -eu
DB="${1:-unknot_fill}"
TOKENS="${2:-/tmp/unknot-fill-tokens.csv}"
URL="${UNKNOT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
URL="${URL%/*}/$DB"
CLINICIAN=$(grep '^clinician,' "$TOKENS" | head -1 | cut -d, -f2)
CLINIC=$(grep '^clinician,' "$TOKENS" | head -1 | cut -d, -f4)
PATIENT=$(grep '^patient,' "$TOKENS" | head -1 | cut -d, -f2)
NOW=$(date +%s000)
PATIENTS="SELECT patient_id FROM care WHERE clinic_id = '$CLINIC' AND status = 'confirmed' AND ('$CLINICIAN' = '' OR clinician_id = '$CLINICIAN')"
SIGNS="(details LIKE '%numbness%' OR details LIKE '%tingling%' OR details LIKE '%\"leg\"%' OR details LIKE '%\"arm\"%' OR details LIKE '%\"chest\"%')"
# The server turns JIT off on its connections (unknot-store open.rs): so does this.
export PGOPTIONS="${PGOPTIONS:--c jit=off}"
q() {
  echo "== $1"
  psql "$URL" -Atc "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2" | grep -E 'Scan|Join|Loop|Execution Time|Rows Removed|Sort|Aggregate|Hash|JIT|Timing' | head -14
}
q "one patient's entries since the intake (the safety net before: every entry)" \
  "SELECT json_agg(json_build_array(id, at_ms, time_zone, pain, details::json, note)) FROM entries WHERE user_id = '$PATIENT' AND at_ms >= 0"
q "one patient's entries that may carry a warning sign (the safety net now)" \
  "SELECT json_agg(json_build_array(id, at_ms, time_zone, pain, details::json, note)) FROM entries WHERE user_id = '$PATIENT' AND at_ms >= 0 AND $SIGNS"
q "one patient's sessions with warning signs" \
  "SELECT id, body FROM sessions WHERE user_id = '$PATIENT' AND at_ms >= 0 AND body LIKE '%\"warning_signs\"%' ORDER BY at_ms, id"
q "caseload: the clinician's patients" \
  "SELECT c.id FROM care c JOIN accounts a ON a.id = c.patient_id WHERE c.clinic_id = '$CLINIC' AND c.status = 'confirmed' AND ('$CLINICIAN' = '' OR c.clinician_id = '$CLINICIAN') ORDER BY a.display_name, c.id"
q "caseload: entries in the pain windows" \
  "SELECT id FROM entries WHERE user_id IN ($PATIENTS) AND at_ms >= $NOW - 5::bigint*86400000 UNION ALL SELECT e.id FROM entries e JOIN care c ON c.patient_id = e.user_id AND c.clinic_id = '$CLINIC' AND c.status = 'confirmed' AND c.clinician_id = '$CLINICIAN' WHERE e.at_ms >= c.changed_at_ms - 172800000 AND e.at_ms < c.changed_at_ms + 777600000"
q "caseload: entries with warning signs" \
  "SELECT id FROM entries WHERE user_id IN ($PATIENTS) AND $SIGNS"
q "caseload: sessions of the last 30 days" \
  "SELECT id, body, user_id FROM sessions WHERE user_id IN ($PATIENTS) AND at_ms >= $NOW - 30::bigint*86400000 ORDER BY at_ms, id"
q "caseload: every assessment" \
  "SELECT a.id, a.body, a.user_id FROM care c JOIN assessments a ON a.user_id = c.patient_id WHERE c.clinic_id = '$CLINIC' AND c.status = 'confirmed' AND ('$CLINICIAN' = '' OR c.clinician_id = '$CLINICIAN')"
q "caseload: newest entry per patient" \
  "SELECT c.patient_id, (SELECT MAX(e.at_ms) FROM entries e WHERE e.user_id = c.patient_id) FROM care c WHERE c.clinic_id = '$CLINIC' AND c.status = 'confirmed' AND c.clinician_id = '$CLINICIAN'"
q "the whole clinic's active programmes (dashboard)" \
  "SELECT p.id, v.body FROM programmes p JOIN programme_versions v ON v.programme_id = p.id AND v.version = p.version WHERE p.clinic_id = '$CLINIC' AND p.kind = 'patient' AND p.active = 1"
q "Today: 90 days of one patient's entries" \
  "SELECT json_agg(json_build_array(id, at_ms, time_zone, pain, details::json, note)) FROM entries WHERE user_id = '$PATIENT' AND at_ms >= $NOW - 90::bigint*86400000 AND at_ms <= $NOW"
