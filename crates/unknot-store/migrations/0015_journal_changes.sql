-- A change counter per person over everything the clinician's dashboard reads of them: their
-- entries, sessions, settings, assessments and the marks on those. Every such write adds one
-- in its own transaction, so a server may keep a patient's records in memory and read them
-- again only when the count has moved (docs/PERFORMANCE.md, "A caseload kept per server").
-- A missing row counts as 0.
CREATE TABLE journal_changes (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);
