-- Exercises the user added (often ones their physiotherapist gave them), kept in the library's
-- own TOML format so the same validation reads them as reads the built-in library.
CREATE TABLE custom_exercises (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, id)
);
