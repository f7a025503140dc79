#!/usr/bin/env bash
# make bench-tiles: map tiles from a release `swath serve` on loopback.
# The standard scene (10980² × 4 UInt16, no overviews of its own) is ingested
# (which builds its overviews), then wrk (32 connections) requests every tile
# covering it at its native zoom and two zooms out:
#   cold: each tile once, on a fresh server (nothing cached, no GDAL blocks),
#         by swath-bench (wrk cannot stop after one pass);
#   warm: the same tiles again and again for SECONDS_WARM seconds, by wrk.
# GRID=1: the same for the scene's own pixel grid (the workbench's native view:
# every tile at zoom 0, where each scene pixel is a screen pixel, and two zooms out).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENE=${SCENE:-bench/data/standard_scene.tif}
CLIENTS=${CLIENTS:-32}
SECONDS_WARM=${SECONDS_WARM:-10}
CACHE_MB=${CACHE_MB:-1024}
OUT=bench/out/tiles
mkdir -p "$OUT"
standard_scene "$SCENE"
SWATH=.build/release/swath
DB="$OUT/tiles.sqlite"
rm -rf "$DB" "$DB-wal" "$DB-shm" "$OUT/overviews"
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
TOKEN=$($SWATH admin create-user --db "$DB" --name bench --admin | json token)
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename TILES --tile-size 512 >/dev/null
START=$(date +%s.%N)
SCENE_ID=$($SWATH ingest --db "$DB" --project 1 "$SCENE" --band-roles blue=1,green=2,red=3,nir=4 \
  --overview-dir "$OUT/overviews" | json id)
echo "ingest with overviews: $(echo "$(date +%s.%N) - $START" | bc | xargs printf '%.1f') s"

$SWATH serve --db "$DB" --port 0 --overview-dir "$OUT/overviews" --tile-cache-mb "$CACHE_MB" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
PORT=$(server_port "$OUT/serve.log")
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/scenes/$SCENE_ID/tilejson" > "$OUT/tilejson.json"
if [ "${GRID:-0}" = 1 ]; then
  /usr/bin/python3 bench/tile_paths.py "$OUT/tilejson.json" "$SCENE_ID" --grid > "$OUT/paths.txt"
  echo "$(wc -l < "$OUT/paths.txt") tiles of the scene's own grid at zooms $(cut -d/ -f7 "$OUT/paths.txt" | sort -u | tr '\n' ' '); $CLIENTS connections"
else
  /usr/bin/python3 bench/tile_paths.py "$OUT/tilejson.json" "$SCENE_ID" > "$OUT/paths.txt"
  echo "$(wc -l < "$OUT/paths.txt") tiles at zooms $(cut -d/ -f7 "$OUT/paths.txt" | sort -u | tr '\n' ' ')(native $(json nativeZoom < "$OUT/tilejson.json")); $CLIENTS connections"
fi
report() { grep -E "Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx|Socket errors"; }
# Only the server's own start-up is warm: the scene's statistics are
# computed by the first tile requests, inside the cold pass.
echo "cold (each tile once, fresh server; swath-bench, $CLIENTS clients):"
.build/release/swath-bench tiles "http://127.0.0.1:$PORT" "$TOKEN" "$OUT/paths.txt" --clients "$CLIENTS"
echo "cold pass left $(grep VmRSS /proc/$SERVER/status | awk '{print $2 / 1024 " MB"}') resident"
echo "warm (${SECONDS_WARM}s over the same tiles):"
wrk -t 2 -c "$CLIENTS" -d "${SECONDS_WARM}s" --timeout 30s --latency -s bench/tiles.lua "http://127.0.0.1:$PORT" \
  -- "$OUT/paths.txt" "$TOKEN" 2 | report
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2 / 1024 " MB"}')"
