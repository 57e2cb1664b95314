-- Preferences set in the web app (reminder intervals, quiet hours, time zone, theme): one JSON
-- document per user, so a new preference needs no migration.
CREATE TABLE settings (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
