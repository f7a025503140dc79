#!/usr/bin/env python3
"""Several `swath serve` processes on one PostgreSQL database.

The PostgreSQL store exists so that many API servers can share one database.
This script starts one throw-away cluster (Tests/support/postgres_cluster.py)
and checks what sharing must guarantee, each as a named check that prints
PASS or FAIL with the values it measured:

  1. 200 annotators claiming at once through two servers: every task goes to
     exactly one annotator, and the database says the same.
  2. k = 3 consensus through two servers: every task gets exactly 3 submitted
     turns by 3 different annotators, and its consensus is made exactly once.
  3. `kill -9` of one server while labels are saved through both: every
     acknowledged save is in the database; the other server keeps working.
  4. A token revoked through server A (or by the CLI) is refused by server B
     within 1 s (the token cache's lifetime).
  5. The database stops under load and comes back: 503 while it is away (never
     500, never a hang), success again within a few seconds, no acknowledged
     save lost.
  6. `swath admin migrate-db` round trip: every GET answer of a SQLite-backed
     server is the same from a server on the migrated PostgreSQL database,
     with the same tokens; a non-empty target is refused without the password.

Run from the repository root:  .venv/bin/python Tests/cluster/test_many_servers.py
Environment: SWATH_BIN (default .build/debug/swath); SWATH_KEEP_TMP=1 keeps the
temporary folder (server logs, the SQLite database), which is kept anyway when
a check fails. Servers listen on 127.0.0.1 only and are stopped whatever
happens. The exit status is 1 when any check failed.
"""

import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'support'))
from postgres_cluster import PostgresCluster  # noqa: E402
from swath_process import SwathProcess  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
BIN = os.path.abspath(os.environ.get('SWATH_BIN', os.path.join(REPO, '.build', 'debug', 'swath')))
FIXTURE = os.path.join(REPO, 'Fixtures', 'utm_multiband.tif')
# 64 is the smallest task size a project allows; half of it as overlap makes a
# 32-pixel stride, so the 256 × 192 fixture gives a few dozen tasks.
TILE, OVERLAP = 64, 32
CLASS = 'building'          # standard taxonomy
HTTP_TIMEOUT = 12           # a request slower than this counts as a hang
OUTAGE_SECONDS = 11         # check 5: longer than the 10 s hang limit
STATUSES = ('open', 'in_progress', 'submitted', 'accepted', 'rejected')


class CheckError(Exception):
    """Setup inside a check failed: the check fails with this message, the others still run."""


# --- reporting -------------------------------------------------------------------------

class Report:
    """PASS/FAIL lines with what was measured; `failed` decides the exit status."""

    def __init__(self):
        self.passed = 0
        self.failed = []

    def expect(self, name, ok, measured):
        print(f'  {"PASS" if ok else "FAIL"}  {name}: {measured}', flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(f'{name}: {measured}')
        return ok

    def run(self, title, check, *args):
        """One numbered check; a crash inside it is one more failure, and the next check still runs."""
        print(f'\n{title}', flush=True)
        started = time.monotonic()
        try:
            check(self, *args)
        except Exception as error:  # noqa: BLE001 - any crash is a failure of this check only
            traceback.print_exc()
            self.expect(f'{title} ran to the end', False, f'{type(error).__name__}: {error}')
        print(f'  ({time.monotonic() - started:.1f} s)', flush=True)


# --- HTTP ----------------------------------------------------------------------------------

def call(base, token, method, path, body=None, timeout=HTTP_TIMEOUT):
    """(status, parsed JSON or raw bytes, seconds). Never raises: status is None when the
    connection failed or timed out, and the reply is then the error's text."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header('Authorization', f'Bearer {token}')
    if data is not None:
        request.add_header('Content-Type', 'application/json')
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (OSError, urllib.error.URLError) as error:   # refused, reset, timed out
        return None, f'{type(error).__name__}: {error}', time.monotonic() - started
    elapsed = time.monotonic() - started
    try:
        return status, (json.loads(raw) if raw else raw), elapsed
    except ValueError:
        return status, raw, elapsed


def must(base, token, method, path, body=None, expect=(200, 201, 204)):
    """A setup request that has to succeed."""
    status, reply, _ = call(base, token, method, path, body)
    if status not in expect:
        raise CheckError(f'{method} {path} answered {status}: {reply!r:.300}')
    return reply


def labels_body(task, rng):
    """One box well inside the task's footprint, a little different every time (lon/lat)."""
    rings = task['footprintWGS84']['coordinates']
    points = [p for ring in (rings if task['footprintWGS84']['type'] == 'Polygon' else [r for poly in rings for r in poly])
              for p in ring]
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    fx0, fx1 = sorted(rng.uniform(0.15, 0.85) for _ in range(2))
    fy0, fy1 = sorted(rng.uniform(0.15, 0.85) for _ in range(2))
    fx1, fy1 = max(fx1, fx0 + 0.1), max(fy1, fy0 + 0.1)
    a, b = x0 + (x1 - x0) * fx0, x0 + (x1 - x0) * fx1
    c, d = y0 + (y1 - y0) * fy0, y0 + (y1 - y0) * fy1
    ring = [[a, c], [b, c], [b, d], [a, d], [a, c]]
    return {'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'geometry': {'type': 'Polygon', 'coordinates': [ring]},
         'properties': {'class': CLASS, 'secondsSpent': 20}}]}


def in_parallel(count, work, threads=16):
    """work(i) for i in range(count) on a few threads; the results in order (exceptions re-raised)."""
    results = [None] * count
    errors = []
    lock = threading.Lock()
    counter = iter(range(count))

    def worker():
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            try:
                results[index] = work(index)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
                return

    pool = [threading.Thread(target=worker) for _ in range(min(threads, count))]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]
    return results


# --- servers and the world --------------------------------------------------------------------

class Server(SwathProcess):
    """`swath serve --host 127.0.0.1 --port 0 --db URL`, its log in a folder of its own."""

    def __init__(self, name, db, tmp):
        folder = os.path.join(tmp, name)
        os.makedirs(folder, exist_ok=True)
        super().__init__(BIN, folder, error=CheckError)
        self.name = name
        self.db = db

    def kill9(self):
        self.server.kill()      # SIGKILL: no graceful shutdown, nothing flushed
        self.server.wait()


class World:
    """The cluster, one database with an admin, and the servers started so far (all stopped at the end)."""

    def __init__(self, pg, tmp):
        self.pg = pg
        self.tmp = tmp
        self.servers = []
        self.cli = SwathProcess(BIN, tmp, error=CheckError)
        self.url = self.admin = self.a = self.b = None

    def setup(self):
        """The database, its admin (by the CLI, as an operator would) and servers A and B on it."""
        self.url = self.pg.create_database('many')
        self.admin = self.cli.run_json('admin', 'create-user', '--db', self.url, '--name', 'admin', '--admin')['token']
        self.a = self.serve('a')
        self.b = self.serve('b')

    def serve(self, name, db=None):
        server = Server(name, db or self.url, self.tmp)
        self.servers.append(server)
        server.start()
        print(f'  server {name} at {server.base_url} (log {server.log_path})', flush=True)
        return server

    def stop_all(self):
        for server in self.servers:
            try:
                server.stop()
            except Exception:  # noqa: BLE001 - stop every one of them
                traceback.print_exc()

    def sql(self, query):
        """Rows of psql's -At output, each split on '|'."""
        out = self.pg.psql(self.url, query)
        return [line.split('|') for line in out.splitlines() if line]

    def project(self, codename, annotators, labels_per_task=1):
        """A project over HTTP with the fixture scene in TILE/OVERLAP tasks and `annotators` new
        annotators; (project id, [(user id, token)])."""
        base = self.a.base_url
        project = must(base, self.admin, 'POST', '/api/v1/projects',
                       {'customer': f'Customer of {codename}', 'codename': codename, 'labelsPerTask': labels_per_task,
                        'goldRate': 0})['id']
        must(base, self.admin, 'POST', f'/api/v1/projects/{project}/scenes',
             {'uri': FIXTURE, 'tileSize': TILE, 'overlap': OVERLAP})
        return project, self.annotators(project, annotators, codename.lower())

    def annotators(self, project, count, prefix):
        """`count` users made over HTTP, each an annotator of the project; alternately through A and B."""
        def make(i):
            base = (self.a, self.b)[i % 2].base_url
            user = must(base, self.admin, 'POST', '/api/v1/users', {'name': f'{prefix} annotator {i}'})
            must(base, self.admin, 'POST', f'/api/v1/projects/{project}/members', {'userId': user['id'], 'role': 'annotator'})
            return user['id'], user['token']
        return in_parallel(count, make)

    def missing_labels(self, ids):
        """Acknowledged label ids with no row in `labels`."""
        if not ids:
            return []
        array = ','.join(str(i) for i in sorted(set(ids)))
        rows = self.sql(f"SELECT x FROM unnest('{{{array}}}'::bigint[]) AS x EXCEPT SELECT id FROM labels ORDER BY 1")
        return [int(row[0]) for row in rows]

    def current_labels(self, task_ids):
        """task id → set of its current (not superseded) label ids."""
        current = {task: set() for task in task_ids}
        listed = ','.join(str(t) for t in task_ids)
        for task, label in self.sql(f'SELECT task_id, id FROM labels WHERE superseded_at IS NULL AND task_id IN ({listed})'):
            current[int(task)].add(int(label))
        return current


def expected_task_count():
    """Tasks the fixture makes, from GDAL's own reading of its size: per axis one tile,
    plus enough strides to reach the edge (tiles past it are padded, not dropped)."""
    info = json.loads(subprocess.run(['gdalinfo', '-json', FIXTURE], capture_output=True, text=True, check=True).stdout)
    width, height = info['size']
    stride = TILE - OVERLAP

    def along(extent):
        return 1 if extent <= TILE else 1 + math.ceil((extent - TILE) / stride)
    return along(width) * along(height), (width, height)


# --- 1. concurrent claims -----------------------------------------------------------------------

def check_claims(report, world):
    """200 annotators claim at the same moment, alternately through A and B. FOR UPDATE SKIP
    LOCKED in one database has to give each task to exactly one of them, whichever server
    they went through; the rest get 204 (no open task)."""
    expected, size = expected_task_count()
    project, annotators = world.project('CLAIMS', 200)
    start = threading.Barrier(len(annotators))
    outcomes = [None] * len(annotators)

    def claim(i):
        user_id, token = annotators[i]
        start.wait()   # all 200 requests leave together
        status, reply, seconds = call((world.a, world.b)[i % 2].base_url, token, 'POST', f'/api/v1/projects/{project}/tasks/claim')
        outcomes[i] = (user_id, status, reply, seconds)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(annotators))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    claimed = {}   # task id → [user ids]
    statuses = {}
    for user_id, status, reply, _ in outcomes:
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            claimed.setdefault(reply['id'], []).append(user_id)
    successes = statuses.get(200, 0)
    slowest = max(o[3] for o in outcomes)
    report.expect('1a. every claim answered 200 or 204', set(statuses) <= {200, 204},
                  f'statuses {dict(sorted(statuses.items(), key=str))}, slowest {slowest:.2f} s')
    report.expect('1b. successful claims = task count', successes == expected,
                  f'{successes} claims succeeded; the fixture is {size[0]}×{size[1]} px, tasks {TILE} px every '
                  f'{TILE - OVERLAP} px → {expected} tasks')
    doubled = {task: users for task, users in claimed.items() if len(users) > 1}
    report.expect('1c. no task handed to two annotators', not doubled and len(claimed) == successes,
                  f'{len(claimed)} distinct tasks in {successes} claims; given twice: {doubled or "none"}')

    rows = world.sql(f'SELECT id, status, assignee_id FROM tasks WHERE project_id = {project}')
    in_progress = {int(task): int(user) for task, status, user in rows if status == 'in_progress'}
    report.expect('1d. database agrees',
                  len(rows) == expected and in_progress == {task: users[0] for task, users in claimed.items()}
                  and len(set(in_progress.values())) == len(in_progress),
                  f'{len(rows)} tasks, {len(in_progress)} in_progress with {len(set(in_progress.values()))} distinct '
                  f'assignees, {"matching" if in_progress == {t: u[0] for t, u in claimed.items()} else "NOT matching"} '
                  f'the claims the clients received')


# --- 2. consensus with k = 3 ----------------------------------------------------------------------

def check_consensus(report, world):
    """k = 3 through both servers: an annotator claims through one server and saves and submits
    through the other, so leases, turns and the k-th submission are all shared state. Every
    task must end with exactly 3 submitted turns by 3 people, and one consensus each even
    though two servers could each see "the k-th submission is in"."""
    expected, _ = expected_task_count()
    cli = world.cli
    # The brief's way in: the CLI, on the live database beside the running servers.
    project = cli.run_json('admin', 'create-project', '--db', world.url, '--customer', 'Consensus Customer',
                           '--codename', 'CONSENSUS', '--tile-size', str(TILE), '--overlap', str(OVERLAP),
                           '--labels-per-task', '3')['id']
    cli.run_json('ingest', '--db', world.url, '--project', str(project), '--tile-size', str(TILE),
                 '--overlap', str(OVERLAP), '--no-overviews', FIXTURE)
    # Gold tasks are none, but no claim should wait on the gold draw either.
    must(world.a.base_url, world.admin, 'PATCH', f'/api/v1/projects/{project}/settings', {'goldRate': 0})
    annotators = world.annotators(project, 10, 'consensus')
    turns = []          # (task id, user id) per submitted turn, as the clients saw them
    problems = []       # unexpected answers
    lock = threading.Lock()

    def annotate(i):
        user_id, token = annotators[i]
        claim_via, work_via = (world.a, world.b)[i % 2].base_url, (world.b, world.a)[i % 2].base_url
        rng = random.Random(i)
        while True:
            status, task, _ = call(claim_via, token, 'POST', f'/api/v1/projects/{project}/tasks/claim')
            if status == 204:
                return   # nothing left this annotator has not done
            if status != 200:
                with lock:
                    problems.append(f'claim by {user_id}: {status} {task!r:.200}')
                return
            steps = [('PUT', f'/api/v1/tasks/{task["id"]}/labels', labels_body(task, rng)),
                     ('POST', f'/api/v1/tasks/{task["id"]}/submit', None)]
            for method, path, body in steps:
                status, reply, _ = call(work_via, token, method, path, body)
                if status != 200:
                    with lock:
                        problems.append(f'{method} {path} by {user_id}: {status} {reply!r:.200}')
                    return
            with lock:
                turns.append((task['id'], user_id))

    started = time.monotonic()
    in_parallel(len(annotators), annotate, threads=len(annotators))
    worked = time.monotonic() - started
    report.expect('2a. every claim, save and submit answered 200 (204 at the end)', not problems,
                  f'{len(turns)} turns submitted in {worked:.1f} s; problems: {problems[:3] or "none"}')
    twice = len(turns) - len(set(turns))
    report.expect('2b. no annotator got one task twice (client side)', twice == 0, f'{twice} repeated (task, annotator) turns')

    rows = world.sql(f"""SELECT t.id, t.status,
                            count(a.id) FILTER (WHERE a.status = 'submitted'),
                            count(DISTINCT a.user_id) FILTER (WHERE a.status = 'submitted')
                         FROM tasks t LEFT JOIN assignments a ON a.task_id = t.id
                         WHERE t.project_id = {project} GROUP BY t.id, t.status ORDER BY t.id""")
    wrong = [row for row in rows if row[2] != '3' or row[3] != '3']
    by_status = {}
    for row in rows:
        by_status[row[1]] = by_status.get(row[1], 0) + 1
    report.expect('2c. every task: 3 submitted turns by 3 different annotators (assignments table)',
                  len(rows) == expected and not wrong,
                  f'{len(rows)} tasks (expected {expected}), statuses {by_status}; '
                  f'wrong (task, status, turns, annotators): {wrong[:5] or "none"}')

    # The consensus may be made just after the k-th submit answers: wait a little for it.
    deadline = time.monotonic() + 10
    while True:
        events = world.sql(f"""SELECT t.id, count(e.id) FROM tasks t
                               LEFT JOIN audit_events e ON e.entity = 'task' AND e.entity_id = t.id AND e.action = 'task.consensus'
                               WHERE t.project_id = {project} GROUP BY t.id ORDER BY t.id""")
        counts = {int(task): int(n) for task, n in events}
        if all(n >= 1 for n in counts.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    histogram = {}
    for n in counts.values():
        histogram[n] = histogram.get(n, 0) + 1
    report.expect('2d. one task.consensus audit event per task', len(counts) == expected and set(counts.values()) == {1},
                  f'tasks by number of consensus events: {histogram}; '
                  f'not exactly one: {[t for t, n in counts.items() if n != 1][:10] or "none"}')


# --- saving under fire: shared by checks 3 and 5 ------------------------------------------------------

class Savers:
    """Annotators holding one task each, saving their labels again and again on threads until
    stopped. Every answer is recorded with its time; a 200 with the label ids it returned."""

    def __init__(self, world, project, annotators, servers):
        self.world = world
        self.results = []           # (finished at, server name, status, seconds, reason)
        self.acked = []             # (finished at, task id, [label ids])
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.holders = []           # (token, task, [servers in order of preference])
        for i, (_, token) in enumerate(annotators):
            task = must(servers[0].base_url, token, 'POST', f'/api/v1/projects/{project}/tasks/claim')
            self.holders.append((token, task, servers[i % len(servers):] + servers[:i % len(servers)]))
        self.threads = [threading.Thread(target=self.save, args=(i,)) for i in range(len(self.holders))]

    def save(self, i):
        token, task, servers = self.holders[i]
        rng = random.Random(1000 + i)
        choice = 0
        while not self.stop.is_set():
            server = servers[choice]
            status, reply, seconds = call(server.base_url, token, 'PUT', f'/api/v1/tasks/{task["id"]}/labels',
                                          labels_body(task, rng))
            now = time.monotonic()
            reason = reply.get('reason', '') if isinstance(reply, dict) else str(reply)[:120]
            with self.lock:
                self.results.append((now, server.name, status, seconds, reason))
                if status == 200:
                    self.acked.append((now, task['id'], [feature['id'] for feature in reply['features']]))
            if status is None:
                # A load balancer would send the next request elsewhere: so does this annotator.
                choice = (choice + 1) % len(servers)
                time.sleep(0.05)
            elif status != 200:
                time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()
        return False

    def acked_ids(self):
        return [label for _, _, labels in self.acked for label in labels]

    def last_acked(self):
        """task id → the label ids of its last acknowledged save."""
        last = {}
        for _, task, labels in sorted(self.acked):
            last[task] = set(labels)
        return last

    def check_durable(self, report, name):
        """Every acknowledged label is stored, and each task's current labels are its last acknowledged save."""
        ids = self.acked_ids()
        missing = self.world.missing_labels(ids)
        report.expect(f'{name}: every acknowledged save is in the database', not missing,
                      f'{len(self.acked)} saves acknowledged ({len(ids)} label ids); missing from labels: {missing[:10] or "none"}')
        last = self.last_acked()
        current = self.world.current_labels(sorted(last))
        differ = {task: (sorted(last[task]), sorted(current[task])) for task in last if last[task] != current[task]}
        report.expect(f'{name}: each task\'s current labels are its last acknowledged save', not differ,
                      f'{len(last)} tasks; differing (acknowledged, current): {dict(list(differ.items())[:3]) or "none"}')


# --- 3. kill -9 ------------------------------------------------------------------------------------------

def check_kill(report, world):
    """kill -9 of B while 12 annotators save through A and B. Whatever B acknowledged was
    committed before the answer left, so it must be in the database; A must not notice."""
    project, annotators = world.project('KILL', 12)
    with Savers(world, project, annotators, [world.a, world.b]) as savers:
        time.sleep(1.5)
        killed_at = time.monotonic()
        world.b.kill9()
        time.sleep(1.5)
    acked_by = {'a': 0, 'b': 0}
    for at, name, status, _, _ in savers.results:
        if status == 200:
            acked_by[name] += 1
    after_kill_a = [r for r in savers.results if r[1] == 'a' and r[0] > killed_at]
    refused_b = [r for r in savers.results if r[1] == 'b' and r[2] is None]
    report.expect('3a. saves acknowledged by both servers before the kill', acked_by['a'] > 0 and acked_by['b'] > 0,
                  f'A {acked_by["a"]}, B {acked_by["b"]} acknowledged; B refused {len(refused_b)} after its kill -9')
    savers.check_durable(report, '3b')
    bad_a = [r for r in savers.results if r[1] == 'a' and r[2] != 200]
    report.expect('3c. the surviving server keeps working', not bad_a and len(after_kill_a) > 0
                  and call(world.a.base_url, None, 'GET', '/healthz')[0] == 200,
                  f'A answered {len(after_kill_a)} saves after the kill (B\'s annotators moved over), '
                  f'non-200 from A: {[r[2:] for r in bad_a[:3]] or "none"}')
    # Another B for the checks that follow, on the same database.
    world.b = world.serve('b2')


# --- 4. revocation across servers ---------------------------------------------------------------------------

def poll_me(server, token, stop, seen):
    """GET /me on `server` until stopped; appends (sent at, answered at, status) to `seen`."""
    while not stop.is_set():
        sent = time.monotonic()
        status, _, _ = call(server.base_url, token, 'GET', '/api/v1/me')
        seen.append((sent, time.monotonic(), status))
        time.sleep(0.005)


def measure_revocation(report, world, revoke, how, limits):
    """Pollers keep each server's token cache warm with a fresh user's token; `revoke(user id)`
    returns the moment the revocation was acknowledged. Per server, every request sent later than
    its limit after the acknowledgement must be a 401 (exact, whatever the polling rate); the
    delay to the first 401 is reported."""
    user = must(world.a.base_url, world.admin, 'POST', '/api/v1/users', {'name': f'revoked {time.monotonic_ns()}'})
    servers = [world.a, world.b]
    stop = threading.Event()
    seen = {server.name: [] for server in servers}
    pollers = [threading.Thread(target=poll_me, args=(server, user['token'], stop, seen[server.name])) for server in servers]
    for poller in pollers:
        poller.start()
    try:
        time.sleep(0.5)   # the token is cached on every server by now
        acknowledged = revoke(user['id'])
        time.sleep(1.6)   # past the cache's 1 s lifetime
    finally:
        stop.set()
        for poller in pollers:
            poller.join()
    for server, (label, limit) in zip(servers, limits):
        polls = seen[server.name]
        warm = sum(1 for sent, _, status in polls if status == 200 and sent < acknowledged)
        refusals = [answered for _, answered, status in polls if status == 401 and answered >= acknowledged]
        delay = refusals[0] - acknowledged if refusals else None
        later = [status for sent, _, status in polls if sent > acknowledged + limit]
        wrong = [status for status in later if status != 401]
        report.expect(f'{how}, refused by {server.name.upper()} {label}',
                      warm > 0 and later and not wrong,
                      f'first 401 {"never" if delay is None else f"{delay * 1000:.0f} ms"} after the revocation was '
                      f'acknowledged; of {len(later)} requests sent more than {limit * 1000:.0f} ms after it, '
                      f'{len(wrong)} not refused{f" {wrong[:5]}" if wrong else ""}; {warm} answered 200 before it')


def check_revocation(report, world):
    """The token cache keeps an authenticated token for 1 s; a revocation made on another server
    (or by the CLI) must therefore stop the token everywhere within that second, and on the
    server that made it at once."""
    def through_a(user_id):
        status, reply, _ = call(world.a.base_url, world.admin, 'DELETE', f'/api/v1/users/{user_id}/tokens')
        if status != 204:
            raise CheckError(f'DELETE /api/v1/users/{user_id}/tokens on A answered {status}: {reply!r:.200}')
        return time.monotonic()

    measure_revocation(report, world, through_a, '4a. revoked by DELETE /api/v1/users/{id}/tokens on A',
                       [('at once', 0.0), ('within 1 s', 1.0)])

    def by_cli(user_id):
        world.cli.run('admin', 'revoke-tokens', '--db', world.url, '--user', str(user_id))
        return time.monotonic()

    measure_revocation(report, world, by_cli, '4b. revoked by `swath admin revoke-tokens --db URL`',
                       [('within 1 s', 1.0), ('within 1 s', 1.0)])


# --- 5. the database goes away ----------------------------------------------------------------------------

LEASE_BOUND = 5.5  # seconds: PostgresStore.leaseTimeout (5 s) and a margin


def check_outage(report, world):
    """The cluster is stopped (fast: clients disconnected) under a save load and started again.
    While it is away the API must say 503 quickly — a client retries a 503, not a 500 or a
    hang — and once it is back the pool must reconnect on its own, losing no acknowledged save.
    The outage lasts longer than the 10 s hang limit, so a request that waits for the database
    to come back is caught as a hang rather than passing as a slow success."""
    project, annotators = world.project('OUTAGE', 8)
    health = []     # (sent at, finished at, status)

    def poll_health(stop):
        while not stop.is_set():
            sent = time.monotonic()
            status, _, _ = call(world.a.base_url, None, 'GET', '/healthz')
            health.append((sent, time.monotonic(), status))
            time.sleep(0.1)

    with Savers(world, project, annotators, [world.a]) as savers:
        poller = threading.Thread(target=poll_health, args=(savers.stop,))
        poller.start()
        time.sleep(1.0)
        stopping = time.monotonic()
        world.pg.stop()
        stopped = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        starting = time.monotonic()
        try:
            world.pg.start()
        finally:
            started = time.monotonic()
        # Until every annotator has saved again (at most 15 s: a request may still be hanging).
        deadline = started + 15
        while time.monotonic() < deadline:
            with savers.lock:
                back = {task for at, task, _ in savers.acked if at > started}
            if len(back) == len(savers.holders):
                break
            time.sleep(0.1)
        time.sleep(0.5)
    poller.join()

    def tally(rows):
        counts = {}
        for status in rows:
            counts[status] = counts.get(status, 0) + 1
        return counts

    # Saves in flight at some moment of the outage (sent before the restart, not answered before
    # the database was gone): 503, or 200 answered while it was down (committed before it went).
    # A 200 after the restart means the request waited for the database: a hang.
    down = [r for r in savers.results if r[0] - r[3] < starting and r[0] > stopped]
    slowest_down = max((r[3] for r in down), default=0)
    report.expect('5a. saves in flight while the database is down get 503',
                  # A 200 is either committed before the database went, or got a connection once it was back
                  # within the store's 5 s bound on waiting for one (PostgresStore.leaseTimeout); longer is a hang.
                  down and all(r[2] == 503 or (r[2] == 200 and (r[0] < starting or r[3] <= LEASE_BOUND)) for r in down),
                  f'{len(down)} saves in flight during the {starting - stopping:.1f} s outage (pg_ctl stop took '
                  f'{stopped - stopping:.2f} s): {tally(r[2] for r in down)} (None = no answer within '
                  f'{HTTP_TIMEOUT} s), slowest {slowest_down:.2f} s')
    slowest = max(r[3] for r in savers.results)
    others = {status: n for status, n in tally(r[2] for r in savers.results).items() if status not in (200, 503)}
    report.expect('5b. never a 500, a dropped connection or a hang over 10 s', not others and slowest < 10,
                  f'all saves: {tally(r[2] for r in savers.results)} (None = no answer within {HTTP_TIMEOUT} s); '
                  f'slowest answer {slowest:.2f} s')
    firsts = {}
    for at, task, _ in savers.acked:
        if at > started and task not in firsts:
            firsts[task] = at - started
    recovery = max(firsts.values()) if len(firsts) == len(savers.holders) else None
    report.expect('5c. every annotator saves again within 5 s of the restart', recovery is not None and recovery <= 5,
                  f'{len(firsts)}/{len(savers.holders)} annotators saved again; the last one '
                  f'{"never" if recovery is None else f"{recovery:.2f} s"} after `pg_ctl start` returned '
                  f'(start took {started - starting:.2f} s)')
    health_down = [(finished - sent, status) for sent, finished, status in health if sent < starting and finished > stopped]
    health_back = next((finished - started for sent, finished, status in health if sent > started and status == 200), None)
    report.expect('5d. /healthz says 503 at once while down, 200 once back',
                  # At once = within the store's 5 s bound on waiting for a pooled connection (PostgresStore.leaseTimeout).
                  health_down and all(status in (200, 503) and seconds <= LEASE_BOUND for seconds, status in health_down)
                  and any(status == 503 for _, status in health_down)
                  and health_back is not None,
                  f'{len(health_down)} probes in flight during the outage: {tally(status for _, status in health_down)}, '
                  f'slowest {max((s for s, _ in health_down), default=0):.2f} s; 200 again '
                  f'{"never" if health_back is None else f"{health_back:.2f} s"} after the restart')
    b_back = call(world.b.base_url, world.admin, 'GET', '/api/v1/me')[0]
    report.expect('5e. the other server answers again too', b_back == 200, f'GET /api/v1/me on B: {b_back}')
    savers.check_durable(report, '5f')


# --- 6. migrate-db round trip ------------------------------------------------------------------------------

def build_sqlite_world(cli, db):
    """Users, two projects (k = 1 and k = 2), the fixture ingested, claims, saves, submits, an
    accepted and a rejected review, a gold task and a consensus; returns tokens and ids."""
    def user(name, admin=False):
        return cli.run_json('admin', 'create-user', '--db', db, '--name', name, *(['--admin'] if admin else []))
    people = {name: user(name, name == 'admin') for name in ('admin', 'manager', 'ann1', 'ann2', 'reviewer', 'trainer')}
    p1 = cli.run_json('admin', 'create-project', '--db', db, '--customer', 'Migrated Customer', '--codename', 'MIGRATE',
                      '--tile-size', '64')['id']
    p2 = cli.run_json('admin', 'create-project', '--db', db, '--customer', 'Migrated Pair Customer', '--codename', 'MIGRATE-K2',
                      '--tile-size', '64', '--labels-per-task', '2')['id']
    for project in (p1, p2):
        for name, role in (('manager', 'manager'), ('ann1', 'annotator'), ('ann2', 'annotator'),
                           ('reviewer', 'reviewer'), ('trainer', 'trainer')):
            cli.run('admin', 'add-member', '--db', db, '--project', str(project), '--user', str(people[name]['id']), '--role', role)
        cli.run_json('ingest', '--db', db, '--project', str(project), '--band-roles', 'blue=1,green=2,red=3,nir=4',
                     '--no-overviews', FIXTURE)
    return people, p1, p2


def play_sqlite_world(base, people, p1, p2):
    """The work, over HTTP: returns the ids the GETs need."""
    token = {name: person['token'] for name, person in people.items()}
    rng = random.Random(6)
    for project in (p1, p2):
        must(base, token['manager'], 'PATCH', f'/api/v1/projects/{project}/settings', {'goldRate': 0})
    tasks = must(base, token['manager'], 'GET', f'/api/v1/projects/{p1}/tasks?status=open&limit=5000')
    gold = tasks[-1]['id']
    must(base, token['manager'], 'PUT', f'/api/v1/tasks/{gold}/gold', labels_body(tasks[-1], rng))

    def work(who, project, submit=True, skip=()):
        query = f'?skip={",".join(map(str, skip))}' if skip else ''
        task = must(base, token[who], 'POST', f'/api/v1/projects/{project}/tasks/claim{query}')
        must(base, token[who], 'PUT', f'/api/v1/tasks/{task["id"]}/labels', labels_body(task, rng))
        if submit:
            must(base, token[who], 'POST', f'/api/v1/tasks/{task["id"]}/submit')
        return task['id']

    accepted = work('ann1', p1)
    must(base, token['reviewer'], 'POST', f'/api/v1/tasks/{accepted}/review', {'decision': 'accept', 'comment': 'Good'})
    rejected = work('ann1', p1)
    must(base, token['reviewer'], 'POST', f'/api/v1/tasks/{rejected}/review',
         {'decision': 'reject', 'comment': 'The outline misses the roof'})
    # The rejected task is back in the queue: skipped, so it stays ann1's work for ann1's GETs.
    submitted = work('ann2', p1, skip=[rejected])
    held = work('ann2', p1, submit=False, skip=[rejected])
    # k = 2: both annotators on one task, so it has a consensus (and pair agreements in the report).
    pair = work('ann1', p2)
    # Claims pick at random: the second annotator skips every other task to get the same one.
    others = [t['id'] for t in must(base, token['manager'], 'GET', f'/api/v1/projects/{p2}/tasks?status=open&limit=5000')
              if t['id'] != pair]
    if work('ann2', p2, skip=others) != pair:
        raise CheckError('the second annotator of the k = 2 project was not given the first one\'s task')
    return {'gold': gold, 'accepted': accepted, 'rejected': rejected, 'submitted': submitted, 'held': held, 'pair': pair}


def get_routes(base, people, p1, p2, ids):
    """(who, path) for every GET an admin, a manager, a reviewer, a trainer and the annotators may
    call on this world — JSON answers only (map tiles, chip files, /metrics and /healthz excluded)."""
    admin = people['admin']['token']
    scenes = {project: [s['id'] for s in must(base, admin, 'GET', f'/api/v1/projects/{project}/scenes')] for project in (p1, p2)}
    tasks = {project: sorted({t['id'] for status in STATUSES
                              for t in must(base, admin, 'GET', f'/api/v1/projects/{project}/tasks?status={status}&limit=5000')})
             for project in (p1, p2)}
    routes = []
    for who in ('admin', 'manager', 'reviewer', 'trainer', 'ann1', 'ann2'):
        routes += [(who, '/api/v1/me'), (who, '/api/v1/projects')]
    for project in (p1, p2):
        for who in ('admin', 'manager', 'reviewer', 'trainer', 'ann1', 'ann2'):
            routes += [(who, f'/api/v1/projects/{project}'), (who, f'/api/v1/projects/{project}/scenes'),
                       (who, f'/api/v1/projects/{project}/labels')]
            routes += [(who, f'/api/v1/scenes/{scene}') for scene in scenes[project]]
            routes += [(who, f'/api/v1/scenes/{scene}/tilejson') for scene in scenes[project]]
        for who in ('admin', 'manager', 'reviewer'):
            routes += [(who, f'/api/v1/projects/{project}/tasks?status={status}&limit=5000') for status in STATUSES]
            routes += [(who, f'/api/v1/projects/{project}/labels?status=all')]
            routes += [(who, f'/api/v1/projects/{project}/labels?status=all&limit=1&after=0')]
        for who in ('admin', 'manager'):
            routes += [(who, f'/api/v1/projects/{project}/audit?limit=5000'), (who, f'/api/v1/projects/{project}/quality'),
                       (who, f'/api/v1/projects/{project}/chips')]
        routes += [('trainer', f'/api/v1/projects/{project}/chips')]
        for task in tasks[project]:
            routes += [('admin', f'/api/v1/tasks/{task}'), ('admin', f'/api/v1/tasks/{task}/labels'),
                       ('admin', f'/api/v1/tasks/{task}/reviews')]
    routes += [('admin', f'/api/v1/tasks/{ids["gold"]}/gold'), ('manager', f'/api/v1/tasks/{ids["gold"]}/gold'),
               ('admin', f'/api/v1/tasks/{ids["pair"]}/consensus'), ('reviewer', f'/api/v1/tasks/{ids["pair"]}/consensus')]
    # The annotators' own view of the tasks they worked on.
    for who, mine in (('ann1', ('accepted', 'rejected', 'pair')), ('ann2', ('submitted', 'held', 'pair'))):
        for key in mine:
            routes += [(who, f'/api/v1/tasks/{ids[key]}'), (who, f'/api/v1/tasks/{ids[key]}/labels'),
                       (who, f'/api/v1/tasks/{ids[key]}/reviews')]
    return routes


def first_difference(a, b, path='$'):
    """Where two parsed JSON values first differ, as a short text."""
    if type(a) is not type(b):
        return f'{path}: {a!r:.80} vs {b!r:.80}'
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f'{path}.{key}: {"missing before" if key not in a else "missing after"}'
            found = first_difference(a[key], b[key], f'{path}.{key}')
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f'{path}: {len(a)} items vs {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f'{path}[{i}]')
            if found:
                return found
        return None
    return None if a == b else f'{path}: {a!r:.80} vs {b!r:.80}'


def check_migration(report, world):
    """A database built through a SQLite-backed server, copied with migrate-db, must answer every
    GET identically (parsed JSON: key order is not fixed) from a PostgreSQL-backed server, with
    the same tokens. A second copy into the now non-empty database must be refused."""
    folder = os.path.join(world.tmp, 'sqlite')
    os.makedirs(folder)
    sqlite = Server('sqlite', os.path.join(folder, 'migrate.sqlite'), folder)
    world.servers.append(sqlite)
    people, p1, p2 = build_sqlite_world(world.cli, sqlite.db)
    sqlite.start()
    ids = play_sqlite_world(sqlite.base_url, people, p1, p2)
    routes = get_routes(sqlite.base_url, people, p1, p2, ids)
    before = {(who, path): call(sqlite.base_url, people[who]['token'], 'GET', path)[:2] for who, path in routes}
    sqlite.stop()
    not_ok = [(who, path, answer[0]) for (who, path), answer in before.items() if answer[0] != 200]
    report.expect('6a. every recorded GET answered 200 on SQLite', not not_ok,
                  f'{len(routes)} GETs by 6 callers; not 200: {not_ok[:5] or "none"}')

    target = world.pg.create_database('migrated')
    migrated = subprocess.run([BIN, 'admin', 'migrate-db', '--from', sqlite.db, '--to', target],
                              cwd=world.tmp, capture_output=True, text=True)
    tables = [line.split()[0] for line in migrated.stdout.splitlines() if 'sha256' in line]
    report.expect('6b. migrate-db copies the SQLite database', migrated.returncode == 0,
                  f'exit {migrated.returncode}, {len(tables)} tables reported'
                  + ('' if migrated.returncode == 0 else f': {migrated.stderr.strip()[:300]}'))
    if migrated.returncode != 0:
        return
    server = world.serve('migrated', target)
    differ = []
    for (who, path), (status, reply) in before.items():
        now = call(server.base_url, people[who]['token'], 'GET', path)[:2]
        if now != (status, reply):
            where = first_difference(reply, now[1]) if now[0] == status else f'status {status} → {now[0]}'
            differ.append(f'{who} GET {path}: {where}')
    report.expect('6c. every GET answers the same after the migration (same tokens)', not differ,
                  f'{len(before) - len(differ)}/{len(before)} identical as parsed JSON; differing: {differ[:5] or "none"}')
    # Not only reads: the lease ann2 took on SQLite still lets ann2 save, with the same token.
    held = call(server.base_url, people['ann2']['token'], 'GET', f'/api/v1/tasks/{ids["held"]}')[1]
    status, reply, _ = call(server.base_url, people['ann2']['token'], 'PUT', f'/api/v1/tasks/{ids["held"]}/labels',
                            labels_body(held, random.Random(7)))
    report.expect('6d. a lease taken on SQLite still works after the migration', status == 200,
                  f'PUT /api/v1/tasks/{ids["held"]}/labels by ann2 on the migrated server: {status}'
                  + ('' if status == 200 else f' {reply!r:.200}'))
    server.stop()

    # Again into the same (now non-empty) database: refused, naming the database, never the password.
    again = subprocess.run([BIN, 'admin', 'migrate-db', '--from', sqlite.db, '--to', target],
                           cwd=world.tmp, capture_output=True, text=True)
    said = (again.stderr + again.stdout).strip()
    database = target.rsplit('/', 1)[1].split('?')[0]
    report.expect('6e. migrate-db refuses a non-empty target',
                  again.returncode != 0 and database in said and world.pg.password not in said,
                  f'exit {again.returncode}; names {database}: {database in said}; shows the password: '
                  f'{world.pg.password in said}; said {said[:200]!r}')


# --- the run ---------------------------------------------------------------------------------------------------

CHECKS = [
    ('1', '200 concurrent claims through two servers', check_claims),
    ('2', 'k = 3 consensus through two servers', check_consensus),
    ('3', 'kill -9 of one server while saving', check_kill),
    ('4', 'a revoked token on the other server', check_revocation),
    ('5', 'the database goes away under load and comes back', check_outage),
    ('6', 'migrate-db round trip', check_migration),
]


def main():
    # Check numbers as arguments run only those (e.g. `... test_many_servers.py 5 6`); all by default.
    only = set(sys.argv[1:])
    report = Report()
    if not os.access(BIN, os.X_OK):
        print(f'{BIN} is not an executable (build it, or set SWATH_BIN)')
        return 1
    tmp = tempfile.mkdtemp(prefix='swath-cluster-')
    print(f'many servers on one PostgreSQL database: {BIN}, temp {tmp}', flush=True)
    began = time.monotonic()
    try:
        with PostgresCluster() as pg:
            print(f'  cluster on 127.0.0.1:{pg.port} (log {pg.log_path})', flush=True)
            world = World(pg, tmp)
            try:
                world.setup()
                for number, title, check in CHECKS:
                    if not only or number in only:
                        report.run(f'{number}. {title}', check, world)
            finally:
                world.stop_all()   # whatever happened, and before the cluster goes
    except Exception as error:  # noqa: BLE001 - setup failed: one failure, servers already stopped
        traceback.print_exc()
        report.expect('setup', False, f'{type(error).__name__}: {error}')
    finally:
        keep = report.failed or os.environ.get('SWATH_KEEP_TMP') == '1'
        if keep:
            print(f'\n  kept {tmp} (server logs)', flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f'\n{report.passed} passed, {len(report.failed)} failed in {time.monotonic() - began:.0f} s')
    for failure in report.failed:
        print(f'  - {failure}')
    return 1 if report.failed else 0


if __name__ == '__main__':
    sys.exit(main())
