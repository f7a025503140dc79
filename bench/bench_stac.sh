#!/usr/bin/env bash
# make bench-stac: a release of the standard scene's labels (as make bench-export makes them:
# ~20 fields per 512² chip, every task accepted), timed (target ≤ 5 s); then a release `swath serve`:
# the release's items paged through by /search's next links (100 a page; target ≥ 20,000 items/s),
# and every one of those pages requested again and again by 32 wrk connections (target p99 ≤ 50 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENE=${SCENE:-bench/data/standard_scene.tif}
SWATH=.build/release/swath
OUT=bench/out/stac
RUNS=${RUNS:-7}
CHIP=${CHIP:-256}
CLIENTS=${CLIENTS:-32}
SECONDS_WARM=${SECONDS_WARM:-10}
mkdir -p "$OUT"
standard_scene "$SCENE"
DB="$OUT/stac.sqlite"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$OUT/chips"
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
/usr/bin/python3 bench/make_bench_labels.py "$OUT/fields.gpkg"
TOKEN=$($SWATH admin create-user --db "$DB" --name bench --admin | json token)
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename HERON --tile-size 512 >/dev/null
$SWATH ingest --db "$DB" --project 1 "$(realpath "$SCENE")" --no-overviews >/dev/null
$SWATH import --db "$DB" --scene 1 "$OUT/fields.gpkg" --class-field class >/dev/null
# Review is not what is measured: accept every task directly.
sqlite3 "$DB" "UPDATE tasks SET status = 'accepted'"

times=()
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  $SWATH release create --db "$DB" --project 1 --name "bench $run" --chip-size "$CHIP" --background-ratio 1 > "$OUT/release.json"
  times+=("$(echo "$(date +%s.%N) - $start" | bc -l)")
  printf 'release %d: %.2f s (%s chips, %s labels)\n' "$run" "${times[-1]}" "$(json chipCount < "$OUT/release.json")" \
    "$(json labelCount < "$OUT/release.json")"
done
printf 'release creation median %.2f s (target ≤ 5 s)\n' "$(printf '%s\n' "${times[@]}" | median)"

$SWATH serve --db "$DB" --port 0 --chip-cache "$OUT/chips" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
PORT=$(server_port "$OUT/serve.log")
/usr/bin/python3 bench/stac_pages.py "http://127.0.0.1:$PORT" "$TOKEN" release-1 "$OUT/paths.txt" "$RUNS"
echo "search pages of 100 items, ${CLIENTS} connections for ${SECONDS_WARM}s (wrk):"
wrk -t 2 -c "$CLIENTS" -d "${SECONDS_WARM}s" --timeout 30s --latency -s bench/tiles.lua "http://127.0.0.1:$PORT" \
  -- "$OUT/paths.txt" "$TOKEN" 2 | grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx|Socket errors"
echo "(target: p99 ≤ 50 ms per page)"
