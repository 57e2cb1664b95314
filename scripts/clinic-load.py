#!/usr/bin/env python3
"""Load benchmarks of the clinic server at size: two servers behind HAProxy, wrk as the load.

Run scripts/clinic-fill.py first (it writes the database and the tokens file). Then this:
  1. starts two `unknot clinic serve` processes over that database and HAProxy in front
     (round robin), all on this machine;
  2. runs wrk (scripts/load/clinic.lua) through the balancer for each target named, one after
     another, each for --seconds, and prints requests per second, p50/p90/p99 and errors;
  3. for `soak`, runs the mixed load for --soak-seconds and samples both servers' resident
     memory (VmRSS) every 10 s.

Usage:  scripts/clinic-load.py --database unknot_fill [--binary target/release/unknot]
            [--targets dashboard,today,write,fhir,soak] [--seconds 30] [--soak-seconds 600]
            [--connections 16] [--threads 1] [--tokens /tmp/unknot-fill-tokens.csv]
Needs:  haproxy and wrk (Debian packages), PostgreSQL at 127.0.0.1:5432, python3 only.
Note:   on a 2-core machine wrk, HAProxy, PostgreSQL and both servers share the cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cluster", os.path.join(HERE, "clinic-cluster.py"))
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)

PG = os.environ.get("UNKNOT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
TARGETS = {
    # kind: (what, target p99 in ms, target requests per second or None)
    "dashboard": ("clinician dashboard, 200 patients", 50, 300),
    "today": ("patient Today page, uncached", 20, 1000),
    "api-today": ("patient /api/v1/today, uncached", 20, 1000),
    "write": ("POST /api/v1/entries", 30, 2000),
    "fhir": ("FHIR Observation?patient=…&_count=50", 30, None),
}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def sessions_for_clinicians(db, tokens, work):
    """Clinic pages take a browser session, not an API token: one signed-in session per
    clinician (second factor passed), written as `start_session` writes it, with the cookie
    value added to a copy of the tokens file as `session,account,cookie,clinic` lines."""
    import hashlib
    import secrets
    now = int(time.time() * 1000)
    out = os.path.join(work, "tokens.csv")
    rows = []
    with open(tokens) as f, open(out, "w") as o:
        for line in f:
            o.write(line)
            role, account, _, clinic = line.strip().split(",")
            if role != "clinician":
                continue
            cookie = secrets.token_urlsafe(32)
            o.write(f"session,{account},{cookie},{clinic}\n")
            h = hashlib.sha256(cookie.encode()).hexdigest()
            rows.append(f"('{h}', '{account}', {now}, {now}, {now + 12 * 3_600_000}, 1, "
                        f"'{secrets.token_urlsafe(24)}', '127.0.0.1', 'wrk')")
    cluster.psql(db, "INSERT INTO auth_sessions (id_hash, account_id, created_at_ms, last_seen_ms, "
                     "expires_at_ms, second_factor, csrf, address, agent) VALUES " + ", ".join(rows))
    return out


def wrk(kind, lb_port, tokens, seconds, connections, threads):
    script = os.path.join(HERE, "load", "clinic.lua")
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
           "-s", script, f"http://127.0.0.1:{lb_port}", "--", kind, tokens, f"localhost:{lb_port}"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.stderr.strip():
        print("  wrk:", out.stderr.strip()[:600])
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")


def verdict(kind, r):
    _, p99, rps = TARGETS[kind]
    errors = sum(r["errors"].values())
    ok = r["p99_ms"] < p99 and (rps is None or r["rps"] >= rps) and errors == 0
    want = f"p99 < {p99} ms" + (f" at >= {rps} req/s" if rps else "")
    return f"{'met' if ok else 'MISSED'} ({want})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="target/release/unknot")
    ap.add_argument("--database", default="unknot_fill")
    ap.add_argument("--tokens", default="/tmp/unknot-fill-tokens.csv")
    ap.add_argument("--targets", default="dashboard,today,write,fhir,soak")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--soak-seconds", type=int, default=600)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    db = PG.rsplit("/", 1)[0] + "/" + args.database
    work = tempfile.mkdtemp(prefix="unknot-load-")
    lb_port = cluster.free_port()
    ports = [cluster.free_port(), cluster.free_port()]
    public = f"http://localhost:{lb_port}/"
    env = dict(os.environ, UNKNOT_DATA_DIR=work)
    procs = []
    tokens = sessions_for_clinicians(db, args.tokens, work)
    try:
        for p in ports:
            log = open(os.path.join(work, f"server{p}.log"), "w")
            procs.append(subprocess.Popen(
                [binary, "clinic", "serve", "--database-url", db, "--port", str(p),
                 "--public-url", public, "--trust-proxy"], stdout=log, stderr=log, env=env))
            cluster.wait_for(p)
        cfg = os.path.join(work, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(f"""global
    maxconn 4000
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
    option forwardfor
frontend web
    bind 127.0.0.1:{lb_port}
    default_backend clinic
backend clinic
    balance roundrobin
    option httpchk GET /sign-in
    http-check send hdr Host localhost:{lb_port}
    default-server inter 2s fall 3 rise 2
    server a 127.0.0.1:{ports[0]} check
    server b 127.0.0.1:{ports[1]} check
""")
        lb = subprocess.Popen(["haproxy", "-f", cfg], stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(work, "haproxy.log"), "w"))
        procs.append(lb)
        cluster.wait_for(lb_port)
        time.sleep(2.5)
        for kind in args.targets.split(","):
            if kind == "soak":
                soak(args, lb_port, procs[:2], tokens)
                continue
            wrk(kind, lb_port, tokens, 3, args.connections, args.threads)  # warm-up
            r = wrk(kind, lb_port, tokens, args.seconds, args.connections, args.threads)
            print(f"{kind:10} {TARGETS[kind][0]}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, "
                  f"p90 {r['p90_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.0f} ms, "
                  f"{r['requests']} requests, errors {r['errors']} -> {verdict(kind, r)}", flush=True)
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()


def soak(args, lb_port, servers, tokens):
    """The mixed load for --soak-seconds, with both servers' RSS sampled every 10 s."""
    script = os.path.join(HERE, "load", "clinic.lua")
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d",
           f"{args.soak_seconds}s", "--timeout", "5s", "-s", script, f"http://127.0.0.1:{lb_port}",
           "--", "mix", tokens, f"localhost:{lb_port}"]
    w = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    start = time.time()
    while w.poll() is None:
        samples.append((round(time.time() - start), [rss_kib(s.pid) // 1024 for s in servers]))
        time.sleep(10)
    out, err = w.communicate()
    if err.strip():
        print("  wrk:", err.strip()[:600])
    r = next(json.loads(l[7:]) for l in out.splitlines() if l.startswith("RESULT "))
    print(f"soak       mixed 40/30/20/10 for {args.soak_seconds} s: {r['rps']:.0f} req/s, "
          f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, {r['requests']} requests, "
          f"errors {r['errors']}")
    print("  RSS MiB (s: server a, server b):",
          " ".join(f"{t}:{a}/{b}" for t, (a, b) in samples))


if __name__ == "__main__":
    sys.exit(main())
