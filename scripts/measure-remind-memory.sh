#!/usr/bin/env bash
# Resident memory and idle CPU of `unknot remind` beside Workrave, in the same desktop session.
# Both run under Xvfb inside one D-Bus session with a real notification daemon (dunst), so
# unknot takes its desktop-notification path, as on a user's machine.
# Needs: a release build; Debian packages xvfb, xauth, dbus, dunst, workrave.
# Usage: scripts/measure-remind-memory.sh [SETTLE_SECONDS] [IDLE_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
settle="${1:-20}"
idle="${2:-60}"
bin="$PWD/target/release/unknot"
[ -x "$bin" ] || { echo "build first: cargo build --release -p unknot" >&2; exit 1; }
for tool in Xvfb dbus-run-session dunst workrave; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
work="$(mktemp -d)"
Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=:97 HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
dbus-run-session -- bash -c '
  set -u
  dunst >/dev/null 2>&1 &
  sleep 2
  UNKNOT_DATA_DIR="'"$work"'/unknot" "'"$bin"'" remind --every 45m >/dev/null 2>&1 &
  u=$!
  workrave >/dev/null 2>&1 &
  w=$!
  sleep '"$settle"'
  cpu() { awk "{print \$14 + \$15}" /proc/$1/stat; }
  u0=$(cpu $u); w0=$(cpu $w)
  sleep '"$idle"'
  u1=$(cpu $u); w1=$(cpu $w)
  hz=$(getconf CLK_TCK)
  for p in "unknot remind:$u:$u0:$u1" "workrave:$w:$w0:$w1"; do
    IFS=: read -r name pid c0 c1 <<< "$p"
    rss=$(awk "/VmRSS/ {print \$2}" /proc/$pid/status)
    ticks=$((c1 - c0))
    echo "$name: VmRSS ${rss} KiB ($(awk "BEGIN {printf \"%.1f\", $rss/1024}") MiB); CPU over '"$idle"' s idle: $ticks ticks ($(awk "BEGIN {printf \"%.2f\", $ticks*1000/$hz}") ms)"
  done
  kill $u $w 2>/dev/null
  wait 2>/dev/null || true
'
