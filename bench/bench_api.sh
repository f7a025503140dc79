#!/usr/bin/env bash
# make bench-api [DB=postgres]: release `swath serve` on loopback, driven by
# swath-bench (64 concurrent clients): claims (one per annotator, checked for
# double assignment), then 20-vertex polygon saves to each client's own task.
#   bench/bench_api.sh           one server on a fresh SQLite file (as always);
#   bench/bench_api.sh postgres  that, then in the same run TWO servers on one
#                                PostgreSQL database (a throw-away cluster, fsync
#                                on), the requests spread over both, and a check
#                                in the database that no task went to two people;
#                                then the same again with the servers' group commit on
#                                (SWATH_PG_GROUP_COMMIT; PG_GROUP_COMMIT lanes, 2 unless
#                                set, 0 skips it) on a new project of the same database.
# Everything shares the machine's cores: the numbers include the load generator.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BACKEND=${1:-sqlite}
case "$BACKEND" in
  sqlite | postgres) ;;
  *) echo "usage: bench/bench_api.sh [sqlite|postgres]" >&2; exit 2 ;;
esac
SCENE=${SCENE:-bench/data/standard_scene.tif}
CLIENTS=${CLIENTS:-64}
CLAIMS=${CLAIMS:-3000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
OUT=bench/out
mkdir -p "$OUT"
# One run at a time: two would share $OUT's files and the same cores, and each
# spoil the other's figures (a second run deleted the first one's database once).
exec 9> "$OUT/.bench-api.lock"
flock -n 9 || { echo "waiting for another bench-api run to finish…" >&2; flock 9; }
standard_scene "$SCENE"
TOKEN="swath_bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Every process started here, stopped on the way out newest first (the servers
# before the cluster they use) and waited for, so the cluster removes itself.
# One that outlives SIGTERM by 10 s is killed: once a server did (its database
# stopped at the same moment), and the run must not hang on it.
# On a failure, the servers' logs and any that died early say why.
PIDS=()
stop() {
  local pid=$1 status=0
  if ! kill "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || status=$?
    echo "pid $pid had already exited (status $status)" >&2
    return 0
  fi
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pid $pid still running 10 s after SIGTERM: killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[$i]}"; done
  if [ "$status" != 0 ]; then
    for log in "$OUT"/serve*.log; do [ -f "$log" ] && { echo "--- $log (last 15 lines)"; tail -n 15 "$log"; }; done >&2
  fi
}
trap cleanup EXIT
rm -f "$OUT"/serve*.log

# The per-second figure, and p99 in ms, of a "claims: …" or "saves: …" line.
rate() { sed -E 's#.* = ([0-9.]+) [a-z]+/s.*#\1#' <<<"$1"; }
p99() { sed -E 's#.*p99 ([0-9.]+) ms.*#\1#' <<<"$1"; }
# "met" or "MISSED": VALUE OP LIMIT, OP being >= or <=.
verdict() { awk -v v="$1" -v op="$2" -v limit="$3" 'BEGIN { print ((op == ">=" ? v >= limit : v <= limit) ? "met" : "MISSED") }'; }

# bench NAME PORT… : both phases against the servers on PORTS (one database),
# the requests of each phase round-robin over them. Leaves the "claims:" and
# "saves:" lines in $OUT/NAME.result.
bench() {
  local name=$1; shift
  local urls="" servers="" port
  for port in "$@"; do
    urls+="${urls:+,}http://127.0.0.1:$port"
    servers+="${servers:+ }127.0.0.1:$port"
  done
  if command -v wrk >/dev/null; then
    # Claims by swath-bench (it checks for double assignment), saves by wrk
    # (a C load generator that leaves more CPU to the servers).
    .build/release/swath-bench "$urls" "$TOKEN" "$(realpath "$SCENE")" \
      --clients "$CLIENTS" --claims "$CLAIMS" --wrk-data "$OUT/savers-$name.lua" | tee "$OUT/$name.log"
    echo "saves by wrk ($CLIENTS connections, 2 threads, ${SECONDS_PER_RUN}s, thread i to server i mod $#):"
    SAVE_SERVERS="$servers" wrk -t 2 -c "$CLIENTS" -d "${SECONDS_PER_RUN}s" --latency -s bench/saves.lua "http://127.0.0.1:$1" \
      -- "$OUT/savers-$name.lua" 2 | tee -a "$OUT/$name.log" | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx|errors|^saves:"
  else
    .build/release/swath-bench "$urls" "$TOKEN" "$(realpath "$SCENE")" \
      --clients "$CLIENTS" --claims "$CLAIMS" --seconds "$SECONDS_PER_RUN" | tee "$OUT/$name.log"
  fi
  grep -E "^(claims|saves):" "$OUT/$name.log" > "$OUT/$name.result"
}

peak_rss() { grep VmHWM "/proc/$1/status" | awk '{printf "%.0f MB", $2 / 1024}'; }

# (a) One server on a fresh SQLite file.
SQLITE_DB="$OUT/api.sqlite"
rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
SWATH_ADMIN_TOKEN="$TOKEN" .build/release/swath serve --db "$SQLITE_DB" --port 0 > "$OUT/serve.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
PORT=$(server_port "$OUT/serve.log")
echo "== SQLite: swath serve (release) on 127.0.0.1:$PORT, pid $SERVER; scene $SCENE"
bench sqlite "$PORT"
echo "server peak RSS: $(peak_rss "$SERVER")"
# Stopped before PostgreSQL starts: its cores are the same two.
stop "$SERVER"
PIDS=()

if [ "$BACKEND" = postgres ]; then
  # (b) Two servers on one database of a throw-away cluster (loopback, fsync on).
  URL_FILE="$OUT/postgres.url"
  rm -f "$URL_FILE"
  /usr/bin/python3 Tests/support/postgres_cluster.py serve --url-file "$URL_FILE" 2> "$OUT/postgres_cluster.log" &
  CLUSTER=$!
  PIDS+=("$CLUSTER")
  for _ in $(seq 1 600); do
    [ -f "$URL_FILE" ] && break
    kill -0 "$CLUSTER" 2>/dev/null || { cat "$OUT/postgres_cluster.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -f "$URL_FILE" ] || { echo "the PostgreSQL cluster did not start in 60 s" >&2; cat "$OUT/postgres_cluster.log" >&2; exit 1; }
  # The URL (with its password) goes to the servers in the environment, never on a command line.
  export SWATH_DATABASE_URL
  SWATH_DATABASE_URL=$(cat "$URL_FILE")
  # psql, for the double-assignment check; the password again in the environment.
  read -r PG_USER PG_PASSWORD PG_HOST PG_PORT PG_NAME < <(/usr/bin/python3 -c '
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1])
print(u.unquote(p.username), u.unquote(p.password), p.hostname, p.port, p.path.lstrip("/"))' "$SWATH_DATABASE_URL")
  pg_sql() { PGPASSWORD="$PG_PASSWORD" psql -X -A -t -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_NAME" -c "$1"; }
  # PG_SETTINGS="name=value …": server settings for an experiment (ALTER SYSTEM, then a reload), e.g.
  # synchronous_commit=off, the most any batching of commits could save; printed with the figures.
  for setting in ${PG_SETTINGS:-}; do
    [[ "$setting" =~ ^[a-z_]+=[A-Za-z0-9_.]+$ ]] || { echo "PG_SETTINGS: '$setting' is not name=value" >&2; exit 2; }
    pg_sql "ALTER SYSTEM SET ${setting%%=*} = '${setting#*=}'"
  done
  if [ -n "${PG_SETTINGS:-}" ]; then
    pg_sql "SELECT pg_reload_conf()" > /dev/null
    echo "PostgreSQL settings for this run: $PG_SETTINGS"
  fi
  # pg_round NAME LANES: two servers (SWATH_PG_GROUP_COMMIT=LANES, empty for none) on the database,
  # both phases through them (swath-bench makes a new project each time), psql's double-assignment
  # check on that project, then the servers stop: the next round's must not share the cores.
  pg_round() {
    local name=$1 lanes=$2 i
    PG_SERVERS=() PG_PORTS=()
    # One after the other: the first migrates the empty database and makes the admin.
    for i in 1 2; do
      SWATH_PG_GROUP_COMMIT="$lanes" SWATH_ADMIN_TOKEN="$TOKEN" .build/release/swath serve --port 0 > "$OUT/serve-$name-$i.log" 2>&1 &
      PG_SERVERS+=("$!")
      PIDS+=("$!")
      PG_PORTS+=("$(server_port "$OUT/serve-$name-$i.log")")
    done
    echo "== PostgreSQL${lanes:+, group commit in $lanes lanes per server}: two swath serve (release) on" \
      "127.0.0.1:${PG_PORTS[0]} and :${PG_PORTS[1]}, pids ${PG_SERVERS[*]}; $(tail -n 1 "$OUT/postgres_cluster.log" | sed 's/^postgres_cluster: //')"
    bench "$name" "${PG_PORTS[@]}"
    # Saves leave task status alone, so this is still what the claims left: every
    # claimed task held once, by a different annotator, as many as were answered.
    local project claimed held holders
    project=$(sed -nE 's/^set up: project ([0-9]+),.*/\1/p' "$OUT/$name.log")
    claimed=$(sed -nE 's/^claims: ([0-9]+) in.*/\1/p' "$OUT/$name.result")
    IFS='|' read -r held holders <<<"$(pg_sql "SELECT count(*), count(DISTINCT assignee_id) FROM tasks
      WHERE project_id = $project AND status = 'in_progress'")"
    if [ "$held" = "$claimed" ] && [ "$holders" = "$claimed" ]; then
      echo "double assignment check (psql): $held tasks in_progress = $holders distinct assignees = $claimed successful claims: ok"
    else
      echo "double assignment check (psql) FAILED: $held tasks in_progress, $holders distinct assignees, $claimed successful claims" >&2
      exit 1
    fi
    for i in 0 1; do
      echo "server $((i + 1)) peak RSS: $(peak_rss "${PG_SERVERS[$i]}")"
      stop "${PG_SERVERS[$i]}"
    done
    PIDS=("$CLUSTER")
  }
  pg_round postgres ""
  # The same with group commit (SWATH_PG_GROUP_COMMIT), PG_GROUP_COMMIT lanes per server (2 unless set; 0 skips it).
  GROUP_LANES=${PG_GROUP_COMMIT:-2}
  [ "$GROUP_LANES" = 0 ] || pg_round postgres-group "$GROUP_LANES"
fi

# The figures next to their targets (SQLite's p99 target is held against both phases).
echo
echo "== summary ($CLIENTS clients; targets in brackets)"
line() { grep "^$2:" "$OUT/$1.result"; }
claims=$(line sqlite claims) saves=$(line sqlite saves)
echo "SQLite, 1 server:      $claims [p99 ≤ 25 ms: $(verdict "$(p99 "$claims")" "<=" 25)]"
echo "                       $saves [p99 ≤ 25 ms: $(verdict "$(p99 "$saves")" "<=" 25)]"
if [ "$BACKEND" = postgres ]; then
  claims=$(line postgres claims) saves=$(line postgres saves)
  echo "PostgreSQL, 2 servers: $claims [≥ 1,000 claims/s: $(verdict "$(rate "$claims")" ">=" 1000)]"
  echo "                       $saves [≥ 1,500 saves/s: $(verdict "$(rate "$saves")" ">=" 1500)," \
    "p99 ≤ 60 ms: $(verdict "$(p99 "$saves")" "<=" 60)]"
  if [ "$GROUP_LANES" != 0 ]; then
    claims=$(line postgres-group claims) saves=$(line postgres-group saves)
    echo "  with group commit ($GROUP_LANES lanes per server):"
    echo "                       $claims"
    echo "                       $saves [≥ 1,500 saves/s: $(verdict "$(rate "$saves")" ">=" 1500)," \
      "p99 ≤ 60 ms: $(verdict "$(p99 "$saves")" "<=" 60)]"
  fi
fi
