#!/usr/bin/env bash
# make bench-tile: swath tile against gdal_retile.py on the standard scene,
# like with like: 512 × 512 tiles, DEFLATE at GDAL's default level, no
# predictor, TILED=YES, edge tiles cut short (gdal_retile's behaviour).
# Runs each tool RUNS times, alternating, and prints medians, the ratio,
# tiles written and swath's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-3}
SCENE=${SCENE:-bench/data/standard_scene.tif}
SWATH=${SWATH:-.build/release/swath}
OUT=bench/out
THREADS=${THREADS:-$(nproc)}

standard_scene "$SCENE"

seconds() { # prints elapsed wall seconds of "$@" (stdout/stderr discarded)
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}


swath_times=() retile_times=() peak_kb=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/swath" "$OUT/retile" && mkdir -p "$OUT/swath" "$OUT/retile"
  /usr/bin/time -f "%M" -o "$OUT/swath.rss" true  # warm the time binary
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/swath.rss" "$SWATH" tile "$SCENE" --out "$OUT/swath" --size 512 \
      --edge shrink --compress deflate --threads "$THREADS" >/dev/null
  end=$(date +%s.%N)
  swath_times+=("$(echo "$end - $start" | bc -l)")
  rss=$(tail -1 "$OUT/swath.rss"); [ "$rss" -gt "$peak_kb" ] && peak_kb=$rss
  retile_times+=("$(seconds gdal_retile.py -ps 512 512 -co COMPRESS=DEFLATE -co TILED=YES -targetDir "$OUT/retile" "$SCENE")")
  printf 'run %d: swath %.2f s, gdal_retile.py %.2f s\n' "$run" "${swath_times[-1]}" "${retile_times[-1]}"
done

swath_tiles=$(find "$OUT/swath" -name '*.tif' | wc -l)
retile_tiles=$(find "$OUT/retile" -name '*.tif' | wc -l)
swath_median=$(printf '%s\n' "${swath_times[@]}" | median)
retile_median=$(printf '%s\n' "${retile_times[@]}" | median)
ratio=$(echo "$retile_median / $swath_median" | bc -l)
printf '\nstandard scene: %s (%s threads, %d runs each)\n' "$SCENE" "$THREADS" "$RUNS"
printf 'swath tile       median %.2f s   %d tiles   peak RSS %d MB\n' "$swath_median" "$swath_tiles" $((peak_kb / 1024))
printf 'gdal_retile.py   median %.2f s   %d tiles\n' "$retile_median" "$retile_tiles"
printf 'speed-up: %.2f× (target ≥ 2×), peak memory target < 512 MB\n' "$ratio"
