#!/usr/bin/env bash
# make bench-segment: click-to-segment on 512 × 512 tasks of a 6-band scene of painted fields (2048²),
# from a release `swath serve` on loopback: CLICKS clicks at random points of one task, one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SWATH=.build/release/swath
OUT=bench/out/segment
CLICKS=${CLICKS:-200}
mkdir -p "$OUT"
rm -rf "$OUT/segment.sqlite"*
[ -f "$OUT/scene.tif" ] || /usr/bin/python3 bench/make_segment_scene.py "$OUT/scene.tif"
DB="$OUT/segment.sqlite"
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename WAND --tile-size 512 >/dev/null
$SWATH ingest --db "$DB" --project 1 "$(realpath "$OUT/scene.tif")" --no-overviews >/dev/null
ANNOTATOR=$($SWATH admin create-user --db "$DB" --name annotator | json token)
$SWATH admin add-member --db "$DB" --project 1 --user 1 --role annotator >/dev/null
$SWATH serve --db "$DB" --port 0 > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
PORT=$(server_port "$OUT/serve.log")
/usr/bin/python3 bench/segment_clicks.py "http://127.0.0.1:$PORT" "$ANNOTATOR" 1 "$CLICKS"
