-- A clinic's own exercises, in the library's TOML format (the same validation reads them as
-- reads the built-in library), and a change counter per clinic that every edit raises. Each
-- server compares the counter with the one its cached library was built from, so an exercise
-- saved through one server is in every server's library on its next request.

CREATE TABLE clinic_exercises (
    clinic_id TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (clinic_id, id)
);

ALTER TABLE clinics ADD COLUMN library_version BIGINT NOT NULL DEFAULT 0;
