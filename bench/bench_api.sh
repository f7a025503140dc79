#!/usr/bin/env bash
# make bench-api: a release `swath serve` on loopback, driven by swath-bench
# (64 concurrent clients): claims (one per annotator, checked for double
# assignment), then 20-vertex polygon saves to each client's own task.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENE=${SCENE:-bench/data/standard_scene.tif}
CLIENTS=${CLIENTS:-64}
CLAIMS=${CLAIMS:-3000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
OUT=bench/out
mkdir -p "$OUT"
if [ ! -f "$SCENE" ]; then
  echo "making the standard scene at $SCENE…" >&2
  mkdir -p "$(dirname "$SCENE")"
  /usr/bin/python3 bench/make_standard_scene.py "$SCENE"
fi
DB="$OUT/api.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
TOKEN="swath_bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SWATH_ADMIN_TOKEN="$TOKEN" .build/release/swath serve --db "$DB" --port 0 > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
PORT=$(server_port "$OUT/serve.log")
echo "swath serve (release) on 127.0.0.1:$PORT, pid $SERVER; scene $SCENE"
if command -v wrk >/dev/null; then
  # Claims by swath-bench (it checks for double assignment), saves by wrk.
  .build/release/swath-bench "http://127.0.0.1:$PORT" "$TOKEN" "$(realpath "$SCENE")" \
    --clients "$CLIENTS" --claims "$CLAIMS" --wrk-data "$OUT/savers.lua"
  echo "saves by wrk ($CLIENTS connections, 2 threads, ${SECONDS_PER_RUN}s):"
  wrk -t 2 -c "$CLIENTS" -d "${SECONDS_PER_RUN}s" --latency -s bench/saves.lua "http://127.0.0.1:$PORT" \
    -- "$OUT/savers.lua" 2 | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx|errors"
else
  .build/release/swath-bench "http://127.0.0.1:$PORT" "$TOKEN" "$(realpath "$SCENE")" \
    --clients "$CLIENTS" --claims "$CLAIMS" --seconds "$SECONDS_PER_RUN"
fi
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2 / 1024 " MB"}')"
