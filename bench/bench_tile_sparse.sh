#!/usr/bin/env bash
# make bench-tile-sparse: swath tile --skip-empty on a sparse 400,000 × 400,000
# scene (one Byte band, nodata 0, 512-pixel blocks, 24 of them written): 611,524
# tiles, nearly all empty, so the job is all bookkeeping — journal lines, the
# index's features — and shows whether memory grows with the tile count.
# Runs a fresh job, then --resume over the finished folder (the whole journal
# read back, the index written again), each under /usr/bin/time -v, and prints
# peak RSS and wall time. Fails when a peak is over 512 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
SCENE=${SCENE:-bench/data/sparse_scene.tif}
SWATH=${SWATH:-.build/release/swath}
OUT=bench/out/sparse
THREADS=${THREADS:-$(nproc)}
LIMIT_MB=512

if [ ! -f "$SCENE" ]; then
  echo "making the sparse scene (400000 × 400000 Byte, 24 blocks written) at $SCENE…" >&2
  mkdir -p "$(dirname "$SCENE")"
  /usr/bin/python3 bench/make_sparse_scene.py "$SCENE" > "${SCENE%.tif}.blocks"
fi

status=0
measure() { # label, then swath tile arguments
  local label=$1; shift
  /usr/bin/time -v -o "$OUT.time" "$SWATH" tile "$SCENE" --out "$OUT" --skip-empty --threads "$THREADS" "$@" > "$OUT.stdout"
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT.time")
  printf '%-8s peak RSS %4d MB   wall %s   %s\n' "$label" $((rss / 1024)) "$wall" "$(cat "$OUT.stdout")"
  [ $((rss / 1024)) -le $LIMIT_MB ] || { echo "  over the $LIMIT_MB MB target" >&2; status=1; }
}

rm -rf "$OUT" && mkdir -p "$(dirname "$OUT")"
echo "sparse scene: $SCENE ($(du -h "$SCENE" | cut -f1) on disk), $THREADS threads"
measure fresh
measure resume --resume
printf 'index: %s MB, journal: %s MB; target: peak RSS ≤ %d MB\n' \
  $(($(stat -c %s "$OUT/index.geojson") >> 20)) $(($(stat -c %s "$OUT/.swath-tile-journal.jsonl") >> 20)) $LIMIT_MB
exit $status
