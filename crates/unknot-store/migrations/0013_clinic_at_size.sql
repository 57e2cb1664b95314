-- Indexes for the clinic at size (issue 19), each chosen from EXPLAIN ANALYZE on a filled
-- database (docs/PERFORMANCE.md, "The clinic at size"). Portable SQL: SQLite and PostgreSQL
-- both have partial indexes, and both use one when a query repeats its condition word for word.

-- The safety net reads only entries that may carry a warning sign (unknot-store's
-- SIGN_FILTER, repeated here exactly): a few rows per patient instead of every entry since
-- the intake.
CREATE INDEX entries_with_signs ON entries (user_id, at_ms)
    WHERE (details LIKE '%numbness%' OR details LIKE '%tingling%'
    OR details LIKE '%"leg"%' OR details LIKE '%"arm"%' OR details LIKE '%"chest"%');

-- Likewise the sessions whose feedback reported a warning sign.
CREATE INDEX sessions_with_signs ON sessions (user_id, at_ms)
    WHERE body LIKE '%"warning_signs"%';

-- A clinician's own patients, without reading the whole clinic's list.
CREATE INDEX care_by_clinician ON care (clinic_id, clinician_id, status);

-- Answers marked as errors, by patient (the dashboard reads them for its caseload).
CREATE INDEX assessment_errors_by_user ON assessment_errors (user_id);
