"""A throw-away PostgreSQL cluster for test scripts and benchmarks (stdlib only).

The Python twin of Tests/SwathTestSupport/PostgresCluster.swift: initdb into a
fresh temporary folder, a free 127.0.0.1 port only, superuser `swath` with a
random password checked by SCRAM on TCP, and everything stopped and removed
when the `with` block or the process ends:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
    from postgres_cluster import PostgresCluster

    with PostgresCluster() as pg:
        url = pg.create_database()
        print(pg.psql(url, 'SELECT version()'))

PostgreSQL refuses to run as root, so under root its programs run as Debian's
`postgres` user (`runuser -u postgres --`) and the folder is handed to it.

For a Makefile, `serve` keeps one cluster with one database until SIGTERM or
SIGINT and writes the database's URL to a file once it is ready:

    python3 Tests/support/postgres_cluster.py serve --url-file /tmp/pg-url &
"""

import argparse
import atexit
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

_IDENTIFIER = re.compile(r'^[a-z0-9_]{1,63}$')

# Waits for the owning process to end, then stops the server and removes the
# folder: atexit does not run when the owner is killed with SIGKILL or
# crashes, and the server (in its own session since pg_ctl) would outlive it.
# After a normal exit it finds nothing left to do.
_WATCHDOG = '''
trap '' INT TERM HUP
while kill -0 "$1" 2>/dev/null; do sleep 1; done
pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "$2/postmaster.pid" ] || break; sleep 1; done
rm -rf "$3"
'''


class PostgresClusterError(Exception):
    """The cluster did not start, or a command against it failed; carries the tools' output."""


def _bin_dir():
    """$SWATH_PG_BIN, else Debian's PostgreSQL 15, else the newest Debian PostgreSQL, else PATH."""
    if os.environ.get('SWATH_PG_BIN'):
        return os.environ['SWATH_PG_BIN']
    candidates = ['/usr/lib/postgresql/15/bin'] + sorted(
        glob.glob('/usr/lib/postgresql/*/bin'),
        key=lambda path: int(path.split('/')[-2]) if path.split('/')[-2].isdigit() else 0, reverse=True)
    return next((path for path in candidates if os.access(os.path.join(path, 'initdb'), os.X_OK)), None)


def _free_port():
    """A port the kernel just handed out; another process may still take it before the server does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _server_user():
    """`postgres` when we are root (initdb and the server refuse root), else None: run as ourselves."""
    if os.getuid() != 0:
        return None
    try:
        return pwd.getpwnam('postgres')
    except KeyError:
        raise PostgresClusterError('running as root, but there is no `postgres` user to run PostgreSQL as '
                                   '(initdb refuses root)') from None


def _check_identifier(name):
    """Lower-case letters, digits and `_`: safe to quote into SQL, never folded or truncated."""
    if not _IDENTIFIER.match(name):
        raise PostgresClusterError(f'{name!r} is not a plain lower-case identifier of at most 63 bytes')


class PostgresCluster:
    """One cluster of its own; `launch()` (or `with`) starts it, `close()` stops and removes it."""

    superuser = 'swath'

    def __init__(self):
        self.bin = _bin_dir()
        self.folder = None
        self.port = None
        self.password = secrets.token_hex(16)
        self._server_user = _server_user()
        self._databases = 0

    # -- paths and programs

    @property
    def data(self):
        return os.path.join(self.folder, 'data')

    @property
    def log_path(self):
        return os.path.join(self.folder, 'postgres.log')

    def _program(self, name):
        return os.path.join(self.bin, name) if self.bin else name

    def _hand(self, path):
        """Gives a file or folder to the server's user, if that is not us."""
        if self._server_user:
            os.chown(path, self._server_user.pw_uid, self._server_user.pw_gid)

    def _server(self, name, *args, what):
        """initdb or pg_ctl as the server's user, in the folder (root's cwd may be closed to `postgres`)."""
        command = [self._program(name), *args]
        if self._server_user:
            command = ['runuser', '-u', 'postgres', '--', *command]
        result = subprocess.run(command, cwd=self.folder, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise PostgresClusterError(f'PostgreSQL test cluster: {what} failed ({result.returncode}):\n'
                                       f'{result.stderr}{result.stdout}{self._log_tail()}')
        return result

    def _log_tail(self, lines=30):
        try:
            with open(self.log_path) as log:
                return f'\n--- {self.log_path} (last {lines} lines) ---\n' + ''.join(log.readlines()[-lines:])
        except OSError:
            return ''

    # -- lifecycle

    def __enter__(self):
        self.launch()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def launch(self):
        """initdb into a fresh 0700 folder, then start on a free loopback port."""
        self.folder = tempfile.mkdtemp(prefix='swath-pg-')
        atexit.register(self.close)
        _exit_on_sigterm()
        # Before initdb, so a kill during the launch leaves nothing behind either.
        self._start_watchdog()
        try:
            self._hand(self.folder)
            os.mkdir(os.path.join(self.folder, 'socket'), 0o700)
            self._hand(os.path.join(self.folder, 'socket'))
            self._initdb()
            self._start_on_free_port()
        except BaseException:
            self.close()
            raise
        return self

    def _initdb(self):
        # --no-sync only skips initdb's final flush of a cluster that is thrown away
        # anyway; the server keeps fsync on, so benchmarks stay honest.
        password_file = os.path.join(self.folder, 'password')
        with open(os.open(password_file, os.O_WRONLY | os.O_CREAT, 0o600), 'w') as handle:
            handle.write(self.password + '\n')
        self._hand(password_file)
        try:
            self._server('initdb', '-D', self.data, '-U', self.superuser, f'--pwfile={password_file}',
                         '-E', 'UTF8', '--no-locale', '--auth-local=trust', '--auth-host=scram-sha-256',
                         '--no-sync', '--no-instructions', what='initdb')
        finally:
            os.remove(password_file)
        with open(os.path.join(self.data, 'postgresql.conf'), 'a') as conf:
            conf.write(f"\ninclude '{os.path.join(self.folder, 'settings.conf')}'\n")

    def _start_on_free_port(self):
        """The port may be taken between finding and binding it: then try another, twice more."""
        for attempt in range(3):
            self.port = _free_port()
            self._write_settings()
            try:
                return self.start()
            except PostgresClusterError:
                if attempt == 2:
                    raise

    def _write_settings(self):
        # Loopback only; the socket stays inside the private folder, where trusting
        # Unix-socket connections lets in only the folder's owner (and root).
        with open(os.path.join(self.folder, 'settings.conf'), 'w') as settings:
            settings.write(f"listen_addresses = '127.0.0.1'\n"
                           f"port = {self.port}\n"
                           f"unix_socket_directories = '{os.path.join(self.folder, 'socket')}'\n"
                           f"shared_buffers = 128MB\n"
                           f"max_connections = 400\n"
                           # CREATE EXTENSION postgis takes hundreds of locks; tests create it in many databases at once.
                           f"max_locks_per_transaction = 1024\n")

    def start(self):
        """Starts the (stopped) server on its port with its data."""
        self._server('pg_ctl', 'start', '-D', self.data, '-l', self.log_path, '-w', '-t', '60', '-s',
                     what='pg_ctl start')

    def stop(self, immediate=False):
        """`fast` disconnects clients, as a database server going down; `immediate` is a crash."""
        self._server('pg_ctl', 'stop', '-D', self.data, '-m', 'immediate' if immediate else 'fast',
                     '-w', '-t', '60', '-s', what='pg_ctl stop')

    def close(self):
        """Stops the server at once and removes the folder; safe to call twice."""
        if not self.folder:
            return
        # `pg_ctl stop -m immediate` is SIGQUIT to the postmaster; sent directly so
        # it also works from atexit, and the pid file's removal says it is done.
        pid_file = os.path.join(self.data, 'postmaster.pid')
        try:
            with open(pid_file) as handle:
                os.kill(int(handle.readline()), signal.SIGQUIT)
            deadline = time.monotonic() + 10
            while os.path.exists(pid_file) and time.monotonic() < deadline:
                time.sleep(0.1)
        except (OSError, ValueError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def _start_watchdog(self):
        subprocess.Popen(['/bin/sh', '-c', _WATCHDOG, 'swath-pg-watchdog', str(os.getpid()), self.data, self.folder],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)

    # -- databases, roles, SQL

    def url(self, database, user=None, password=None):
        user = urllib.parse.quote(user or self.superuser, safe='')
        password = urllib.parse.quote(password or self.password, safe='')
        return f'postgres://{user}:{password}@127.0.0.1:{self.port}/{database}?sslmode=disable'

    def create_database(self, prefix='swath', owner=None):
        """A fresh empty database (no extensions); returns the superuser's URL to it.

        `owner` hands it to a role from create_role: since PostgreSQL 15 only a
        database's owner may create tables in its `public` schema."""
        _check_identifier(prefix)
        self._databases += 1
        name = f'{prefix}_{self._databases}_{os.getpid()}'
        _check_identifier(name)
        sql = f'CREATE DATABASE "{name}"'
        if owner:
            _check_identifier(owner)
            sql += f' OWNER "{owner}"'
        self.psql('postgres', sql)
        return self.url(name)

    def create_role(self, name, password, superuser=False):
        """A login role; superuser=False is the user who may not create PostGIS."""
        _check_identifier(name)
        quoted = password.replace("'", "''")
        self.psql('postgres', f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{quoted}' "
                              f"{'SUPERUSER' if superuser else 'NOSUPERUSER'}")

    def psql(self, database, sql, user=None, password=None):
        """Runs `sql` (stopping at the first error); psql's `-At` output without the last newline.

        `database` is a name or a URL from create_database/url, whose user and
        password then apply. Always TCP with a password, as the service connects;
        the password goes in the environment, never on a command line, and
        inherited PG* variables are dropped so they cannot redirect it."""
        if '://' in database:
            parsed = urllib.parse.urlparse(database)
            database = parsed.path.lstrip('/')
            user = user or urllib.parse.unquote(parsed.username or '')
            password = password or urllib.parse.unquote(parsed.password or '')
        user = user or self.superuser
        env = {key: value for key, value in os.environ.items() if not key.startswith('PG')}
        env.update(PGPASSWORD=password or self.password, PGCONNECT_TIMEOUT='10')
        result = subprocess.run([self._program('psql'), '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
                                 '-h', '127.0.0.1', '-p', str(self.port), '-U', user, '-d', database, '-f', '-'],
                                input=sql, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise PostgresClusterError(f'psql on {database} as {user} failed ({result.returncode}): {result.stderr}')
        return result.stdout[:-1] if result.stdout.endswith('\n') else result.stdout


def _terminate_as_exit(signum, frame):
    """SIGTERM and SIGHUP leave through SystemExit, so `with` blocks and atexit clean up."""
    raise SystemExit(128 + signum)


def _exit_on_sigterm():
    """Python's default SIGTERM and SIGHUP skip atexit; a script that set its own handler keeps it."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, _terminate_as_exit)


class _Stop(Exception):
    """The signal `serve` waits for: its normal end, so it exits 0."""


def _stop(signum, frame):
    raise _Stop()


def _serve(url_file):
    # Set outright, SIGINT included: a shell starts `serve &` with SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        with PostgresCluster() as pg:
            url = pg.create_database('bench')
            # Written whole and then renamed, so a reader never sees half a URL.
            partial = url_file + '.partial'
            with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as handle:
                handle.write(url + '\n')
            os.replace(partial, url_file)
            print(f'postgres_cluster: serving {url.split("@")[1]} (log {pg.log_path})', file=sys.stderr, flush=True)
            while True:
                signal.pause()
    except _Stop:
        pass
    finally:
        try:
            os.remove(url_file)
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description='A throw-away PostgreSQL cluster for tests and benchmarks.')
    commands = parser.add_subparsers(dest='command', required=True)
    serve = commands.add_parser('serve', help='start a cluster with one database until SIGTERM/SIGINT')
    serve.add_argument('--url-file', required=True, help='where to write the database URL once it is ready')
    args = parser.parse_args()
    if args.command == 'serve':
        _serve(args.url_file)


if __name__ == '__main__':
    main()
