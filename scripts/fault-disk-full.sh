#!/bin/sh
# A full disk under the local journal, checked by hand (the automated test is
# crates/unknot/tests/it/disk_full.rs). Needs root for `mount`; prints each step's outcome.
#   scripts/fault-disk-full.sh [path/to/unknot]
set -u
bin=${1:-target/release/unknot}
[ "$(id -u)" = 0 ] || { echo "needs root to mount a tmpfs"; exit 2; }
dir=$(mktemp -d /tmp/unknot-diskfull-XXXXXX)
mount -t tmpfs -o size=2m tmpfs "$dir" || { echo "mount refused"; exit 2; }
trap 'umount "$dir"; rmdir "$dir"' EXIT
export UNKNOT_DATA_DIR="$dir"
for p in 2 3 4; do "$bin" log --pain $p --note "before the disk filled" >/dev/null || exit 1; done
for leave_kib in 8 40; do
    dd if=/dev/zero of="$dir/filler" bs=4k 2>/dev/null
    size=$(stat -c %s "$dir/filler")
    truncate -s $((size - leave_kib * 1024)) "$dir/filler"
    echo "== $(df -k --output=avail "$dir" | tail -1 | tr -d ' ') KiB free"
    "$bin" log --pain 5 --note "$(head -c 4000 /dev/zero | tr '\0' x)" 2>&1
    echo "exit code $?"
    rm "$dir/filler"
    echo "entries after freeing space: $("$bin" history --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
done
echo "integrity: $(sqlite3 "$dir/unknot.db" 'PRAGMA integrity_check')"
