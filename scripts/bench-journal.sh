#!/usr/bin/env bash
# Journal benchmarks for docs/PERFORMANCE.md (issues: foundation, 19).
#   1. one `unknot log` as a whole process, against the sqlite3 shell inserting one row into a
#      similar table (same WAL mode and full syncs), side by side in one hyperfine run, on a fresh
#      journal and on one of about 10,000 entries (the sqlite3 table gets as many rows); then the
#      same four commands counted in instructions by callgrind (stable on a noisy machine);
#   2. inserting 100,000 entries;
#   3. `unknot trends` over ten years of entries at four a day.
# Needs: a release build (cargo build --release -p unknot), hyperfine, sqlite3, and valgrind for
# the instruction counts (skipped with a note when missing).
# Usage: scripts/bench-journal.sh [OUT_DIR]   (results as hyperfine JSON and Markdown in OUT_DIR)
#   UNKNOT_BIN=path/to/unknot picks the binary (default: the release build in CARGO_TARGET_DIR
#   or target/); SKIP_INSERT=1 leaves out the slow 100,000-entry run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${UNKNOT_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/unknot}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
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
# A fresh journal (one entry), and one of about 10,000 entries (seven years at four a day).
mkdir -p "$work/log"
UNKNOT_DATA_DIR="$work/log" "$bin" log --pain 1 --note warm-up >/dev/null
UNKNOT_DATA_DIR="$work/log10k" "$bin" demo --years 7 --per-day 4 >/dev/null
table="PRAGMA journal_mode = WAL;
CREATE TABLE entries (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, at_ms BIGINT NOT NULL,
  time_zone TEXT NOT NULL, pain BIGINT, details TEXT NOT NULL, note TEXT,
  created_at_ms BIGINT NOT NULL, updated_at_ms BIGINT NOT NULL);
CREATE INDEX entries_by_user_time ON entries (user_id, at_ms);"
sqlite3 "$work/plain.db" >/dev/null <<<"$table"
sqlite3 "$work/plain10k.db" >/dev/null <<<"$table
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO entries SELECT lower(hex(randomblob(16))), 'local', 1772351700000 - i * 21600000,
  'Europe/Paris', i % 11, '{\"regions\":[{\"region\":\"lower-back\",\"pain\":5}]}', NULL,
  1772351700000, 1772351700000 FROM n;"
insert="PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; INSERT INTO entries VALUES (lower(hex(randomblob(16))), 'local', 1772351700000, 'Europe/Paris', 6, '{\"regions\":[{\"region\":\"lower-back\",\"pain\":7}],\"knots\":[{\"muscle\":\"rhomboids\",\"side\":\"left\",\"tenderness\":7}],\"context\":{\"activities\":[\"desk-work\"]}}', 'stiff after the meeting', 1772351700000, 1772351700000);"
log_args=(log --pain 6 --region lower-back=7 --knot rhomboids:left:7 --activity desk-work --note stiff)
hyperfine --warmup 5 --runs 200 -N \
  --export-json "$out/log.json" --export-markdown "$out/log.md" \
  -n "unknot log (fresh)" "env UNKNOT_DATA_DIR=$work/log $bin ${log_args[*]}" \
  -n "sqlite3 insert (fresh)" "sqlite3 $work/plain.db \"$insert\"" \
  -n "unknot log (10k)" "env UNKNOT_DATA_DIR=$work/log10k $bin ${log_args[*]}" \
  -n "sqlite3 insert (10k)" "sqlite3 $work/plain10k.db \"$insert\""

# Instructions from exec to exit, as callgrind counts them (the same for every run, unlike the
# wall time on a shared machine). The kernel's share (page faults, fsync) is not counted.
if command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
  {
    echo "| journal | unknot log | sqlite3 insert | ratio |"
    echo "|---|---|---|---|"
    for j in fresh 10k; do
      dir="$work/log"; db="$work/plain.db"
      [ "$j" = 10k ] && { dir="$work/log10k"; db="$work/plain10k.db"; }
      u=$(UNKNOT_DATA_DIR="$dir" count "$bin" "${log_args[@]}")
      q=$(count sqlite3 "$db" "$insert")
      echo "| $j | $u | $q | $(awk "BEGIN { printf \"%.2f\", $u / $q }")× |"
    done
    echo "| \`unknot --version\` alone | $(count "$bin" --version) | | |"
  } >"$out/log-instructions.md"
else
  echo "valgrind not installed: no instruction counts" >"$out/log-instructions.md"
fi

if [ -z "${SKIP_INSERT:-}" ]; then
  echo "== 2. inserting 100,000 entries (demo data: 25 years x 11 a day, in 4,000-entry transactions)"
  hyperfine --runs 3 -N \
    --prepare "rm -rf $work/big" \
    --export-json "$out/insert-100k.json" --export-markdown "$out/insert-100k.md" \
    -n "insert 100,375 entries" "env UNKNOT_DATA_DIR=$work/big $bin demo --years 25 --per-day 11"
else
  echo "(100,000-entry insert skipped)" >"$out/insert-100k.md"
fi

echo "== 3. trends over ten years at four entries a day"
UNKNOT_DATA_DIR="$work/ten" "$bin" demo --years 10 --per-day 4
hyperfine --warmup 3 --runs 30 -N \
  --export-json "$out/trends.json" --export-markdown "$out/trends.md" \
  -n "unknot trends (14,600 entries)" "env UNKNOT_DATA_DIR=$work/ten $bin trends"
/usr/bin/time -f "trends peak RSS: %M KiB" env UNKNOT_DATA_DIR="$work/ten" "$bin" trends >/dev/null

echo "== results in $out"
cat "$out/log.md" "$out/log-instructions.md" "$out/insert-100k.md" "$out/trends.md"
