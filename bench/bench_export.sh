#!/usr/bin/env bash
# make bench-export: the standard scene with ~20 polygons per 512 × 512 chip,
# all tasks accepted, exported with every format (image COG, labels GeoJSON,
# pixel labels, mask COG, STAC item, COCO, manifest) and, in the same run,
# tiled with `swath tile` at the same size. Prints both times, chips/s and
# the ratio (target: export ≤ 1.5 × tiling), and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENE=${SCENE:-bench/data/standard_scene.tif}
SWATH=.build/release/swath
OUT=bench/out/export
RUNS=${RUNS:-3}
mkdir -p "$OUT"
standard_scene "$SCENE"
DB="$OUT/export.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/python3 bench/make_bench_labels.py "$OUT/fields.gpkg"
$SWATH admin create-user --db "$DB" --name bench --admin >/dev/null
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename HERON --tile-size 512 >/dev/null
$SWATH ingest --db "$DB" --project 1 "$(realpath "$SCENE")" >/dev/null
$SWATH import --db "$DB" --scene 1 "$OUT/fields.gpkg" --class-field class | grep -E '"(featuresAccepted|labelsCreated)"' || true
# Review is not what is measured: accept every task directly.
sqlite3 "$DB" "UPDATE tasks SET status = 'accepted'"

export_times=() tile_times=() peak=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/chips-out" "$OUT/tiles-out"
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/export.rss" $SWATH export --db "$DB" --project 1 --out "$OUT/chips-out" --chip-size 512 \
      --background-ratio 1 > "$OUT/export.log"
  end=$(date +%s.%N); export_times+=("$(echo "$end - $start" | bc -l)")
  rss=$(tail -1 "$OUT/export.rss"); [ "$rss" -gt "$peak" ] && peak=$rss
  start=$(date +%s.%N)
  $SWATH tile "$SCENE" --out "$OUT/tiles-out" --size 512 >/dev/null
  end=$(date +%s.%N); tile_times+=("$(echo "$end - $start" | bc -l)")
  printf 'run %d: export %.2f s, tile %.2f s\n' "$run" "${export_times[-1]}" "${tile_times[-1]}"
done
chips=$(wc -l < "$OUT/chips-out/manifest.jsonl")
e=$(printf '%s\n' "${export_times[@]}" | median); t=$(printf '%s\n' "${tile_times[@]}" | median)
tail -1 "$OUT/export.log"
printf 'export median %.2f s (%d chips, %.1f chips/s, peak RSS %d MB); swath tile median %.2f s; export/tile = %.2f (target ≤ 1.5)\n' \
  "$e" "$chips" "$(echo "$chips / $e" | bc -l)" $((peak / 1024)) "$t" "$(echo "$e / $t" | bc -l)"
