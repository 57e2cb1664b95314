-- The journal. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Every row belongs to a user; local mode has the one implicit user 'local'.
-- Instants are milliseconds since the Unix epoch (UTC) plus the IANA time zone name
-- (or a fixed offset such as +05:30 when the zone had no name).

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    display_name TEXT,
    created_at_ms BIGINT NOT NULL
);

-- The implicit user of a single-person install exists from the start, so opening the journal
-- never has to write.
INSERT INTO users (id, display_name, created_at_ms) VALUES ('local', NULL, 0);

CREATE TABLE entries (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    -- Overall pain 0-10; NULL when the entry did not rate it.
    pain BIGINT CHECK (pain IS NULL OR (pain >= 0 AND pain <= 10)),
    -- Regions, knots, kinds of pain, context and treatments as JSON: small lists that are
    -- always read with their entry (see docs/ARCHITECTURE.md).
    details TEXT NOT NULL,
    note TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE INDEX entries_by_user_time ON entries (user_id, at_ms);
