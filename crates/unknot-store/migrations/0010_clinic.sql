-- The clinic server: clinics, accounts, staff roles, care relationships, invitations, sign-in
-- sessions, API tokens, passkeys, recovery codes, rate-limit counters and the audit log.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Booleans are BIGINT 0/1.
-- Every token and session id is stored only as its SHA-256; passwords as Argon2id hashes.

CREATE TABLE clinics (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    -- How long records the clinic must keep (staff notes, programmes, messages) are kept after
    -- a patient erases their account, in days.
    retention_days BIGINT NOT NULL
);

-- A person who signs in: a patient (their journal lives under users(id) = accounts(id)) or a
-- member of staff. A patient invited but not yet signed up has no credentials yet.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    email TEXT UNIQUE,
    display_name TEXT NOT NULL,
    birth_year BIGINT,
    password_hash TEXT,
    password_changed_at_ms BIGINT,
    totp_secret TEXT,
    totp_enabled BIGINT NOT NULL DEFAULT 0,
    -- The last time step a TOTP code was accepted for: each code works once.
    totp_last_step BIGINT,
    created_at_ms BIGINT NOT NULL,
    erased_at_ms BIGINT
);

CREATE TABLE memberships (
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'clinician', 'assistant')),
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (clinic_id, account_id)
);

-- A patient under a clinic's care, with the clinician named. The patient confirms it (by
-- accepting the invitation) and can end it. No foreign key on the patient: when a patient
-- erases their account, the clinic keeps these rows (without the name) for its retention
-- period.
CREATE TABLE care (
    id TEXT PRIMARY KEY,
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    patient_id TEXT NOT NULL,
    clinician_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('invited', 'confirmed', 'revoked')),
    created_at_ms BIGINT NOT NULL,
    changed_at_ms BIGINT NOT NULL,
    retain_until_ms BIGINT
);
CREATE INDEX care_by_patient ON care (patient_id);
CREATE INDEX care_by_clinic ON care (clinic_id, status);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'staff')),
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    care_id TEXT,
    role TEXT,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT
);
CREATE INDEX invitations_by_account ON invitations (account_id);

CREATE TABLE auth_sessions (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    second_factor BIGINT NOT NULL,
    csrf TEXT NOT NULL,
    address TEXT NOT NULL,
    agent TEXT NOT NULL
);
CREATE INDEX auth_sessions_by_account ON auth_sessions (account_id);

-- A step of a sign-in or registration not finished yet (a passkey challenge, a password
-- accepted but the second factor still to come), kept briefly so any server can finish it.
CREATE TABLE auth_pending (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT,
    purpose TEXT NOT NULL,
    body TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    last_used_ms BIGINT,
    revoked_at_ms BIGINT
);

CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    last_used_ms BIGINT
);
CREATE INDEX passkeys_by_account ON passkeys (account_id);

CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at_ms BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- Fixed-window counters for rate limits, shared by every server in front of the database.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    hits BIGINT NOT NULL
);

-- Append-only and hash-chained: each row's hash covers the previous row's (see
-- unknot-core's clinic::audit). Nothing updates or deletes rows here.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    clinic_id TEXT,
    patient_id TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    address TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_patient ON audit_log (patient_id, seq);
CREATE INDEX audit_by_clinic ON audit_log (clinic_id, seq);
