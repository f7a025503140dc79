#!/usr/bin/env bash
# make bench-spread: a ten-step fire over the standard scene (ten daily
# perimeters, each on its own dated registration of the scene) with an hourly
# weather cube (u10, v10, t2m; 240 steps), built by swath spread-dataset
# (release) and, in the same run, the same samples by xarray and the GDAL
# command line (bench/spread_reference.py). Reports samples/s of each, the
# ratio (target >= 3x) and swath's peak memory (target <= 1 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENE=${SCENE:-bench/data/standard_scene.tif}
RUNS=${RUNS:-3}
OUT=bench/out/spread
rm -rf "$OUT"
mkdir -p "$OUT"
standard_scene "$SCENE"
SWATH=.build/release/swath
DB="$OUT/spread.sqlite"
/usr/bin/python3 bench/make_spread_bench.py "$OUT/inputs"
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename SPREAD --tile-size 1024 >/dev/null
for k in $(seq 0 9); do
  ln -f "$SCENE" "$OUT/inputs/day$k.tif"
  $SWATH ingest --db "$DB" --project 1 "$OUT/inputs/day$k.tif" --no-overviews --band-roles red=3,nir=4 \
    --acquired-at "$(date -u -d "2026-08-01T18:00:00Z + $k days" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
  $SWATH import --db "$DB" --scene $((k + 1)) "$OUT/inputs/fire$k.geojson" --class 204 >/dev/null
done
W="$OUT/inputs/weather.nc"
swath_times=(); reference_times=(); samples=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/dataset" "$OUT/reference"
  START=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/rss.txt" $SWATH spread-dataset --db "$DB" --project 1 --out "$OUT/dataset" --status open \
    --window 64 --stride 64 --weather "NETCDF:\"$W\":u10=wind_u" --weather "NETCDF:\"$W\":v10=wind_v" \
    --weather "NETCDF:\"$W\":t2m=temperature" > "$OUT/card.json"
  swath_times+=("$(echo "$(date +%s.%N) - $START" | bc)")
  read -r samples seconds < <(.venv/bin/python bench/spread_reference.py "$OUT/dataset" "$W" "$OUT/inputs" "$OUT/reference")
  reference_times+=("$seconds")
  echo "run $run: swath ${swath_times[-1]} s, xarray + GDAL command line $seconds s, $samples samples"
done
S=$(printf '%s\n' "${swath_times[@]}" | median)
R=$(printf '%s\n' "${reference_times[@]}" | median)
echo "samples: $samples (fire 1, 9 pairs); cube: $(du -h "$OUT/dataset/cubes/fire1.nc" | cut -f1)"
echo "swath spread-dataset: median $S s = $(echo "$samples / $S" | bc -l | xargs printf '%.1f') samples/s (whole run: cube, card, items included)"
echo "xarray + GDAL CLI:    median $R s = $(echo "$samples / $R" | bc -l | xargs printf '%.1f') samples/s (samples only)"
echo "ratio: $(echo "$R / $S" | bc -l | xargs printf '%.1f')x (target >= 3x); swath peak RSS $(awk '{print $1 / 1024 " MB"}' "$OUT/rss.txt") (target <= 1 GB)"
.venv/bin/python bench/compare_spread.py "$OUT/dataset" "$OUT/reference"
