-- Each person's assessments summed up in one row (unknot_core::folded::AnswerSummary), so
-- Today and the clinician's dashboard read one row per person rather than every check-in
-- (docs/PERFORMANCE.md, "The clinic at size"). `version` counts changes: every write to a
-- person's assessments, or to the marks on them, adds one in its own transaction. `body` is
-- the summary made when the count was `kept_version`, by summary format `kept_format`, from
-- `kept_assessments` assessments and `kept_errors` marks; it is used only while all four still
-- hold, otherwise it is made again from the assessments. (The two row counts catch a writer
-- that does not know the counter, such as a server still running an older release during an
-- upgrade.) Rows start empty after this migration and are made on first read.
CREATE TABLE answer_summaries (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    kept_version BIGINT,
    kept_format BIGINT,
    kept_assessments BIGINT,
    kept_errors BIGINT,
    body TEXT
);
