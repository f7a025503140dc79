#!/usr/bin/env python3
"""Schemathesis against `swath serve`'s own /openapi.yaml, once per role.

For each role (admin, manager, annotator, reviewer, trainer, outsider, and
"workflow": the annotator, whose reviews go out with the reviewer's token) this
builds a throw-away world with the swath CLI in a temporary directory (project
BLUEJAY with the fixture scene ingested in 12 tasks and again as one task,
project KESTREL the outsider belongs to, a user of every role), starts
`swath serve` on a free loopback port, seeds it through the API (the one-task
scene accepted, so a chip exists; a submitted task, for the review queue),
and runs schemathesis with that role's token and the checks not_a_server_error, status_code_conformance,
content_type_conformance and response_schema_conformance: the examples,
coverage and fuzzing phases per operation, then the stateful phase, which
follows the document's OpenAPI links (project -> scene -> claimed task ->
labels -> submit -> review). Each role gets a world of its own, so what one
role's run changes (members added, settings, revocations) does not leak into
the next, and a crash of one run cannot hide the others.

Self-revocation: `DELETE /users/{id}/tokens` would let the fuzzer revoke the
token it is using and turn the rest of the run into 401s. Its `id` is pinned
to a `victim` user made for the purpose (admins revoke them; everyone else
gets the documented 403); the only link into it revokes a user the fuzzer has
just created.

Every failure (operation, request, response) and every server crash is
written to the findings file (default /tmp/schemathesis-findings.md), then
the next role runs. Exit status 1 when anything failed, 0 otherwise. The last
line is "N passed, N failed" over the roles.

Run from the repository root with the venv's python (`make deps` makes it):
    .venv/bin/python Tests/fuzz/run_schemathesis.py --bounded     # make test
    .venv/bin/python Tests/fuzz/run_schemathesis.py --long        # make fuzz
Options: --roles admin,annotator  --max-examples N  --max-time S  --seed N
--findings PATH  --keep (keep the temporary directories). Environment:
SWATH_BIN (default .build/debug/swath).
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
from swath_process import SwathProcess  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIXTURE = os.path.join(REPO, 'Fixtures', 'utm_multiband.tif')
ROLES = ['admin', 'manager', 'annotator', 'reviewer', 'trainer', 'outsider', 'workflow']
CHECKS = 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance'

# How long each mode runs, per role: passes of (phases, seconds), each a schemathesis run against
# the same server. --bounded is make test's: every operation a few examples, then a short stateful
# phase, 25 s. --long is make fuzz's: the per-operation phases and the stateful phase
# get a budget each (fuzzing would otherwise spend all of it before the stateful phase starts).
MODES = {
    'bounded': {'max_examples': 5, 'stateful_steps': 20, 'passes': [('examples,coverage,fuzzing,stateful', 25)]},
    'long': {'max_examples': 500, 'stateful_steps': 50, 'passes': [('examples,coverage,fuzzing', 450), ('stateful', 450)]},
}

# Operations left out of every run as (method, path, the finding that forces it).
# Empty: nothing is excluded just to pass.
EXCLUDED = []


class WorldError(Exception):
    pass


def log(text):
    print(text, flush=True)


class World(SwathProcess):
    """A database made with the CLI, a running server (Tests/support/swath_process.py), and a token per role."""

    def __init__(self, binary, tmp):
        super().__init__(binary, tmp, error=WorldError)
        self.users = {}

    def cli(self, *args):
        return self.run(*args, '--db', self.db)

    def build(self):
        self.users['admin'] = json.loads(self.cli('admin', 'create-user', '--name', 'fuzz admin', '--admin'))
        self.cli('admin', 'create-project', '--customer', 'Acme Defense Ltd', '--codename', 'BLUEJAY', '--tile-size', '64')
        self.cli('admin', 'create-project', '--customer', 'Borealis Mining', '--codename', 'KESTREL', '--tile-size', '128')
        for name in ['manager', 'annotator', 'reviewer', 'trainer', 'outsider', 'victim']:
            self.users[name] = json.loads(self.cli('admin', 'create-user', '--name', f'fuzz {name}'))
        for role in ['manager', 'annotator', 'reviewer', 'trainer']:
            self.cli('admin', 'add-member', '--project', '1', '--user', str(self.users[role]['id']), '--role', role)
        # The outsider works in KESTREL only: BLUEJAY's objects must answer them 404.
        self.cli('admin', 'add-member', '--project', '2', '--user', str(self.users['outsider']['id']), '--role', 'annotator')
        self.cli('admin', 'add-member', '--project', '1', '--user', str(self.users['victim']['id']), '--role', 'annotator')
        self.cli('ingest', '--project', '1', FIXTURE, '--band-roles', 'blue=1,green=2,red=3,nir=4', '--no-overviews')
        # The same scene again as one task, first in the queue: accepted by seed(), so a chip exists.
        self.cli('ingest', '--project', '1', FIXTURE, '--band-roles', 'blue=1,green=2,red=3,nir=4', '--no-overviews',
                 '--tile-size', '256', '--priority', '10')
        self.cli('ingest', '--project', '2', FIXTURE, '--no-overviews')

    def api(self, role, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header('Authorization', f'Bearer {self.users[role]["token"]}')
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            raise WorldError(f'{method} {path} as {role}: {error.code} {error.read().decode()[:300]}')

    def work_task(self):
        """The annotator claims a task, labels its whole tile as tree cover and submits it."""
        status, task = self.api('annotator', 'POST', '/api/v1/projects/1/tasks/claim')
        if status != 200:
            raise WorldError(f'seeding: claim answered {status}')
        feature = {'type': 'Feature', 'geometry': task['footprintWGS84'], 'properties': {'class': 10}}
        self.api('annotator', 'PUT', f'/api/v1/tasks/{task["id"]}/labels', {'type': 'FeatureCollection', 'features': [feature]})
        self.api('annotator', 'POST', f'/api/v1/tasks/{task["id"]}/submit')
        return task['id']

    def seed(self):
        """State the fuzzer cannot easily make: a scene accepted whole (chips to pull), a submitted task
        (the review queue)."""
        accepted = self.work_task()
        self.api('reviewer', 'POST', f'/api/v1/tasks/{accepted}/review', {'decision': 'accept', 'comment': 'seeded'})
        self.work_task()
        status, page = self.api('trainer', 'GET', '/api/v1/projects/1/chips')
        if not page['chips']:
            raise WorldError('seeding: the accepted scene gave no chip')


def write_config(path, world, role, stateful_steps):
    victim = world.users['victim']['id']
    # "workflow" is the annotator whose reviews go out with the reviewer's token, so one
    # stateful scenario can go claim -> labels -> submit -> review and land an accept or a reject.
    token = world.users['annotator' if role == 'workflow' else role]['token']
    lines = [
        '# Written by Tests/fuzz/run_schemathesis.py for one run.',
        f'headers = {{ Authorization = "Bearer {token}" }}',
        '',
        '[phases.stateful]',
        f'max-steps = {stateful_steps}',
        # Only the document's own links: hundreds of inferred ones would drown the workflow's.
        'inference = { algorithms = [] }',
        '',
        '[[operations]]',
        'include-path = "/api/v1/users/{id}/tokens"',
        'include-method = "DELETE"',
        # Never the caller's own tokens: a victim made for it (see the module docstring).
        f'parameters = {{ "path.id" = {victim} }}',
    ]
    if role == 'workflow':
        lines += ['', '[[operations]]', 'include-operation-id = "reviewTask"',
                  f'headers = {{ Authorization = "Bearer {world.users["reviewer"]["token"]}" }}']
    for method, path, _ in EXCLUDED:
        lines += ['', '[[operations]]', f'include-path = "{path}"', f'include-method = "{method}"', 'enabled = false']
    with open(path, 'w') as out:
        out.write('\n'.join(lines) + '\n')


def run_schemathesis(world, role, settings, phases, seconds, args, report_dir):
    config = os.path.join(world.tmp, 'schemathesis.toml')
    write_config(config, world, role, settings['stateful_steps'])
    command = [
        os.path.join(os.path.dirname(sys.executable), 'schemathesis'), '--config-file', config, '--no-color',
        'run', world.base_url + '/openapi.yaml',
        '--checks', CHECKS,
        '--phases', phases,
        '--max-examples', str(args.max_examples or settings['max_examples']),
        '--max-time', str(seconds),
        '--workers', '1',
        '--request-timeout', '30',
        '--continue-on-failure',
        '--suppress-health-check', 'all',
        '--generation-database', 'none',
        '--report', 'ndjson',
        '--report-dir', report_dir,
    ]
    if args.seed is not None:
        command += ['--seed', str(args.seed)]
    started = time.monotonic()
    result = subprocess.run(command, cwd=world.tmp, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    with open(os.path.join(report_dir, 'output.txt'), 'w') as out:
        out.write(result.stdout)
        out.write(result.stderr)
    return result, elapsed


def parse_report(report_dir):
    """Cases run and failures (operation, check, request, response) from the NDJSON events.

    One failure per operation, check and status: the same fault seen again in
    another phase is the same finding."""
    cases = 0
    failures = []
    seen = set()
    for name in sorted(os.listdir(report_dir)):
        if not name.endswith('.ndjson'):
            continue
        with open(os.path.join(report_dir, name)) as events:
            for line in events:
                event = json.loads(line) if line.strip() else {}
                body = event.get('ScenarioFinished')
                if not body:
                    continue
                recorder = body.get('recorder') or {}
                interactions = recorder.get('interactions') or {}
                cases += len(interactions)
                for case_id, checks in (recorder.get('checks') or {}).items():
                    for check in checks:
                        if check.get('status') != 'failure':
                            continue
                        info = (check.get('failure_info') or {}).get('failure') or {}
                        interaction = interactions.get(case_id) or {}
                        request = interaction.get('request') or {}
                        response = interaction.get('response') or {}
                        operation = info.get('operation') or recorder.get('label') or '?'
                        key = (operation, check.get('name'), info.get('title'), response.get('status_code'))
                        if key in seen:
                            continue
                        seen.add(key)
                        failures.append({
                            'operation': operation,
                            'check': check.get('name'),
                            'title': info.get('title') or check.get('name'),
                            'message': info.get('message', ''),
                            'method': request.get('method'),
                            'uri': request.get('uri'),
                            'body': request.get('body'),
                            'status': response.get('status_code'),
                            'response': response.get('content'),
                        })
    return cases, failures


def decode_body(value):
    """Bodies in the report are {"$base64": ...}."""
    if isinstance(value, dict) and '$base64' in value:
        import base64
        return base64.b64decode(value['$base64']).decode('utf-8', 'replace')
    return value


def findings_markdown(role, failures, crash, world):
    lines = []
    for failure in failures:
        lines.append(f'### [{role}] {failure["operation"]}: {failure["title"]} ({failure["check"]})')
        lines.append('')
        if failure['message']:
            lines.append(failure['message'].strip())
            lines.append('')
        body = decode_body(failure['body'])
        lines.append(f'- request: `{failure["method"]} {failure["uri"]}`' + (f' with body `{str(body)[:600]}`' if body else ''))
        lines.append(f'- response: {failure["status"]} `{str(decode_body(failure["response"]))[:600]}`')
        if failure['method']:
            curl = f"curl -X {failure['method']} -H \"Authorization: Bearer ${role.upper()}_TOKEN\" '{failure['uri']}'"
            if body:
                curl += " -H 'Content-Type: application/json' --data-binary " + shlex.quote(str(body)[:2000])
            lines += ['', '```sh', curl, '```']
        lines.append('')
    if crash:
        lines.append(f'### [{role}] the server process died during the run')
        lines.append('')
        lines.append(f'exit status {world.server.returncode}; from its log:')
        lines.append('')
        lines.append('```')
        lines.append(crash)
        lines.append('```')
        lines.append('')
    return '\n'.join(lines)


def tail(path, count=30):
    try:
        with open(path, errors='replace') as source:
            return ''.join(source.readlines()[-count:]).rstrip()
    except OSError:
        return ''


def crash_summary(world, report_dir):
    """What killed the server: its fatal error, the crashed thread's frames in swath's
    own code, and the request schemathesis lost the connection on."""
    try:
        with open(world.log_path, errors='replace') as source:
            log_lines = source.read().split('\n')
    except OSError:
        log_lines = []
    out = [line for line in log_lines if 'Fatal error' in line or 'Program crashed' in line][:2]
    crashed = next((i for i, line in enumerate(log_lines) if line.startswith('Thread') and 'crashed' in line), None)
    if crashed is not None:
        out.append(log_lines[crashed])
        for line in log_lines[crashed + 1:crashed + 60]:
            if line.startswith('Thread') or line.startswith('Registers'):
                break
            if '/Sources/' in line and '/.build/' not in line and len(out) < 10:
                out.append('  ' + re.sub(r'^\s*\d+\s+(\[\w+\]\s+)*0x[0-9a-f]+\s+', '', line).strip())
    if not out:
        out = [tail(world.log_path, 20)]
    try:
        with open(os.path.join(report_dir, 'output.txt'), errors='replace') as source:
            text = source.read()
    except OSError:
        text = ''
    # The case that got no answer ("Connection aborted") is the request that crashed it.
    match = re.search(r'Connection (?:aborted|failed|refused).*?Reproduce with:\s*\n\s*\n?\s*(curl [^\n]+)', text, re.S)
    if match:
        out += ['', 'request without an answer:', match.group(1)[:3000]]
    return '\n'.join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument('--bounded', dest='mode', action='store_const', const='bounded')
    mode.add_argument('--long', dest='mode', action='store_const', const='long')
    parser.add_argument('--roles', default=','.join(ROLES))
    parser.add_argument('--max-examples', type=int)
    parser.add_argument('--max-time', type=int, help='seconds per schemathesis pass (bounded: one pass per role, long: two)')
    parser.add_argument('--seed', type=int)
    parser.add_argument('--findings', default='/tmp/schemathesis-findings.md')
    parser.add_argument('--keep', action='store_true')
    parser.set_defaults(mode='bounded')
    args = parser.parse_args()

    binary = os.path.abspath(os.environ.get('SWATH_BIN', os.path.join(REPO, '.build', 'debug', 'swath')))
    if not os.access(binary, os.X_OK):
        log(f'no swath binary at {binary} (build it, or set SWATH_BIN)')
        return 1
    roles = [r for r in args.roles.split(',') if r]
    unknown = set(roles) - set(ROLES)
    if unknown:
        log(f'unknown roles: {", ".join(sorted(unknown))}')
        return 1

    log(f'schemathesis ({args.mode}) against swath serve, roles: {", ".join(roles)}')
    started = time.monotonic()
    total_cases = 0
    total_failures = 0
    server_errors = 0
    passed, failed = 0, 0
    sections = []
    for role in roles:
        tmp = tempfile.mkdtemp(prefix=f'swath-fuzz-{role}-')
        world = World(binary, tmp)
        crash = None
        try:
            world.build()
            world.start()
            world.seed()
            settings = MODES[args.mode]
            cases, failures, elapsed = 0, [], 0.0
            for index, (phases, seconds) in enumerate(settings['passes']):
                report_dir = os.path.join(tmp, f'report-{index + 1}')
                os.makedirs(report_dir)
                result, took = run_schemathesis(world, role, settings, phases, args.max_time or seconds, args, report_dir)
                elapsed += took
                pass_cases, pass_failures = parse_report(report_dir)
                cases += pass_cases
                known = {(f['operation'], f['check'], f['title'], f['status']) for f in failures}
                failures += [f for f in pass_failures if (f['operation'], f['check'], f['title'], f['status']) not in known]
                if not world.alive():
                    crash = crash_summary(world, report_dir)
                    break
                if result.returncode not in (0, 1) or (result.returncode == 1 and not pass_failures):
                    # Schemathesis itself could not run (bad schema, bad option, lost connection): say why.
                    log(tail(os.path.join(report_dir, 'output.txt'), 40))
                    failures.append({'operation': '(schemathesis)', 'check': 'run', 'title': f'schemathesis exited {result.returncode}',
                                     'message': tail(os.path.join(report_dir, 'output.txt'), 15), 'method': '',
                                     'uri': '', 'body': None, 'status': '', 'response': ''})
        except WorldError as error:
            cases, failures, elapsed = 0, [], 0.0
            crash = tail(world.log_path) if world.server and not world.alive() else None
            failures.append({'operation': '(world)', 'check': 'setup', 'title': str(error), 'message': '',
                             'method': '', 'uri': '', 'body': None, 'status': '', 'response': ''})
        finally:
            world.stop()
        fives = sum(1 for f in failures if str(f.get('status', '')).startswith('5'))
        total_cases += cases
        total_failures += len(failures) + (1 if crash else 0)
        server_errors += fives + (1 if crash else 0)
        ok = not failures and not crash
        passed, failed = passed + ok, failed + (not ok)
        log(f'  {role:10s} {cases:5d} cases in {elapsed:5.1f} s: {len(failures)} failure(s), {fives} 5xx'
            f'{", SERVER DIED" if crash else ""}{"" if ok else "  (" + tmp + ")"}')
        for failure in failures:
            log(f'      {failure["operation"]}: {failure["title"]} -> {failure["status"]}')
        if not ok:
            seeds = sorted(set(re.findall(r'^Seed: (\d+)', '\n'.join(
                tail(os.path.join(tmp, d, 'output.txt'), 5) for d in os.listdir(tmp) if d.startswith('report-')), re.M)))
            sections.append(f'## {role} (schemathesis --seed {", ".join(seeds) or "?"}; files in {tmp})\n\n'
                            + findings_markdown(role, failures, crash, world))
        if ok and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    with open(args.findings, 'w') as out:
        out.write(f'# Schemathesis findings ({args.mode}, {time.strftime("%Y-%m-%d %H:%M:%S")})\n\n')
        out.write(f'{total_cases} cases, {total_failures} failure(s), {server_errors} 5xx or crashes, '
                  f'{time.monotonic() - started:.0f} s. Roles: {", ".join(roles)}.\n\n')
        out.write('\n'.join(sections) if sections else 'Nothing found.\n')
    log(f'schemathesis: {total_cases} cases in {time.monotonic() - started:.0f} s, {total_failures} failure(s), '
        f'{server_errors} 5xx or crashes; findings in {args.findings}')
    log(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
