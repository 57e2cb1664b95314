#!/usr/bin/env bash
# Load test of the web app for docs/PERFORMANCE.md (issue: the local web app).
#   Seeds five years of made-up entries (`unknot demo --years 5`), serves them with
#   `unknot serve`, and measures with wrk from a second process on loopback:
#     1. the Today page (GET /), and
#     2. the API's entry list (GET /api/v1/entries?limit=50).
#   Each run is bounded: DURATION seconds with CONNECTIONS connections on THREADS threads.
# Needs: a release build (cargo build --release -p unknot) and wrk (apt-get install wrk).
# Usage: scripts/load-web.sh [DURATION] [CONNECTIONS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/release/unknot"
duration="${1:-20}"
conns="${2:-64}"
threads="${3:-1}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || { echo "build first: cargo build --release -p unknot" >&2; exit 1; }

work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export UNKNOT_DATA_DIR="$work" TZ=Europe/Paris

echo "== seeding five years of entries"
"$bin" demo --years 5 >/dev/null
"$bin" history --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "entries")'

"$bin" serve --port "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/api/v1/today" >/dev/null && break
  sleep 0.1
done
echo "server pid $server on port $port; $(nproc) cores"

run() {
  local name="$1" path="$2"
  echo
  echo "== $name: wrk -t$threads -c$conns -d${duration}s --latency http://127.0.0.1:$port$path"
  curl -fs -o /dev/null "http://127.0.0.1:$port$path"   # warm the cache and the connection
  wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "http://127.0.0.1:$port$path"
}
run "Today page" "/"
run "entry list (API)" "/api/v1/entries?limit=50"
echo
echo "== a fresh render after each write (cache miss): 20 times POST an entry, then time GET /"
for _ in $(seq 20); do
  curl -fs -o /dev/null -H 'content-type: application/json' -d '{"pain": 4}' \
    "http://127.0.0.1:$port/api/v1/entries"
  curl -fs -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/"
done | sort -n | awk '{a[NR]=$1} END {printf "Today after a write: median %.1f ms, max %.1f ms\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'
echo
echo "== resident memory of the server after the runs"
grep VmRSS "/proc/$server/status"
