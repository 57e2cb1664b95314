#!/usr/bin/env python3
"""Two clinic servers behind HAProxy over one PostgreSQL database, checked end to end.

What it does, on this machine:
  1. makes a fresh PostgreSQL database (dropped at the end),
  2. `unknot clinic init`, then two `unknot clinic serve` processes on their own ports,
  3. HAProxy in front of them (round robin, health checks on /sign-in),
  4. through the balancer: the owner's set-up link, a patient invited and signed up, and
     WRITES journal entries posted one after another, alternating servers;
  5. halfway, one server is killed with SIGKILL; the balancer routes around it, and the
     killed server is started again and rejoins;
  6. every write that was answered as stored must be in the database exactly once, and a
     write through one server must be visible through the other on the next request.

Usage:  scripts/clinic-cluster.py [--binary target/release/unknot] [--writes 400]
Needs:  haproxy (Debian package), PostgreSQL at 127.0.0.1:5432 (trust auth), python3 only.
Exit 0 when every check held; the numbers it prints go in docs/PERFORMANCE.md.
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

PG = os.environ.get("UNKNOT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(db, sql):
    return subprocess.run(["psql", db, "-Atc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def wait_for(port, deadline=20):
    end = time.time() + deadline
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


class Browser:
    """Same-origin headers and the session cookie, as a browser sends them. The cookie is kept
    by hand: it is `Secure`, which browsers honour on http://localhost but Python's cookie jar
    does not."""

    def __init__(self, base):
        self.base = base
        self.cookie = None
        no_redirect = type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                           {"redirect_request": lambda *a, **k: None})
        self.opener = urllib.request.build_opener(no_redirect)

    def send(self, method, path, form=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Origin", self.base)
        req.add_header("Sec-Fetch-Site", "same-origin")
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=15) as r:
                status, hdrs, body = r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, body = e.code, e.headers, e.read().decode()
        for c in hdrs.get_all("Set-Cookie") or []:
            pair = c.split(";", 1)[0]
            self.cookie = None if pair.endswith("=") else pair
        return status, hdrs, body

    def csrf(self, path):
        _, _, body = self.send("GET", path)
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        if not m:
            raise SystemExit(f"no form token on {path}")
        return m.group(1)


def totp(secret_b32, at=None):
    import base64
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="target/release/unknot")
    ap.add_argument("--writes", type=int, default=400)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: cargo build --release -p unknot")
    server_db = PG.rsplit("/", 1)[0] + f"/unknot_cluster_{os.getpid()}"
    admin_db = PG.rsplit("/", 1)[0] + "/postgres"
    psql(admin_db, f"CREATE DATABASE unknot_cluster_{os.getpid()}")
    work = tempfile.mkdtemp(prefix="unknot-cluster-")
    procs = {}
    lb_port = free_port()
    public = f"http://localhost:{lb_port}/"
    ports = [free_port(), free_port()]
    env = dict(os.environ, UNKNOT_DATA_DIR=work)

    def start(i):
        log = open(os.path.join(work, f"server{i}.log"), "a")
        procs[i] = subprocess.Popen(
            [binary, "clinic", "serve", "--database-url", server_db, "--port", str(ports[i]),
             "--public-url", public, "--trust-proxy"],
            stdout=log, stderr=log, env=env)
        wait_for(ports[i])

    try:
        out = subprocess.run(
            [binary, "clinic", "init", "--database-url", server_db, "--public-url", public,
             "--name", "Cluster Physio", "--owner-email", "owner@example.org", "--json"],
            check=True, capture_output=True, text=True, env=env).stdout
        setup = json.loads(out)["setup_link"]
        for i in (0, 1):
            start(i)
        cfg = os.path.join(work, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-server-close
    option forwardfor
    retries 2
    option redispatch
frontend web
    bind 127.0.0.1:{lb_port}
    default_backend clinic
backend clinic
    balance roundrobin
    option httpchk GET /sign-in
    http-check send hdr Host localhost:{lb_port}
    default-server inter 500ms fall 2 rise 2
    server a 127.0.0.1:{ports[0]} check
    server b 127.0.0.1:{ports[1]} check
""")
        procs["lb"] = subprocess.Popen(["haproxy", "-f", cfg], stdout=subprocess.DEVNULL,
                                       stderr=open(os.path.join(work, "haproxy.log"), "w"))
        wait_for(lb_port)
        time.sleep(1.5)
        base = public.rstrip("/")

        # The owner sets up through the balancer (sessions live in the database, so each
        # request may land on either server).
        owner = Browser(base)
        path = urllib.parse.urlparse(setup).path
        status, headers, body = owner.send("POST", path, {"login": "", "password": "plum kettle orbit lantern"})
        assert status == 303, (status, body[:300])
        _, _, page = owner.send("GET", "/account/second-factor")
        secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
        token = owner.csrf("/account/second-factor")
        status, _, body = owner.send("POST", "/account/second-factor", {"csrf": token, "code": totp(secret)})
        assert status == 200 and "recovery" in body.lower(), (status, body[:300])
        _, headers, _ = owner.send("GET", "/clinic")
        clinic_path = headers.get("Location") or "/clinic"
        _, _, page = owner.send("GET", clinic_path)
        clinic_id = re.search(r'/clinic/([0-9a-f-]{36})', page).group(1)
        token = owner.csrf(f"/clinic/{clinic_id}")
        status, _, body = owner.send("POST", f"/clinic/{clinic_id}/patients", {"csrf": token, "name": "Pat Cluster", "birth_year": ""})
        invite = re.search(r"(/invite/[A-Za-z0-9_-]{43})", body).group(1)
        patient = Browser(base)
        status, _, body = patient.send("POST", invite, {"login": "pat@example.org", "password": "crimson ladder quiet otter"})
        assert status == 303, (status, body[:300])
        form_token = patient.csrf("/journal")

        # Writes one after another through the balancer; halfway, server b is killed.
        acknowledged, failed, latencies = 0, 0, []
        killed_at = args.writes // 2
        for n in range(args.writes):
            if n == killed_at:
                procs[1].send_signal(signal.SIGKILL)
                procs[1].wait()
            if n == killed_at + args.writes // 4:
                start(1)
            t = time.perf_counter()
            status, _, _ = patient.send("POST", "/journal", {"csrf": form_token, "pain": str(n % 11), "note": f"cluster write {n}"})
            latencies.append(time.perf_counter() - t)
            if status == 303:
                acknowledged += 1
            else:
                failed += 1
        stored = int(psql(server_db, "SELECT count(*) FROM entries WHERE note LIKE 'cluster write %'"))
        distinct = int(psql(server_db, "SELECT count(DISTINCT note) FROM entries WHERE note LIKE 'cluster write %'"))
        latencies.sort()
        p50 = latencies[len(latencies) // 2] * 1000
        p99 = latencies[int(len(latencies) * 0.99)] * 1000
        print(f"writes sent {args.writes}, acknowledged {acknowledged}, refused {failed}, "
              f"stored {stored}, distinct {distinct}; p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        ok = stored >= acknowledged and distinct == stored
        # A write through one server is seen through the other on the next request (round
        # robin sends two requests in a row to different servers).
        seen = []
        for _ in (0, 1):
            status, _, body = patient.send("GET", "/api/v1/entries?limit=1")
            seen.append(json.loads(body)["entries"][0]["note"] if status == 200 else None)
        print(f"newest entry seen through the balancer twice: {seen}")
        ok = ok and seen[0] == seen[1] == f"cluster write {args.writes - 1}"
        print("all checks held" if ok else "A CHECK FAILED")
        return 0 if ok else 1
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        try:
            psql(admin_db, f"DROP DATABASE IF EXISTS unknot_cluster_{os.getpid()} WITH (FORCE)")
        except subprocess.CalledProcessError:
            pass


if __name__ == "__main__":
    sys.exit(main())
