"""The swath CLI and `swath serve`, run in a temporary directory for a test script.

Shared by Tests/security/test_authz_matrix.py, Tests/fuzz/run_schemathesis.py
and Tests/browser/test_workbench.py. A script imports it by putting this folder
on sys.path relative to its own file:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
    from swath_process import SwathProcess

Every command runs with the temporary directory as its working directory, so
whatever the CLI keeps beside the database (overviews, chip caches) stays out
of the repository. The server listens on a free 127.0.0.1 port (`--port 0`);
its address is read from the "listening on http://127.0.0.1:PORT" line, and
its output is drained into `log_path` so it never blocks on a full pipe.
"""

import json
import os
import re
import subprocess
import threading
import time


class SwathProcessError(Exception):
    """A CLI command failed or the server did not start."""


class SwathProcess:
    """`error` is the exception class raised on failure, so a script can keep catching its own."""

    def __init__(self, binary, tmp, error=SwathProcessError):
        self.binary = binary
        self.tmp = tmp
        self.error = error
        self.db = os.path.join(tmp, 'swath.sqlite')
        self.log_path = os.path.join(tmp, 'server.log')
        self.server = None
        self.base_url = None

    def run(self, *args):
        """The command's stdout; raises `error` naming the command and its stderr when it fails."""
        command = [self.binary, *args]
        result = subprocess.run(command, cwd=self.tmp, capture_output=True, text=True)
        if result.returncode != 0:
            raise self.error(f'`{" ".join(command)}` failed ({result.returncode}): '
                             f'{result.stderr.strip() or result.stdout.strip()}')
        return result.stdout

    def run_json(self, *args):
        return json.loads(self.run(*args))

    def start(self, extra_args=(), env=None, timeout=30):
        """Starts `swath serve --db DB` on a free loopback port; returns (and keeps) its base URL."""
        command = [self.binary, 'serve', '--db', self.db, '--host', '127.0.0.1', '--port', '0', *extra_args]
        log = open(self.log_path, 'w')
        self.server = subprocess.Popen(command, cwd=self.tmp, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
        found = threading.Event()

        def drain():
            for line in self.server.stdout:
                log.write(line)
                log.flush()
                match = re.search(r'listening on (http://127\.0\.0\.1:\d+)', line)
                if match and not found.is_set():
                    self.base_url = match.group(1)
                    found.set()
            log.close()

        threading.Thread(target=drain, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not found.wait(0.1):
            if self.server.poll() is not None or time.monotonic() > deadline:
                raise self.error(f'`swath serve` did not report "listening on" (see {self.log_path})')
        return self.base_url

    def alive(self):
        return self.server is not None and self.server.poll() is None

    def stop(self):
        """Terminates the server; kills it if it has not exited after 10 s."""
        if self.alive():
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
