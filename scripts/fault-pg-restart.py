#!/usr/bin/env python3
"""PostgreSQL restarted in the middle of a write load: nothing acknowledged is lost, nothing is
stored twice, requests fail fast while it is down, and the servers reconnect by themselves.

What it does, on this machine:
  1. starts a private PostgreSQL 15 in a temporary folder, on its own port (as the `postgres`
     user when run as root: PostgreSQL refuses root), so the machine's server is never touched;
  2. `unknot clinic init`, then two `unknot clinic serve` processes on it; a patient signs up;
  3. WRITERS threads post journal entries through the JSON API, alternating servers, each with
     an id made by the client (a UUID) and retried with the same id until it is acknowledged
     (201, or 200 when an earlier try had been stored but its answer was lost);
  4. after a second of load PostgreSQL is stopped (fast shutdown: connections cut mid-request),
     kept down for DOWN seconds, and started again; the servers are not touched;
  5. checks: every refusal while it was down was a 503 with Retry-After, answered within the
     pool's wait (2 s) and not the client's timeout; writes succeed again without restarting
     the servers; every acknowledged id is stored exactly once and nothing else is stored.

Usage:  scripts/fault-pg-restart.py [--binary target/release/unknot] [--writes 600] [--down 5]
Needs:  PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin, python3 only.
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("cluster", os.path.join(HERE, "clinic-cluster.py"))
cluster = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cluster)
PGBIN = "/usr/lib/postgresql/15/bin"


def as_pg(cmd):
    """Runs PostgreSQL's tools as `postgres` when we are root (initdb and postgres refuse root)."""
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


class Postgres:
    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.sock = tempfile.mkdtemp(prefix="unknot-pgsock-")
        self.port = cluster.free_port()
        self.log = os.path.join(work, "postgres.log")
        if os.geteuid() == 0:
            shutil.chown(work, "postgres")
            shutil.chown(self.sock, "postgres")
        subprocess.run(as_pg([f"{PGBIN}/initdb", "-D", self.dir, "-A", "trust", "-U", "postgres"]),
                       check=True, capture_output=True)

    def ctl(self, *args):
        opts = f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1"
        subprocess.run(as_pg([f"{PGBIN}/pg_ctl", "-D", self.dir, "-o", opts, "-l", self.log, "-w"]
                             + list(args)), check=True, capture_output=True)

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="target/release/unknot")
    ap.add_argument("--writes", type=int, default=600)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--down", type=float, default=5.0)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: cargo build --release -p unknot")
    work = tempfile.mkdtemp(prefix="unknot-pgrestart-")
    pg = Postgres(work)
    procs = {}
    try:
        pg.ctl("start")
        cluster.psql(pg.url("postgres"), "CREATE DATABASE unknot")
        db = pg.url("unknot")
        public_port = cluster.free_port()
        public = f"http://localhost:{public_port}/"
        ports = [cluster.free_port(), cluster.free_port()]
        env = dict(os.environ, UNKNOT_DATA_DIR=work)
        out = subprocess.run([binary, "clinic", "init", "--database-url", db, "--public-url", public,
                              "--name", "Restart Physio", "--owner-email", "owner@example.org",
                              "--json"], check=True, capture_output=True, text=True, env=env).stdout
        setup = json.loads(out)["setup_link"]
        for i in (0, 1):
            log = open(os.path.join(work, f"server{i}.log"), "a")
            procs[i] = subprocess.Popen([binary, "clinic", "serve", "--database-url", db, "--port",
                                         str(ports[i]), "--public-url", public],
                                        stdout=log, stderr=log, env=env)
            cluster.wait_for(ports[i])
        host = f"localhost:{public_port}"
        patient = sign_up_patient(public.rstrip("/"), setup, ports[0], host)

        results, lock = [], threading.Lock()
        start = time.time()
        per_writer = args.writes // args.writers

        def writer(w):
            b = cluster.Browser(public.rstrip("/"))
            b.cookie = patient.cookie
            for k in range(per_writer):
                n = w * per_writer + k
                wid = str(uuid.uuid4())
                body = json.dumps({"id": wid, "pain": n % 11, "note": f"pg-restart write {n}"})
                tries = []
                while True:
                    port = ports[(n + len(tries)) % 2]
                    b.base = f"http://127.0.0.1:{port}"
                    t0 = time.perf_counter()
                    try:
                        status, hdrs, _ = b.send("POST", "/api/v1/entries", headers={
                            "Host": host, "Content-Type": "application/json"}, data=body)
                        retry_after = hdrs.get("Retry-After")
                    except OSError as e:
                        status, retry_after = f"error {e.__class__.__name__}", None
                    tries.append((time.time() - start, status, time.perf_counter() - t0, retry_after))
                    if status in (200, 201):
                        break
                    if time.time() - start > 120:
                        break
                    time.sleep(0.2)
                with lock:
                    results.append((wid, n, tries))

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        t_stop = time.time() - start
        pg.ctl("stop", "-m", "fast")
        time.sleep(args.down)
        pg.ctl("start")
        t_up = time.time() - start
        for t in threads:
            t.join()
        alive = all(p.poll() is None for p in procs.values())

        acked = {wid: tries[-1][1] for wid, _, tries in results if tries[-1][1] in (200, 201)}
        attempts = [a for _, _, tries in results for a in tries]
        refused = [a for a in attempts if a[1] not in (200, 201)]
        s503 = [a for a in refused if a[1] == 503]
        other = [a for a in refused if a[1] != 503]
        replays = sum(1 for s in acked.values() if s == 200)
        stored = cluster.psql(db, "SELECT id FROM entries WHERE note LIKE 'pg-restart write %'").split()
        first_ok_after = min((a[0] for a in attempts if a[1] in (200, 201) and a[0] > t_up), default=None)
        slowest_503 = max((a[2] for a in s503), default=0.0)
        waits = sorted(a[2] for a in s503)
        median_503 = waits[len(waits) // 2] if waits else 0.0
        fast_503 = sum(1 for w in waits if w < 0.1)
        print(f"postgres stopped at {t_stop:.1f} s, started again at {t_up:.1f} s "
              f"(down {t_up - t_stop:.1f} s)")
        print(f"writes {len(results)}, acknowledged {len(acked)} ({replays} as 200 replays), "
              f"attempts {len(attempts)}")
        print(f"refusals: {len(s503)} x 503 (all with Retry-After: "
              f"{all(a[3] for a in s503)}; median {median_503 * 1000:.0f} ms, {fast_503} under 100 ms, "
              f"slowest {slowest_503 * 1000:.0f} ms), "
              f"other {len(other)}: {sorted(set(str(a[1]) for a in other))}")
        if first_ok_after is not None:
            print(f"first acknowledged write {first_ok_after - t_up:.2f} s after postgres was back; "
                  f"servers still running without a restart: {alive}")
        print(f"stored rows {len(stored)}, distinct {len(set(stored))}; every acknowledged id "
              f"stored: {set(acked) <= set(stored)}; nothing unacknowledged stored: "
              f"{set(stored) <= set(acked)}")
        ok = (len(acked) == len(results) and set(stored) == set(acked)
              and len(stored) == len(set(stored)) and alive and len(s503) > 0
              and all(a[3] for a in s503) and slowest_503 < 3.0 and first_ok_after is not None)
        print("all checks held" if ok else "A CHECK FAILED")
        return 0 if ok else 1
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=10)
        try:
            pg.ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(pg.sock, ignore_errors=True)


def sign_up_patient(base, setup, port, host):
    """The owner sets up (password, TOTP), invites a patient, the patient signs up; all through
    one server, addressed by the public host name."""
    import re
    owner = cluster.Browser(f"http://127.0.0.1:{port}")
    h = {"Host": host, "Origin": "http://" + host}
    orig_send = cluster.Browser.send

    def send(self, method, path, form=None, headers=None, data=None):
        headers = dict(h, **(headers or {}))
        if data is not None:
            return raw_send(self, method, path, headers, data)
        return orig_send(self, method, path, form, headers)
    cluster.Browser.send = send
    path = urllib.parse.urlparse(setup).path
    status, _, body = owner.send("POST", path, {"login": "", "password": "plum kettle orbit lantern"})
    assert status == 303, (status, body[:300])
    _, _, page = owner.send("GET", "/account/second-factor")
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    token = owner.csrf("/account/second-factor")
    status, _, body = owner.send("POST", "/account/second-factor", {"csrf": token, "code": cluster.totp(secret)})
    assert status == 200, (status, body[:300])
    _, headers, _ = owner.send("GET", "/clinic")
    _, _, page = owner.send("GET", headers.get("Location") or "/clinic")
    clinic_id = re.search(r'/clinic/([0-9a-f-]{36})', page).group(1)
    token = owner.csrf(f"/clinic/{clinic_id}")
    status, _, body = owner.send("POST", f"/clinic/{clinic_id}/patients", {"csrf": token, "name": "Pat Restart", "birth_year": ""})
    invite = re.search(r"(/invite/[A-Za-z0-9_-]{43})", body).group(1)
    patient = cluster.Browser(f"http://127.0.0.1:{port}")
    status, _, body = patient.send("POST", invite, {"login": "pat@example.org", "password": "crimson ladder quiet otter"})
    assert status == 303, (status, body[:300])
    return patient


def raw_send(self, method, path, headers, data):
    """A JSON request with the session cookie and same-origin headers."""
    import urllib.error
    import urllib.request
    req = urllib.request.Request(self.base + path, data=data.encode(), method=method)
    origin = "http://" + headers["Host"]
    req.add_header("Origin", origin)
    req.add_header("Sec-Fetch-Site", "same-origin")
    if self.cookie:
        req.add_header("Cookie", self.cookie)
    for k, v in headers.items():
        req.add_header(k, v)
    try:
        with self.opener.open(req, timeout=15) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


if __name__ == "__main__":
    sys.exit(main())
