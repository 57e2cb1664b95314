-- Breaks from sitting: reminders shown and how they ended, and breaks taken by stepping away.
CREATE TABLE breaks (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX breaks_by_user_time ON breaks (user_id, at_ms);
