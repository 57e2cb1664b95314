-- What `unknot trends` counts from each entry, written with the entry (issue 19): its date in
-- its own time zone as a number (20260301 for 1 March 2026), and its knots and context as a
-- small JSON object ('{}' when it has neither). Trends then reads these instead of decoding
-- every entry's details and working out each date from the time and zone. Both are copies of
-- what at_ms, time_zone and details say, rewritten with them on every write, which also sets
-- facts_at_ms to the row's updated_at_ms.
-- They are used only while facts_at_ms equals updated_at_ms. A row written before this
-- migration, or by a writer that does not know the columns (a bulk load, or a server still on
-- an older release during an upgrade, whose edits move updated_at_ms but not facts_at_ms), is
-- read from its details as before. The date is the one the zone rules gave when the entry was
-- written.
ALTER TABLE entries ADD COLUMN local_day BIGINT;
ALTER TABLE entries ADD COLUMN trend_facts TEXT;
ALTER TABLE entries ADD COLUMN facts_at_ms BIGINT;

-- The rows whose copies are missing or out of date, so SQLite's trends query finds any left in
-- a long journal without reading the others (in a journal written by this release it stays
-- empty). The condition is repeated word for word in unknot-store's TRENDS_SQLITE.
CREATE INDEX entries_without_trend_facts ON entries (user_id)
    WHERE local_day IS NULL OR trend_facts IS NULL OR facts_at_ms IS NULL
    OR facts_at_ms <> updated_at_ms;
