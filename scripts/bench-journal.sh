#!/usr/bin/env bash
# Journal benchmarks for docs/PERFORMANCE.md (issue: foundation).
#   1. one `unknot log` as a whole process, against the sqlite3 shell inserting one row into a
#      similar table (same WAL mode and full syncs), side by side in one hyperfine run;
#   2. inserting 100,000 entries;
#   3. `unknot trends` over ten years of entries at four a day.
# Needs: a release build (cargo build --release -p unknot), hyperfine, sqlite3.
# Usage: scripts/bench-journal.sh [OUT_DIR]   (results as hyperfine JSON and Markdown in OUT_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/release/unknot"
out="${1:-target/bench}"
mkdir -p "$out"
for tool in hyperfine sqlite3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "build first: cargo build --release -p unknot" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TZ=Europe/Paris

echo "== 1. one log entry, whole process, against the sqlite3 shell"
mkdir -p "$work/log"
UNKNOT_DATA_DIR="$work/log" "$bin" log --pain 1 --note warm-up >/dev/null
sqlite3 "$work/plain.db" >/dev/null <<'SQL'
PRAGMA journal_mode = WAL;
CREATE TABLE entries (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, at_ms BIGINT NOT NULL,
  time_zone TEXT NOT NULL, pain BIGINT, details TEXT NOT NULL, note TEXT,
  created_at_ms BIGINT NOT NULL, updated_at_ms BIGINT NOT NULL);
CREATE INDEX entries_by_user_time ON entries (user_id, at_ms);
SQL
insert="PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; INSERT INTO entries VALUES (lower(hex(randomblob(16))), 'local', 1772351700000, 'Europe/Paris', 6, '{\"regions\":[{\"region\":\"lower-back\",\"pain\":7}],\"knots\":[{\"muscle\":\"rhomboids\",\"side\":\"left\",\"tenderness\":7}],\"context\":{\"activities\":[\"desk-work\"]}}', 'stiff after the meeting', 1772351700000, 1772351700000);"
hyperfine --warmup 5 --runs 200 -N \
  --export-json "$out/log.json" --export-markdown "$out/log.md" \
  -n "unknot log" "env UNKNOT_DATA_DIR=$work/log $bin log --pain 6 --region lower-back=7 --knot rhomboids:left:7 --activity desk-work --note stiff" \
  -n "sqlite3 insert" "sqlite3 $work/plain.db \"$insert\""

echo "== 2. inserting 100,000 entries (demo data: 25 years x 11 a day, in 4,000-entry transactions)"
hyperfine --runs 3 -N \
  --prepare "rm -rf $work/big" \
  --export-json "$out/insert-100k.json" --export-markdown "$out/insert-100k.md" \
  -n "insert 100,375 entries" "env UNKNOT_DATA_DIR=$work/big $bin demo --years 25 --per-day 11"

echo "== 3. trends over ten years at four entries a day"
UNKNOT_DATA_DIR="$work/ten" "$bin" demo --years 10 --per-day 4
hyperfine --warmup 3 --runs 30 -N \
  --export-json "$out/trends.json" --export-markdown "$out/trends.md" \
  -n "unknot trends (14,600 entries)" "env UNKNOT_DATA_DIR=$work/ten $bin trends"
/usr/bin/time -f "trends peak RSS: %M KiB" env UNKNOT_DATA_DIR="$work/ten" "$bin" trends >/dev/null

echo "== results in $out"
cat "$out/log.md" "$out/insert-100k.md" "$out/trends.md"
