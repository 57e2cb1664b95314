-- Assessments (the intake and weekly check-ins), versioned plans, and guided sessions.
-- Each row keeps the core type as a JSON document in `body`, beside the columns queries need.

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('intake', 'checkin')),
    at_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX assessments_by_user_time ON assessments (user_id, at_ms);

CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (user_id, version)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX sessions_by_user_time ON sessions (user_id, at_ms);
