#!/usr/bin/env python3
"""Fills a fresh clinic database on PostgreSQL with made-up patients, fast (COPY).

What it does:
  1. `unknot clinic init` on a new database (or the one given, which must be empty),
  2. one real server, briefly: the owner sets up (password and TOTP), invites one patient who
     signs up, and that patient writes an entry, an intake, a check-in and a session through
     the JSON API. Those rows, as the real app wrote them, are the templates;
  3. the server stops, and PostgreSQL's COPY writes N patients (accounts, confirmed care with a
     clinician, a programme, messages) and Y years of their journal: 2 entries a day (one of
     them a session's entry on session days), a session every other day, an intake and a
     weekly check-in, built from the templates with new ids, times and pain values;
  4. indexes are built after the load, then VACUUM ANALYZE (as autovacuum would).

Every patient and clinician gets a personal API token (read and write), written to --tokens as
`role,account_id,token,clinic_id` lines for the load scripts; every patient's password is the
template patient's ("crimson ladder quiet otter").

Usage:  scripts/clinic-fill.py --patients 2000 --years 2 --database unknot_fill \
            [--binary target/release/unknot] [--tokens /tmp/unknot-fill-tokens.csv]
Needs:  PostgreSQL at 127.0.0.1:5432 (trust auth; UNKNOT_TEST_POSTGRES_URL names the server),
        psql, python3 only. Prints the row counts, the time taken and the database's size.
"""

import argparse
import datetime
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cluster", os.path.join(HERE, "clinic-cluster.py"))
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)

PG = os.environ.get("UNKNOT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PATIENT_PASSWORD = "crimson ladder quiet otter"
PATIENTS_PER_CLINICIAN = 200
DAY_MS = 86_400_000


def uuid7(ms, rng):
    """A UUID version 7 (time first), as the app's ids are."""
    r = rng.getrandbits(74)
    hi = (ms << 16) | (0x7 << 12) | (r >> 62)
    lo = (0b10 << 62) | (r & ((1 << 62) - 1))
    h = f"{hi:016x}{lo:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def copy_text(value):
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Copier:
    """Streams rows to `COPY table (columns) FROM STDIN` through psql."""

    def __init__(self, db, table, columns):
        self.table = table
        self.proc = subprocess.Popen(
            ["psql", db, "-v", "ON_ERROR_STOP=1", "-qc",
             f"SET session_replication_role = replica; COPY {table} ({', '.join(columns)}) FROM STDIN"],
            stdin=subprocess.PIPE, text=True, bufsize=1 << 20)
        self.rows = 0
        self.buf = []

    def row(self, *values):
        self.buf.append("\t".join(copy_text(v) for v in values))
        self.rows += 1
        if len(self.buf) >= 20000:
            self.flush()

    def raw(self, line):
        """A row already in COPY text form."""
        self.buf.append(line)
        self.rows += 1
        if len(self.buf) >= 20000:
            self.flush()

    def flush(self):
        if self.buf:
            self.proc.stdin.write("\n".join(self.buf) + "\n")
            self.buf = []

    def close(self):
        self.flush()
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit(f"COPY into {self.table} failed")
        return self.rows


def rows_of(db, sql):
    out = subprocess.run(["psql", db, "-At", "-F", "\x1f", "-R", "\x1e", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [r.split("\x1f") for r in out.strip("\x1e\n").split("\x1e") if r]


def template(binary, db, work):
    """Runs the real server once and has one patient write one of each record; returns the
    clinic id, the owner's id and the template patient's rows."""
    port = cluster.free_port()
    public = f"http://localhost:{port}/"
    env = dict(os.environ, UNKNOT_DATA_DIR=work)
    out = subprocess.run(
        [binary, "clinic", "init", "--database-url", db, "--public-url", public,
         "--name", "Fill Physio", "--owner-email", "owner@fill.example", "--json"],
        check=True, capture_output=True, text=True, env=env).stdout
    setup = json.loads(out)["setup_link"]
    log = open(os.path.join(work, "template-server.log"), "w")
    server = subprocess.Popen([binary, "clinic", "serve", "--database-url", db, "--port", str(port),
                               "--public-url", public], stdout=log, stderr=log, env=env)
    try:
        cluster.wait_for(port)
        base = public.rstrip("/")
        owner = cluster.Browser(base)
        status, _, body = owner.send("POST", urllib.parse.urlparse(setup).path,
                                     {"login": "", "password": "plum kettle orbit lantern"})
        assert status == 303, (status, body[:300])
        _, _, page = owner.send("GET", "/account/second-factor")
        secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
        token = owner.csrf("/account/second-factor")
        status, _, body = owner.send("POST", "/account/second-factor",
                                     {"csrf": token, "code": cluster.totp(secret)})
        assert status == 200, (status, body[:300])
        clinic_id = rows_of(db, "SELECT id FROM clinics")[0][0]
        token = owner.csrf(f"/clinic/{clinic_id}")
        status, _, body = owner.send("POST", f"/clinic/{clinic_id}/patients",
                                     {"csrf": token, "name": "Template Patient", "birth_year": "1980"})
        invite = re.search(r"(/invite/[A-Za-z0-9_-]{43})", body).group(1)
        patient = cluster.Browser(base)
        status, _, body = patient.send("POST", invite, {"login": "template@fill.example",
                                                         "password": PATIENT_PASSWORD})
        assert status == 303, (status, body[:300])
        pid = rows_of(db, "SELECT id FROM accounts WHERE email = 'template@fill.example'")[0][0]
        api = "unk_fill_template_patient_token"
        write_token(db, pid, api, int(time.time() * 1000))
        bearer = {"Authorization": f"Bearer {api}", "Content-Type": "application/json"}

        def post(path, doc):
            req = urllib.request.Request(base + path, data=json.dumps(doc).encode(),
                                         method="POST", headers=bearer)
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status

        post("/api/v1/entries", {
            "pain": 5, "regions": [{"region": "lower-back", "pain": 5}],
            "knots": [{"muscle": "quadratus-lumborum", "side": "left", "tenderness": 6}],
            "note": "Stiff after a long day at the desk"})
        post("/api/v1/assessments", {"age": 45, "pain_now": 5, "regions": ["lower_back"],
                                     "onset_days": 30, "peg_pain": 5, "peg_enjoyment": 4,
                                     "peg_activity": 5})
        post("/api/v1/checkins", {"pain_now": 4, "peg_pain": 4, "peg_enjoyment": 3,
                                  "peg_activity": 4})
        post("/api/v1/sessions", {"items": [
            {"exercise": "bird-dog", "status": "done", "seconds": 90},
            {"exercise": "cat-camel", "status": "done", "seconds": 60},
            {"exercise": "dead-bug", "status": "skipped", "seconds": 0}],
            "pain_before": 4, "pain_after": 3})
    finally:
        server.terminate()
        server.wait(timeout=10)
    owner_id = rows_of(db, "SELECT account_id FROM memberships WHERE role = 'owner'")[0][0]
    return clinic_id, owner_id, pid


def write_token(db, account, token, now_ms):
    """An API token row as `create_token` writes it (only the token's SHA-256 is stored)."""
    import hashlib
    h = hashlib.sha256(token.encode()).hexdigest()
    cluster.psql(db, "INSERT INTO api_tokens (id, token_hash, account_id, name, scopes, created_at_ms) "
                     f"VALUES (gen_random_uuid()::text, '{h}', '{account}', 'load', 'read write', {now_ms})")


def zoned(ms, tz):
    """`Zoned` as jiff writes it: RFC 3339 with the offset, then the zone's name."""
    d = datetime.datetime.fromtimestamp(ms / 1000, tz)
    s = d.isoformat(timespec="milliseconds")
    return f"{s}[{tz.key}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default="target/release/unknot")
    ap.add_argument("--patients", type=int, default=200)
    ap.add_argument("--years", type=float, default=2.0)
    ap.add_argument("--database", default="unknot_fill")
    ap.add_argument("--tokens", default="/tmp/unknot-fill-tokens.csv")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--check", action="store_true",
                    help="then start the server on the filled database and check it reads the "
                         "rows (the dashboard, Today, FHIR), and drop the database (CI)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found: cargo build --release -p unknot")
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    db = PG.rsplit("/", 1)[0] + "/" + args.database
    cluster.psql(admin, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
    cluster.psql(admin, f"CREATE DATABASE {args.database}")
    work = tempfile.mkdtemp(prefix="unknot-fill-")
    started = time.time()
    clinic_id, owner_id, tpl = template(binary, db, work)
    print(f"template written through the server in {time.time() - started:.1f} s", flush=True)
    fill(db, args, clinic_id, owner_id, tpl)
    print(f"filled in {time.time() - started:.1f} s")
    for line in rows_of(db, "SELECT relname, n_live_tup FROM pg_stat_user_tables "
                            "WHERE n_live_tup > 0 ORDER BY n_live_tup DESC"):
        print(f"  {line[0]:20} {line[1]:>12}")
    print("database size:", rows_of(db, f"SELECT pg_size_pretty(pg_database_size('{args.database}'))")[0][0])
    print("entries with indexes:", rows_of(db, "SELECT pg_size_pretty(pg_total_relation_size('entries'))")[0][0])
    if args.check:
        try:
            check(binary, db, args)
        finally:
            cluster.psql(admin, f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def check(binary, db, args):
    """The real server reads what the fill wrote: the first clinician's dashboard lists every
    patient of theirs, a patient's Today page and API answer, and FHIR finds the patient's
    pain ratings (one Observation per rated entry and region)."""
    import hashlib
    import secrets
    port = cluster.free_port()
    base = f"http://localhost:{port}"
    work = tempfile.mkdtemp(prefix="unknot-fill-check-")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "clinic", "serve", "--database-url", db, "--port", str(port),
                               "--public-url", base + "/"], stdout=log, stderr=log,
                              env=dict(os.environ, UNKNOT_DATA_DIR=work))
    try:
        cluster.wait_for(port)
        lines = [l.strip().split(",") for l in open(args.tokens)][1:]
        clinician = next(l for l in lines if l[0] == "clinician")
        patient = next(l for l in lines if l[0] == "patient")
        cookie = secrets.token_urlsafe(32)
        now = int(time.time() * 1000)
        cluster.psql(db, "INSERT INTO auth_sessions (id_hash, account_id, created_at_ms, last_seen_ms, "
                         "expires_at_ms, second_factor, csrf, address, agent) VALUES "
                         f"('{hashlib.sha256(cookie.encode()).hexdigest()}', '{clinician[1]}', {now}, "
                         f"{now}, {now + 3_600_000}, 1, 'x', '127.0.0.1', 'check')")

        def get(path, headers):
            req = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()

        _, page = get(f"/clinic/{clinician[3]}/dashboard",
                      {"Cookie": f"__Host-unknot-session={cookie}"})
        mine = min(args.patients, PATIENTS_PER_CLINICIAN)
        listed = re.search(r"(\d+) patients? under your care", page)
        assert listed and int(listed.group(1)) == mine, (listed, page[:300])
        bearer = {"Authorization": f"Bearer {patient[2]}"}
        status, _ = get("/", bearer)
        assert status == 200
        _, today = get("/api/v1/today", dict(bearer, Accept="application/json"))
        json.loads(today)
        _, bundle = get(f"/fhir/Observation?patient={patient[1]}&_count=5",
                        {"Authorization": f"Bearer {clinician[2]}", "Accept": "application/fhir+json"})
        rated = int(rows_of(db, f"SELECT count(*) FROM entries WHERE user_id = '{patient[1]}' "
                                "AND pain IS NOT NULL")[0][0])
        total = json.loads(bundle)["total"]
        assert total >= rated, (total, rated)
        print(f"check: the dashboard lists {mine} patients; Today answers; FHIR finds {total} "
              f"observations for {rated} rated entries")
    finally:
        server.terminate()
        server.wait(timeout=10)


def fill(db, args, clinic_id, owner_id, tpl):
    rng = random.Random(args.seed)
    now_ms = int(time.time() * 1000)
    days = int(args.years * 365)
    start_day = now_ms // DAY_MS - days + 1  # UTC day numbers; the last day is today
    # The template patient's rows, as the app wrote them.
    acct = rows_of(db, f"SELECT password_hash, password_changed_at_ms FROM accounts WHERE id = '{tpl}'")[0]
    # The plain entry names a knot; the session's entry (the app writes one with each session)
    # names the treatments done.
    entry_tpl = rows_of(db, f"SELECT time_zone, details, note FROM entries WHERE user_id = '{tpl}' "
                            "AND details LIKE '%knots%'")[0]
    session_entry = rows_of(db, f"SELECT e.details, e.note, s.body, e.trend_facts FROM entries e, sessions s "
                                f"WHERE e.user_id = '{tpl}' AND s.user_id = '{tpl}' "
                                "AND e.details LIKE '%treatments%'")[0]
    intake = rows_of(db, f"SELECT body FROM assessments WHERE user_id = '{tpl}' AND kind = 'intake'")[0][0]
    checkin = rows_of(db, f"SELECT body FROM assessments WHERE user_id = '{tpl}' AND kind = 'checkin'")[0][0]
    plan = rows_of(db, f"SELECT body FROM plans WHERE user_id = '{tpl}' ORDER BY version LIMIT 1")
    zone_name = entry_tpl[0]
    tz = zoneinfo.ZoneInfo(zone_name if "/" in zone_name or zone_name == "UTC" else "UTC")
    try:
        # The zone the app dates entries in (a fixed offset such as +02:00 is not one Python
        # names: those rows are written without a date, and the app works it out).
        day_tz = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        day_tz = None
    details = json.loads(entry_tpl[1])
    # Pre-rendered details and session bodies for each pain value: the rows differ in ids,
    # times and pain, as a real journal's do.
    knots = [("quadratus-lumborum", "left"), ("upper-trapezius", "right"), ("rhomboids", "left")]
    detail_by = {}
    for pain in range(11):
        for k, (muscle, side) in enumerate(knots):
            d = json.loads(json.dumps(details))
            for r in d.get("regions", []):
                r["pain"] = pain
            for kn in d.get("knots", []):
                kn["muscle"], kn["side"], kn["tenderness"] = muscle, side, min(10, pain + 1)
            # What the app copies into trend_facts: the knots without where they spread, and
            # the context (migration 0016).
            facts = {k: v for k, v in (
                ("knots", [{f: kn[f] for f in ("muscle", "side", "tenderness")} for kn in d.get("knots", [])]),
                ("context", d.get("context") or {})) if v}
            detail_by[(pain, k)] = (copy_text(json.dumps(d, separators=(",", ":"))),
                                    copy_text(json.dumps(facts, separators=(",", ":"))))
    s_details, s_note, s_body = copy_text(session_entry[0]), session_entry[1], json.loads(session_entry[2])
    s_details = (s_details, copy_text(session_entry[3]))
    intake_doc, checkin_doc = json.loads(intake), json.loads(checkin)
    note = copy_text(entry_tpl[2])
    tokens = open(args.tokens, "w")
    tokens.write("role,account_id,token,clinic_id\n")
    # Indexes are built once after the load (much faster than row by row); foreign keys are
    # not checked during COPY (session_replication_role), the rows are consistent by making.
    cluster.psql(db, "ALTER TABLE entries DROP CONSTRAINT entries_pkey; DROP INDEX entries_by_user_time; "
                     "ALTER TABLE sessions DROP CONSTRAINT sessions_pkey; DROP INDEX sessions_by_user_time; "
                     "ALTER TABLE assessments DROP CONSTRAINT assessments_pkey; DROP INDEX assessments_by_user_time")
    c = {
        "users": Copier(db, "users", ["id", "display_name", "created_at_ms"]),
        "accounts": Copier(db, "accounts", ["id", "email", "display_name", "birth_year", "password_hash",
                                            "password_changed_at_ms", "totp_enabled", "created_at_ms"]),
        "memberships": Copier(db, "memberships", ["clinic_id", "account_id", "role", "created_at_ms"]),
        "care": Copier(db, "care", ["id", "clinic_id", "patient_id", "clinician_id", "status",
                                    "created_at_ms", "changed_at_ms"]),
        "api_tokens": Copier(db, "api_tokens", ["id", "token_hash", "account_id", "name", "scopes",
                                                "created_at_ms"]),
        "programmes": Copier(db, "programmes", ["id", "clinic_id", "patient_id", "owner_id", "kind", "active",
                                                "version", "created_at_ms", "changed_at_ms"]),
        "programme_versions": Copier(db, "programme_versions", ["programme_id", "version", "body", "changes",
                                                                "author_id", "created_at_ms"]),
        "messages": Copier(db, "messages", ["id", "care_id", "clinic_id", "patient_id", "sender_id",
                                            "from_patient", "body", "at_ms", "read_at_ms"]),
        "plans": Copier(db, "plans", ["id", "user_id", "version", "created_at_ms", "body"]),
        "entries": Copier(db, "entries", ["id", "user_id", "at_ms", "time_zone", "pain", "details", "note",
                                          "created_at_ms", "updated_at_ms", "local_day", "trend_facts",
                                          "facts_at_ms"]),
        "sessions": Copier(db, "sessions", ["id", "user_id", "at_ms", "time_zone", "body"]),
        "assessments": Copier(db, "assessments", ["id", "user_id", "kind", "at_ms", "time_zone", "body"]),
    }
    import hashlib
    clinicians = []
    start_ms = start_day * DAY_MS
    for i in range((args.patients + PATIENTS_PER_CLINICIAN - 1) // PATIENTS_PER_CLINICIAN):
        cid = uuid7(start_ms - DAY_MS, rng)
        clinicians.append(cid)
        c["users"].row(cid, None, start_ms - DAY_MS)
        c["accounts"].row(cid, f"clinician{i}@fill.example", f"Clinician {i:03d}", None, acct[0],
                          acct[1], 0, start_ms - DAY_MS)
        c["memberships"].row(clinic_id, cid, "clinician", start_ms - DAY_MS)
        tok = f"unk_fill_clinician_{i}_{rng.getrandbits(64):016x}"
        c["api_tokens"].row(uuid7(now_ms, rng), hashlib.sha256(tok.encode()).hexdigest(), cid, "load",
                            "read write", now_ms)
        tokens.write(f"clinician,{cid},{tok},{clinic_id}\n")
    exercises = [i["exercise"] for i in s_body["items"]]
    for n in range(args.patients):
        pid = uuid7(start_ms, rng)
        clinician = clinicians[n // PATIENTS_PER_CLINICIAN]
        c["users"].row(pid, None, start_ms)
        c["accounts"].row(pid, f"patient{n}@fill.example", f"Patient {n:05d}", 1950 + n % 50, acct[0],
                          acct[1], 0, start_ms)
        care_id = uuid7(start_ms, rng)
        c["care"].row(care_id, clinic_id, pid, clinician, "confirmed", start_ms, start_ms)
        tok = f"unk_fill_patient_{n}_{rng.getrandbits(64):016x}"
        c["api_tokens"].row(uuid7(now_ms, rng), hashlib.sha256(tok.encode()).hexdigest(), pid, "load",
                            "read write", now_ms)
        tokens.write(f"patient,{pid},{tok},{clinic_id}\n")
        prog = uuid7(start_ms, rng)
        c["programmes"].row(prog, clinic_id, pid, None, "patient", 1, 1, start_ms, start_ms)
        body = {"name": f"Back basics {n % 7 + 1}",
                "items": [{"exercise": e, "sets": 2, "reps": 10, "per_side": e == "bird-dog",
                           "rest_seconds": 30} for e in exercises],
                "schedule": {"days": ["mon", "wed", "fri"], "times_per_day": 1,
                             "start": datetime.date.fromtimestamp(start_ms / 1000).isoformat()}}
        c["programme_versions"].row(prog, 1, json.dumps(body), "[]", clinician, start_ms)
        if plan:
            c["plans"].row(uuid7(start_ms, rng), pid, 1, start_ms, plan[0][0])
        for k in range(n % 3):
            at = now_ms - (k + 1) * 3_600_000
            c["messages"].row(uuid7(at, rng), care_id, clinic_id, pid, pid, 1,
                              "Is it normal that the bird-dog pulls a little?", at,
                              None if k == 0 else at + 60_000)
        journal(c, rng, pid, start_day, days, now_ms, tz, day_tz, zone_name, detail_by, note, s_details,
                s_note, s_body, intake_doc, checkin_doc, n)
        if n % 500 == 499:
            print(f"  {n + 1} patients, {c['entries'].rows} entries", flush=True)
    tokens.close()
    for k in c:
        c[k].close()
    cluster.psql(db, "ALTER TABLE entries ADD PRIMARY KEY (id); "
                     "CREATE INDEX entries_by_user_time ON entries (user_id, at_ms); "
                     "ALTER TABLE sessions ADD PRIMARY KEY (id); "
                     "CREATE INDEX sessions_by_user_time ON sessions (user_id, at_ms); "
                     "ALTER TABLE assessments ADD PRIMARY KEY (id); "
                     "CREATE INDEX assessments_by_user_time ON assessments (user_id, at_ms)")
    # VACUUM as autovacuum would after a load this size (its insert threshold): it sets the
    # visibility map, so index-only scans (Today's entry times) need not visit the table.
    cluster.psql(db, "VACUUM ANALYZE")
    # Everything here is in memory or on an SSD: PostgreSQL's default random_page_cost (4,
    # for spinning disks) made it scan every patient's assessments rather than use the index
    # for a caseload of 200 (docs/PERFORMANCE.md, "The clinic at size").
    cluster.psql(db, f"ALTER DATABASE {args.database} SET random_page_cost = 1.1")


def journal(c, rng, pid, start_day, days, now_ms, tz, day_tz, zone_name, detail_by, note, s_details,
            s_note, s_body, intake_doc, checkin_doc, n):
    """One patient's journal: two entries a day (the evening one a session's on session days),
    a session every other day, an intake on the first day and a check-in each week. Pain drifts
    from a baseline; one patient in ten gets worse (an alert), one in twenty has stopped
    logging a few days ago (inactivity)."""
    base = 3 + n % 5
    drift = 3 if n % 10 == 0 else -2
    stopped = (n % 20 == 1) and 4 or 0
    zone = copy_text(zone_name)
    uid = pid
    e = c["entries"]
    days_of = {}

    def local_day(at):
        """The entry's date in its zone as the app stores it (yyyymmdd), by quarter hour: every
        zone's offset is a whole number of quarter hours. Unknown (NULL, so the app dates the
        row from its time and zone) when the template's zone is not one Python can read."""
        if day_tz is None:
            return "\\N"
        q = at // 900_000
        if q not in days_of:
            days_of[q] = datetime.datetime.fromtimestamp(q * 900, day_tz).strftime("%Y%m%d")
        return days_of[q]

    for d in range(days - stopped):
        day_ms = (start_day + d) * DAY_MS
        pain = max(0, min(10, round(base + drift * d / days + rng.uniform(-1.5, 1.5))))
        at = day_ms + 8 * 3_600_000 + rng.randrange(3_600_000)
        details, facts = detail_by[(pain, d % 3)]
        e.raw(f"{uuid7(at, rng)}\t{uid}\t{at}\t{zone}\t{pain}\t{details}\t"
              f"{note if d % 5 == 0 else chr(92) + 'N'}\t{at}\t{at}\t{local_day(at)}\t{facts}\t{at}")
        at2 = day_ms + 18 * 3_600_000 + rng.randrange(3_600_000)
        if at2 > now_ms:
            at2 = now_ms - 60_000
        if d % 2 == 0:
            sid = uuid7(at2, rng)
            body = dict(s_body)
            body["id"], body["at"] = sid, zoned(at2, tz)
            body["items"] = [dict(i, status="done" if rng.random() < 0.8 else "skipped") for i in s_body["items"]]
            if "pain_before" in body:
                body["pain_before"], body["pain_after"] = pain, max(0, pain - 1)
            c["sessions"].row(sid, uid, at2, zone_name, json.dumps(body, separators=(",", ":")))
            e.raw(f"{sid}\t{uid}\t{at2}\t{zone}\t{max(0, pain - 1)}\t{s_details[0]}\t{copy_text(s_note)}\t"
                  f"{at2}\t{at2}\t{local_day(at2)}\t{s_details[1]}\t{at2}")
        else:
            pain2 = max(0, min(10, pain + rng.choice((-1, 0, 0, 1))))
            details, facts = detail_by[(pain2, (d + 1) % 3)]
            e.raw(f"{uuid7(at2, rng)}\t{uid}\t{at2}\t{zone}\t{pain2}\t{details}\t"
                  f"\\N\t{at2}\t{at2}\t{local_day(at2)}\t{facts}\t{at2}")
        if d == 0 or d % 7 == 0:
            doc = json.loads(json.dumps(intake_doc if d == 0 else checkin_doc))
            aid = uuid7(at + 1, rng)
            doc["id"], doc["at"] = aid, zoned(at + 1, tz)
            ans = doc.get("answers", {})
            for k in ("pain_now", "peg_pain"):
                if k in ans:
                    ans[k] = pain
            c["assessments"].row(aid, uid, "intake" if d == 0 else "checkin", at + 1, zone_name,
                                 json.dumps(doc, separators=(",", ":")))


if __name__ == "__main__":
    sys.exit(main())
