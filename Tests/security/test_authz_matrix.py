#!/usr/bin/env python3
"""The authorization matrix of the HTTP API, generated from /openapi.yaml.

Every /api/v1 operation in the document says who may use it in `x-swath-roles`
(the vocabulary is in the document's info.description). For every operation
and every caller — no token, an unknown token, a revoked token, an outsider (a
user in no project), an annotator, a reviewer, a trainer, a manager and an
admin — this sends one request with real ids and a minimal valid body, and
checks the status the document implies:

  no token, unknown token, revoked token         401
  outsider                                       404 for objects of a project
                                                 (the API hides they exist), 403
                                                 for other operations
  a member without the role                      403
  a caller the operation allows                  neither 401, 403 nor 404, nor 5xx

Qualified rules add cells: `R-accepted` (role R on an accepted task or accepted
labels only) checks R on a task that is not accepted (403) and on one that is
(allowed); `assignee` checks the annotator on somebody else's task (403 unless
`annotator` is listed) and on their own (allowed); `self` checks a user on
their own id (allowed) besides others on someone else's (403).

It also checks the reverse: every route registered in
Sources/SwathServer/Routes/*.swift (`api.get("…")`, `router.post(…)`, …) must be
in the document, every documented operation must be served, and every /api/v1
operation must carry x-swath-roles with known words.

The world is built in a temporary directory with the swath CLI (as
scripts/demo.sh does): users, two projects (one with two annotators per task
for the consensus view), the fixture scene ingested three times, one token
revoked with `swath admin revoke-tokens`; then `swath serve` on a free
127.0.0.1 port. Requests with side effects get fresh objects (a task claimed or
submitted for that cell, a user made for it), so no cell spoils the state a
later one needs and no caller loses its own token. The server is stopped
whatever happens.

Run from the repository root:  python3 Tests/security/test_authz_matrix.py
Environment: SWATH_BIN (default .build/debug/swath), SWATH_KEEP_TMP=1 keeps
the temporary directory, AUTHZ_VERBOSE=1 prints every cell.
The last line is `N passed, M failed`; the exit status is 1 when M > 0.
"""

import glob
import itertools
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
from swath_process import SwathProcess  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIXTURE = os.path.join(REPO, 'Fixtures', 'utm_multiband.tif')
ROUTE_FILES = os.path.join(REPO, 'Sources', 'SwathServer', 'Routes', '*.swift')
SOURCE_DOCUMENT = os.path.join(REPO, 'Sources', 'SwathServer', 'Resources', 'openapi.yaml')
METHODS = ('get', 'post', 'put', 'patch', 'delete')
PROJECT_ROLES = ('manager', 'annotator', 'reviewer', 'trainer')
KNOWN_WORDS = {'any-user', 'any-member', 'admin', 'self', 'assignee', *PROJECT_ROLES,
               *(f'{role}-accepted' for role in PROJECT_ROLES)}
# Paths whose first id names an object of a project (an export job too): outsiders get 404 there.
PROJECT_OWNED = re.compile(r'^/api/v1/(projects/\{[^}]+\}|scenes/\{[^}]+\}|tasks/\{[^}]+\}|chips/\{[^}]+\}|exports/\{[^}]+\}|wildfire/\{[^}]+\}|spread-datasets/\{[^}]+\}|releases/\{[^}]+\}|labels/\{[^}]+\}|stac/collections/\{[^}]+\})')
CALLERS = ('no token', 'bad token', 'revoked token', 'outsider', 'trainer', 'reviewer', 'annotator', 'manager', 'admin')
UNAUTHENTICATED = ('no token', 'bad token', 'revoked token')
BAD_TOKEN = 'not-a-swath-token-AAAAAAAAAAAAAAAAAAAAAA'
CLASS = 'building'   # standard taxonomy, id 301
VERBOSE = os.environ.get('AUTHZ_VERBOSE') == '1'


class SetupFailed(Exception):
    pass


# --- the swath CLI and server ---------------------------------------------------

class Swath(SwathProcess):
    """The CLI and server (Tests/support/swath_process.py), and requests to the API."""

    def __init__(self, binary, tmp):
        super().__init__(binary, tmp, error=SetupFailed)

    def request(self, token, method, path, body=None, content_type='application/json'):
        """(status, parsed JSON or raw bytes); never raises for an HTTP status."""
        if body is None:
            data = None
        elif isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        else:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method.upper())
        if token is not None:
            request.add_header('Authorization', f'Bearer {token}')
        if data is not None:
            request.add_header('Content-Type', content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw, kind = response.status, response.read(), response.headers.get('Content-Type', '')
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers.get('Content-Type', '')
        if 'json' in kind and raw:
            try:
                return status, json.loads(raw)
            except ValueError:
                pass
        return status, raw

    def api(self, token, method, path, body=None, expect=(200, 201, 204)):
        """A setup call that must succeed."""
        status, reply = self.request(token, method, path, body)
        if status not in expect:
            raise SetupFailed(f'{method.upper()} {path} answered {status}: {reply!r:.400}')
        return reply


# --- geometry for minimal valid bodies ---------------------------------------------

def inner_box(bbox, keep=0.5):
    """The middle `keep` share of a [minLon, minLat, maxLon, maxLat] box as a GeoJSON Polygon (counter-clockwise)."""
    x0, y0, x1, y1 = bbox
    dx, dy = (x1 - x0) * (1 - keep) / 2, (y1 - y0) * (1 - keep) / 2
    x0, y0, x1, y1 = x0 + dx, y0 + dy, x1 - dx, y1 - dy
    return {'type': 'Polygon', 'coordinates': [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def geometry_bbox(geometry):
    rings = geometry['coordinates'] if geometry['type'] == 'Polygon' else [r for p in geometry['coordinates'] for r in p]
    points = [point for ring in rings for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def feature_collection(task):
    geometry = inner_box(geometry_bbox(task['footprintWGS84']), keep=0.4)
    return {'type': 'FeatureCollection',
            'features': [{'type': 'Feature', 'geometry': geometry, 'properties': {'class': CLASS, 'secondsSpent': 30}}]}


# --- the world the matrix runs in ----------------------------------------------------

class World:
    """Users, projects, scenes and tasks in known states, made with the CLI and the API."""

    def __init__(self, swath):
        self.swath = swath
        self.tokens = {}      # caller name → token
        self.users = {}       # name → user id
        self.counter = itertools.count(1)
        self.used_open = set()

    def user(self, name, admin=False):
        args = ['admin', 'create-user', '--db', self.swath.db, '--name', name] + (['--admin'] if admin else [])
        created = self.swath.run_json(*args)
        self.users[name] = created['id']
        self.tokens[name] = created['token']
        return created

    def build_offline(self):
        s, db = self.swath, self.swath.db
        self.user('admin', admin=True)
        for name in ('outsider', 'trainer', 'reviewer', 'annotator', 'manager', 'revoked token', 'worker',
                     'victim', 'newcomer'):
            self.user(name)
        self.p1 = s.run_json('admin', 'create-project', '--db', db, '--customer', 'Authz Customer One',
                             '--codename', 'AUTHZ-ONE', '--tile-size', '128')['id']
        # Two annotators per task: the consensus view needs turns.
        self.p2 = s.run_json('admin', 'create-project', '--db', db, '--customer', 'Authz Customer Two',
                             '--codename', 'AUTHZ-TWO', '--tile-size', '128', '--labels-per-task', '2')['id']
        members = {'manager': 'manager', 'annotator': 'annotator', 'reviewer': 'reviewer', 'trainer': 'trainer',
                   'revoked token': 'manager', 'worker': 'annotator'}
        for project in (self.p1, self.p2):
            for name, role in members.items():
                s.run('admin', 'add-member', '--db', db, '--project', str(project), '--user', str(self.users[name]),
                      '--role', role)
        band_roles = ['--band-roles', 'blue=1,green=2,red=3,nir=4']
        # Scene A (first in the queue): every task accepted, so training chips exist.
        self.scene_a = s.run_json('ingest', '--db', db, '--project', str(self.p1), FIXTURE, *band_roles,
                                  '--priority', '10', '--no-overviews')['id']
        # Scene B: work in progress, in 64-pixel tasks so there are plenty.
        self.scene_b = s.run_json('ingest', '--db', db, '--project', str(self.p1), FIXTURE, *band_roles,
                                  '--tile-size', '64', '--no-overviews')['id']
        s.run_json('ingest', '--db', db, '--project', str(self.p2), FIXTURE, *band_roles, '--no-overviews')
        # A manager whose token was revoked: anything but 401 would let a revoked token act.
        s.run('admin', 'revoke-tokens', '--db', db, '--user', str(self.users['revoked token']))

    # -- helpers over the API

    def api_user(self, name):
        """A user made by the admin over the API (the CLI stays off the live database)."""
        created = self.call('admin', 'post', '/api/v1/users', {'name': name})
        self.users[name] = created['id']
        self.tokens[name] = created['token']
        return name

    def call(self, who, method, path, body=None, expect=(200, 201, 204)):
        return self.swath.api(self.tokens[who], method, path, body, expect)

    def claim(self, who, project=None):
        task = self.call(who, 'post', f'/api/v1/projects/{project or self.p1}/tasks/claim')
        if task is None or task == b'':
            return None
        return task

    def more_tasks(self):
        """Another copy of the fixture in P1 when the queue runs dry."""
        self.call('admin', 'post', f'/api/v1/projects/{self.p1}/scenes', {'uri': FIXTURE, 'tileSize': 64})

    def leased(self, who, project=None):
        """A task `who` holds now: the one held already, or a fresh claim."""
        task = self.claim(who, project)
        if task is None:
            self.more_tasks()
            task = self.claim(who, project)
        if task is None:
            raise SetupFailed(f'{who} could not claim a task')
        return task

    def work(self, who, project=None):
        """`who` claims a task, saves a polygon in it and submits it; returns the task."""
        task = self.leased(who, project)
        self.call(who, 'put', f'/api/v1/tasks/{task["id"]}/labels', feature_collection(task))
        self.call(who, 'post', f'/api/v1/tasks/{task["id"]}/submit')
        return task

    def annotator_lease(self):
        return self.leased('annotator')['id']

    def fresh_submitted(self):
        """A task the worker (no matrix caller) has just submitted, for one review."""
        return self.work('worker')['id']

    def fresh_open(self):
        """An open task nobody has touched, for one gold marking."""
        for _ in range(2):
            tasks = self.call('admin', 'get', f'/api/v1/projects/{self.p1}/tasks?status=open&limit=5000')
            for task in tasks:
                if task['id'] not in self.used_open and task['sceneId'] != self.scene_a:
                    self.used_open.add(task['id'])
                    return task['id']
            self.more_tasks()
        raise SetupFailed('no open task left')

    def task(self, task_id):
        return self.call('admin', 'get', f'/api/v1/tasks/{task_id}')

    def build_online(self):
        for project in (self.p1, self.p2):
            # No gold served by claims: a gold score could pause the worker mid-run.
            self.call('admin', 'patch', f'/api/v1/projects/{project}/settings', {'goldRate': 0})
        # Scene A: the annotator does one task, the worker the rest; the reviewer accepts all.
        own = self.work('annotator')
        if own['sceneId'] != self.scene_a:
            raise SetupFailed(f'the first claim gave scene {own["sceneId"]}, not scene A ({self.scene_a})')
        done = [own]
        while True:
            task = self.leased('worker')
            if task['sceneId'] != self.scene_a:
                self.call('worker', 'post', f'/api/v1/tasks/{task["id"]}/release')
                break
            self.call('worker', 'put', f'/api/v1/tasks/{task["id"]}/labels', feature_collection(task))
            self.call('worker', 'post', f'/api/v1/tasks/{task["id"]}/submit')
            done.append(task)
        for task in done:
            self.call('reviewer', 'post', f'/api/v1/tasks/{task["id"]}/review', {'decision': 'accept'})
        self.own_accepted = own['id']
        self.other_accepted = done[1]['id']
        # The victim's token in the server's token cache, for the revocation check after the matrix.
        self.call('victim', 'get', '/api/v1/me')
        # Scene B: the annotator holds a lease; the worker has submitted one task.
        self.lease = self.annotator_lease()
        self.other_submitted = self.fresh_submitted()
        # A gold task for reading its reference.
        self.gold = self.fresh_open()
        self.call('admin', 'put', f'/api/v1/tasks/{self.gold}/gold', feature_collection(self.task(self.gold)))
        # P2: one submitted turn, so the consensus view has something to show.
        self.consensus = self.work('worker', self.p2)['id']
        # A chip of scene A's accepted labels.
        page = self.call('admin', 'get', f'/api/v1/projects/{self.p1}/chips')
        if not page['chips']:
            raise SetupFailed('no training chip is served for the accepted scene')
        # The full chip id (p<project>_…) is in its file links; `id` is the export's own, without the project.
        self.chip = page['chips'][0]['files']['item.json'].rstrip('/').split('/')[-2]
        # An export job of P1 (scenes registered over HTTP queue overview jobs too: take the export's own id).
        self.export = self.call('admin', 'post', f'/api/v1/projects/{self.p1}/exports', {'chipSize': 128}, expect=(202,))['id']
        self.wildfire = self.call('admin', 'post', f'/api/v1/scenes/{self.scene_b}/wildfire', {'chipSize': 0}, expect=(202,))['id']
        self.spread = self.call('admin', 'post', f'/api/v1/projects/{self.p1}/spread-datasets', {}, expect=(202,))['id']
        # A release of P1's accepted labels, and a label of an accepted task (its history).
        self.release = self.call('admin', 'post', f'/api/v1/projects/{self.p1}/releases', {'name': 'authz', 'chipSize': 128},
                                 expect=(201,))['id']
        features = self.call('admin', 'get', f'/api/v1/tasks/{self.other_accepted}/labels')['features']
        if not features:
            raise SetupFailed('the accepted task has no label to follow')
        self.label = features[0]['id']
        items = self.call('admin', 'get', f'/api/v1/stac/collections/release-{self.release}/items?limit=1')['features']
        if not items:
            raise SetupFailed('the release has no chip to serve')
        self.release_chip = items[0]['id']
        scene = self.call('admin', 'get', f'/api/v1/scenes/{self.scene_b}')
        self.import_body = json.dumps({'type': 'FeatureCollection', 'features': [
            {'type': 'Feature', 'properties': {}, 'geometry': inner_box(scene['bboxWGS84'], keep=0.3)}]}).encode()


# --- one request per cell ----------------------------------------------------------------

def schema_example(document, schema, depth=0):
    """A minimal value a schema accepts: required properties only (for operations with no recipe below)."""
    while '$ref' in schema:
        name = schema['$ref'].split('/')[-1]
        schema = document['components']['schemas'][name]
    if 'enum' in schema:
        return schema['enum'][0]
    kind = schema.get('type', 'object')
    if kind == 'object':
        if depth > 4:
            return {}
        properties = schema.get('properties', {})
        return {key: schema_example(document, properties.get(key, {}), depth + 1) for key in schema.get('required', [])}
    if kind == 'array':
        return [schema_example(document, schema.get('items', {}), depth + 1)] if schema.get('minItems') else []
    return {'string': 'x', 'integer': max(1, schema.get('minimum', 1)), 'number': 0, 'boolean': False}.get(kind, 'x')


class Recipes:
    """How to call each operation: ids to put in the path, query, body. The
    subject may depend on the variant: 'main' (the matrix), 'accepted' (an
    accepted task or accepted labels), 'own' (the annotator's own task)."""

    def __init__(self, world, document):
        self.w = world
        self.document = document

    def default_ids(self, path):
        w = self.w
        ids = {'z': '0', 'x': '0', 'y': '0.png', 'userId': str(w.users['worker']), 'chip': w.chip, 'file': 'item.json'}
        if path.startswith('/api/v1/projects/'):
            ids['id'] = str(w.p1)
        elif path.startswith('/api/v1/scenes/'):
            ids['id'] = str(w.scene_b)
        elif path.startswith('/api/v1/tasks/'):
            ids['id'] = str(w.other_submitted)
        elif path.startswith('/api/v1/users/'):
            ids['id'] = str(w.users['victim'])
        elif path.startswith('/api/v1/exports/'):
            ids['id'] = str(w.export)
        elif path.startswith('/api/v1/wildfire/'):
            ids['id'] = str(w.wildfire)
        elif path.startswith('/api/v1/spread-datasets/'):
            ids['id'] = str(w.spread)
        elif path.startswith('/api/v1/releases/'):
            ids['id'] = ids['other'] = str(w.release)
            ids['chip'] = w.release_chip
            if '/card/' in path:
                ids['file'] = 'card.json'
        elif path.startswith('/api/v1/stac/collections/'):
            ids['collection'] = f'release-{w.release}'
            ids['item'] = w.release_chip
        elif path.startswith('/api/v1/labels/'):
            ids['id'] = str(w.label)
        return ids

    def build(self, method, path, operation, variant, caller):
        """(path with ids, query string, body, content type)."""
        w = self.w
        ids = self.default_ids(path)
        query, body, content_type = '', None, 'application/json'
        key = (method, path)
        task_in = lambda task_id: ids.__setitem__('id', str(task_id))

        if key in {('post', '/api/v1/tasks/{id}/heartbeat'), ('put', '/api/v1/tasks/{id}/labels'),
                   ('post', '/api/v1/tasks/{id}/release'), ('post', '/api/v1/tasks/{id}/submit')}:
            # The annotator's live lease, whoever calls: only the role decides.
            task_in(w.annotator_lease())
            if method == 'put':
                body = feature_collection(w.task(ids['id']))
        elif key == ('get', '/api/v1/tasks/{id}/labels'):
            task_in({'main': w.other_submitted, 'own': w.annotator_lease(), 'accepted': w.other_accepted}[variant])
        elif key == ('get', '/api/v1/tasks/{id}'):
            task_in(w.other_accepted if variant == 'accepted' else w.other_submitted)
        elif key == ('get', '/api/v1/tasks/{id}/reviews'):
            task_in(w.own_accepted if variant == 'own' else w.other_accepted)
        elif key == ('post', '/api/v1/tasks/{id}/review'):
            task_in(w.fresh_submitted())
            body = {'decision': 'accept'}
        elif key == ('put', '/api/v1/tasks/{id}/gold'):
            task_in(w.fresh_open())
            body = feature_collection(w.task(ids['id']))
        elif key == ('get', '/api/v1/tasks/{id}/gold'):
            task_in(w.gold)
        elif key == ('get', '/api/v1/tasks/{id}/consensus'):
            task_in(w.consensus)
        elif key == ('get', '/api/v1/projects/{id}/labels'):
            # The matrix asks for every status; `-accepted` roles only for accepted labels (the default).
            query = '' if variant == 'accepted' else '?status=all'
        elif key == ('post', '/api/v1/projects'):
            n = next(w.counter)
            body = {'customer': f'Authz Customer {n + 2}', 'codename': f'AUTHZ-{n + 2}'}
        elif key == ('post', '/api/v1/projects/{id}/releases'):
            body = {'name': f'authz {next(w.counter)}', 'chipSize': 128}
        elif key == ('post', '/api/v1/users'):
            body = {'name': f'authz user {next(w.counter)}'}
        elif key == ('post', '/api/v1/projects/{id}/members'):
            body = {'userId': w.users['newcomer'], 'role': 'trainer'}
        elif key == ('post', '/api/v1/projects/{id}/scenes'):
            body = {'uri': FIXTURE, 'tileSize': 64}
        elif key == ('post', '/api/v1/scenes/{id}/labels/import'):
            query = f'?class={CLASS}'
            body, content_type = w.import_body, 'application/octet-stream'
        elif key in {('post', '/api/v1/projects/{id}/references'), ('post', '/api/v1/references')}:
            # A small square at the fixture scene's centre (gdaltransform of UTM 10N 601280, 4299040).
            query = f'?name=authz-{next(w.counter)}'
            lon, lat, d = -121.8331, 38.8343, 0.002
            ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
            body = json.dumps({'type': 'FeatureCollection', 'features': [
                {'type': 'Feature', 'properties': {}, 'geometry': {'type': 'Polygon', 'coordinates': [ring]}}]}).encode()
            content_type = 'application/octet-stream'
        elif key == ('patch', '/api/v1/projects/{id}/settings'):
            body = {'goldRate': 0}
        elif key == ('put', '/api/v1/users/{id}/cohort'):
            body = {'cohortId': None}
        elif key == ('post', '/api/v1/cohorts'):
            body = {'codename': f'AUTHZ-COHORT-{next(w.counter)}'}
        elif key == ('put', '/api/v1/projects/{id}/annotators/{userId}/standing'):
            body = {'state': 'qualified'}
        elif key == ('put', '/api/v1/tasks/{id}/qualification'):
            task_in(w.gold)
            body = {'qualification': False}
        elif key == ('post', '/api/v1/projects/{id}/payouts'):
            # A distinct day long past per call: a closed period that overlaps nothing.
            day = datetime.date(2000, 1, 1) + datetime.timedelta(days=next(w.counter))
            body = {'from': day.isoformat(), 'to': day.isoformat()}
        elif key == ('post', '/api/v1/projects/{id}/remediations'):
            # An empty selection (400): remediating real work would reopen the tasks other cells read.
            body = {}
        elif path.startswith('/api/v1/users/{id}') and variant == 'self':
            ids['id'] = str(w.users[caller])
        elif 'requestBody' in operation:
            content = operation['requestBody'].get('content', {})
            if 'application/json' in content:
                body = schema_example(self.document, content['application/json'].get('schema', {}))
            else:
                body, content_type = b'', next(iter(content), 'application/octet-stream')

        concrete = re.sub(r'\{([^}]+)\}', lambda m: ids.get(m.group(1), '1'), path)
        return concrete, query, body, content_type


# --- what the document says each caller should get --------------------------------------

def member_allowed(roles, role, variant):
    """Whether a project member with `role` may use the operation on the cell's subject."""
    if 'any-user' in roles or 'any-member' in roles or role in roles:
        return True
    if variant == 'accepted' and f'{role}-accepted' in roles:
        return True
    if variant == 'own' and role == 'annotator' and 'assignee' in roles:
        return True
    return False


def expected(path, roles, caller, variant):
    """401, 403, 404, or 'allowed'."""
    if caller in UNAUTHENTICATED:
        return 401
    if caller == 'admin' or (variant == 'self'):
        return 'allowed'
    if caller == 'outsider':
        if 'any-user' in roles:
            return 'allowed'
        return 404 if PROJECT_OWNED.match(path) else 403
    return 'allowed' if member_allowed(roles, caller, variant) else 403


def extra_cells(roles):
    """(caller, variant) pairs the qualified words add to the nine callers."""
    cells = []
    for word in roles:
        if word.endswith('-accepted'):
            cells.append((word[:-len('-accepted')], 'accepted'))
        elif word == 'assignee':
            cells.append(('annotator', 'own'))
        elif word == 'self':
            cells.append(('self', 'self'))
    return cells


# --- routes in the Swift sources -------------------------------------------------------------

ROUTE = re.compile(r'\b(api|router)\s*\.\s*(get|post|put|patch|delete)\s*\(\s*"([^"]*)"')


def registered_routes():
    """{(method, path)} from `api.get("…")` / `router.post("…")` calls in Routes/*.swift."""
    routes = set()
    for file in sorted(glob.glob(ROUTE_FILES)):
        with open(file) as handle:
            for group, method, path in ROUTE.findall(handle.read()):
                path = path.strip('/')
                full = ('/api/v1/' + path) if group == 'api' else ('/' + path)
                routes.add((method, full.rstrip('/') or '/', os.path.relpath(file, REPO)))
    return routes


def shape(path):
    """A path with its parameter names dropped: /tasks/{id} and /tasks/{taskId} are one route."""
    return re.sub(r'\{[^}]+\}', '{}', path)


# --- the run ---------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.passed = 0
        self.failures = []
        self.cells = 0   # matrix cells among the checks

    def check(self, ok, label, detail='', status=None):
        if ok:
            self.passed += 1
            if VERBOSE:
                print(f'  ok    {label}' + ('' if status is None else f' → {status}'), flush=True)
        else:
            self.failures.append(f'{label}: {detail}')
            if VERBOSE:
                print(f'  FAIL  {label}: {detail}', flush=True)


def check_document(document, tally):
    """Every served route documented, every documented route served, every API operation with known roles."""
    documented = {}
    for path, item in document.get('paths', {}).items():
        for method in METHODS:
            if method in item:
                documented[(method, shape(path))] = (path, item[method])
    routes = registered_routes()
    if not routes:
        tally.check(False, 'routes parsed from Sources/SwathServer/Routes/*.swift', 'no route registration found')
    served = set()
    for method, path, file in sorted(routes):
        served.add((method, shape(path)))
        tally.check((method, shape(path)) in documented, f'{method.upper()} {path} ({file}) is in the document',
                    'served by the router but missing from openapi.yaml')
    for (method, path_shape), (path, operation) in sorted(documented.items()):
        tally.check((method, path_shape) in served, f'{method.upper()} {path} is served',
                    'documented, but no route registration in Sources/SwathServer/Routes matches')
        if not path.startswith('/api/v1/'):
            continue
        roles = operation.get('x-swath-roles')
        if not roles:
            tally.check(False, f'{method.upper()} {path} has x-swath-roles', 'no x-swath-roles on the operation')
            continue
        unknown = [word for word in roles if word not in KNOWN_WORDS]
        tally.check(not unknown, f'{method.upper()} {path} x-swath-roles words are known',
                    f'unknown: {unknown} (known: {sorted(KNOWN_WORDS)})')


def run_matrix(swath, world, document, tally):
    recipes = Recipes(world, document)
    revoked = []   # users whose tokens a cell revoked over the API
    for path, item in document.get('paths', {}).items():
        if not path.startswith('/api/v1/'):
            continue
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            roles = operation.get('x-swath-roles') or []
            if not roles:
                continue   # reported by check_document
            for caller, variant in [(c, 'main') for c in CALLERS] + extra_cells(roles):
                if caller == 'self':
                    # A user of its own, made for this cell: revoking its tokens harms nobody else.
                    caller = world.api_user(f'self {next(world.counter)}')
                want = expected(path, roles, caller, variant)
                token = {'no token': None, 'bad token': BAD_TOKEN}.get(caller, world.tokens.get(caller))
                label = f'{method.upper()} {path} as {caller}' + ('' if variant == 'main' else f' ({variant})')
                try:
                    concrete, query, body, content_type = recipes.build(method, path, operation, variant, caller)
                except SetupFailed as failure:
                    tally.cells += 1
                    tally.check(False, label, f'could not prepare the request: {failure}')
                    continue
                status, reply = swath.request(token, method, concrete + query, body, content_type)
                tally.cells += 1
                if method == 'delete' and path == '/api/v1/users/{id}/tokens' and status == 204:
                    revoked.append(caller if variant == 'self' else 'victim')
                reason = reply.get('reason', '') if isinstance(reply, dict) else ''
                if want == 'allowed':
                    ok = status not in (401, 403, 404) and status < 500
                    tally.check(ok, label, f'allowed by {roles}, got {status} {reason} ({method.upper()} {concrete}{query})',
                                status=f'{status} {reason}'.strip())
                else:
                    tally.check(status == want, label,
                                f'expected {want} ({roles}), got {status} {reason} ({method.upper()} {concrete}{query})',
                                status=status)
    # A revocation through the API must hold at once, even for a token the server has just cached.
    for name in revoked:
        status, _ = swath.request(world.tokens[name], 'get', '/api/v1/me')
        tally.check(status == 401, f'the token of {name} after DELETE /api/v1/users/{{id}}/tokens', f'got {status}, not 401')


def main():
    binary = os.path.abspath(os.environ.get('SWATH_BIN', os.path.join(REPO, '.build', 'debug', 'swath')))
    tally = Tally()
    tmp = tempfile.mkdtemp(prefix='swath-authz-')
    swath = Swath(binary, tmp)
    try:
        if not os.access(binary, os.X_OK):
            raise SetupFailed(f'{binary} is not an executable (build it, or set SWATH_BIN)')
        print(f'authorization matrix: {binary}, temp {tmp}', flush=True)
        world = World(swath)
        world.build_offline()
        swath.start()
        print(f'  server at {swath.base_url} (log {swath.log_path})', flush=True)
        status, text = swath.request(None, 'get', '/openapi.yaml')
        if status != 200:
            raise SetupFailed(f'GET /openapi.yaml answered {status}')
        document = yaml.safe_load(text.decode() if isinstance(text, bytes) else text)
        with open(SOURCE_DOCUMENT) as handle:
            if yaml.safe_load(handle) != document:
                print('  note: the served /openapi.yaml differs from Sources/SwathServer/Resources/openapi.yaml '
                      '(the binary predates the source; rebuild to test the current document)', flush=True)
        check_document(document, tally)
        world.build_online()
        run_matrix(swath, world, document, tally)
    except SetupFailed as failure:
        tally.check(False, 'setup', str(failure))
    except Exception as error:   # an unexpected crash is one more failure, with the server still stopped below
        tally.check(False, 'run', f'{type(error).__name__}: {error}')
        import traceback
        traceback.print_exc()
    finally:
        swath.stop()
        if os.environ.get('SWATH_KEEP_TMP') == '1':
            print(f'  kept {tmp}', flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f'{tally.cells} matrix cells and {tally.passed + len(tally.failures) - tally.cells} other checks '
          f'(routes against the document, live revocation); {len(tally.failures)} failure(s)' + (':' if tally.failures else ''))
    for failure in tally.failures:
        print(f'  - {failure}')
    print(f'{tally.passed} passed, {len(tally.failures)} failed')
    return 1 if tally.failures else 0


if __name__ == '__main__':
    sys.exit(main())
