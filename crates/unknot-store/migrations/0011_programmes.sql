-- The clinic's work with patients: programmes and templates (each edit a new version with a
-- change log), messages within a care relationship, questionnaire schedules, and answers a
-- clinician marked as errors. Portable SQL for SQLite and PostgreSQL; booleans are BIGINT 0/1.
-- No foreign key on patients: the clinic keeps these records for its retention period after
-- a patient erases their account (purged with the care rows).

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id TEXT,
    owner_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'template')),
    active BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    changed_at_ms BIGINT NOT NULL
);
CREATE INDEX programmes_by_patient ON programmes (patient_id, active);
CREATE INDEX programmes_by_clinic ON programmes (clinic_id, kind, active);

CREATE TABLE programme_versions (
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    changes TEXT NOT NULL,
    author_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (programme_id, version)
);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    care_id TEXT NOT NULL,
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    from_patient BIGINT NOT NULL,
    body TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    read_at_ms BIGINT
);
CREATE INDEX messages_by_care ON messages (care_id, at_ms);
CREATE INDEX messages_unread ON messages (clinic_id, from_patient, read_at_ms);

CREATE TABLE questionnaire_plans (
    care_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    changed_at_ms BIGINT NOT NULL
);

CREATE TABLE assessment_errors (
    assessment_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    marked_by TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
