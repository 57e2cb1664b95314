-- What `unknot trends` counts from each entry, written with the entry (issue 19): its date in
-- its own time zone as a number (20260301 for 1 March 2026), and its knots and context as a
-- small JSON object ('{}' when it has neither). Trends then reads these instead of decoding
-- every entry's details and working out each date from the time and zone. Both are copies of
-- what at_ms, time_zone and details say, rewritten with them on every write.
-- NULL in rows written before this migration, or by a writer that does not fill them (an
-- older release, a bulk load): the store then reads those rows' details as before.
ALTER TABLE entries ADD COLUMN local_day BIGINT;
ALTER TABLE entries ADD COLUMN trend_facts TEXT;

-- The rows without them, so the trends query finds any left in a long journal without reading
-- the others (a journal written by this release has none, and this index stays empty).
CREATE INDEX entries_without_trend_facts ON entries (user_id)
    WHERE local_day IS NULL OR trend_facts IS NULL;
