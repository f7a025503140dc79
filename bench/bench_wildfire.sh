#!/usr/bin/env bash
# make bench-wildfire: spectral, change and terrain features of the standard
# scene pair (10980² × 4 UInt16; the pre-fire scene made the same way with
# another seed) and a DEM on the same grid, by `swath wildfire` (one stack)
# and by the GDAL command-line chain making the same rasters: gdaldem slope
# and aspect, gdal_calc.py for NDVI (post), NBR (pre and post) and dNBR.
# Both write Float32, tiled, ZSTD level 1 with the floating-point predictor.
# Three runs each, alternating; medians, the ratio, and a check that the
# outputs agree (compare_wildfire.py).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
POST=${POST:-bench/data/standard_scene.tif}
PRE=${PRE:-bench/data/standard_scene_pre.tif}
DEM=${DEM:-bench/data/standard_dem.tif}
RUNS=${RUNS:-3}
OUT=bench/out/wildfire
SWATH=.build/release/swath
mkdir -p "$OUT" bench/data
standard_scene "$POST"
standard_scene "$PRE" --seed 2
[ -f "$DEM" ] || /usr/bin/python3 bench/make_bench_dem.py "$DEM"
DB="$OUT/wildfire.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename EMBER --tile-size 2048 >/dev/null
# The standard scene has four bands; for the benchmark they stand in for red, nir, swir1, swir2.
ROLES=red=1,nir=2,swir1=3,swir2=4
$SWATH ingest --db "$DB" --project 1 "$(realpath "$PRE")" --band-roles "$ROLES" --no-overviews >/dev/null
$SWATH ingest --db "$DB" --project 1 "$(realpath "$POST")" --band-roles "$ROLES" --pre-event 1 --no-overviews >/dev/null
CO=(--co TILED=YES --co COMPRESS=ZSTD --co ZSTD_LEVEL=1 --co PREDICTOR=3 --co BIGTIFF=IF_SAFER)
DEMCO=(-co TILED=YES -co COMPRESS=ZSTD -co ZSTD_LEVEL=1 -co PREDICTOR=3 -co BIGTIFF=IF_SAFER)
nd() {  # normalized difference of bands $2 and $3 of $1 into $4, nodata where either is 0 or the sum is 0
  gdal_calc.py --quiet --overwrite -A "$1" --A_band="$2" -B "$1" --B_band="$3" --type=Float32 --NoDataValue=-9999 "${CO[@]}" \
    --calc="numpy.where((A == 0) | (B == 0) | (A.astype(numpy.float64) + B == 0), -9999, (A.astype(numpy.float64) - B) / numpy.maximum(A.astype(numpy.float64) + B, 1e-300))" \
    --outfile="$4"
}
chain() {
  rm -rf "$OUT/chain" && mkdir -p "$OUT/chain"
  gdaldem slope -q "$DEM" "$OUT/chain/slope_deg.tif" "${DEMCO[@]}"
  gdaldem aspect -q "$DEM" "$OUT/chain/aspect.tif" "${DEMCO[@]}"
  nd "$POST" 2 1 "$OUT/chain/ndvi_post.tif"
  nd "$PRE" 2 4 "$OUT/chain/nbr_pre.tif"
  nd "$POST" 2 4 "$OUT/chain/nbr_post.tif"
  gdal_calc.py --quiet --overwrite -A "$OUT/chain/nbr_pre.tif" -B "$OUT/chain/nbr_post.tif" --type=Float32 --NoDataValue=-9999 "${CO[@]}" \
    --calc="numpy.where((A == -9999) | (B == -9999), -9999, A.astype(numpy.float64) - B)" --outfile="$OUT/chain/dnbr.tif"
}
swath_times=() chain_times=()
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/swath"
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/swath.rss" $SWATH wildfire --db "$DB" --project 1 --scene 2 --dem "$(realpath "$DEM")" \
    --out "$OUT/swath" --chip-size 0 --features ndvi_post,nbr_pre,nbr_post,dnbr,slope_deg,aspect_sin,aspect_cos \
    --scale 0.0001 > "$OUT/swath.log" 2>&1
  swath_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  start=$(date +%s.%N); chain
  chain_times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  echo "run $run: swath ${swath_times[-1]} s (peak $(awk '{print $1 / 1024}' "$OUT/swath.rss") MB), GDAL chain ${chain_times[-1]} s"
done
s=$(printf '%s\n' "${swath_times[@]}" | median); c=$(printf '%s\n' "${chain_times[@]}" | median)
echo "median: swath $s s, GDAL chain $c s, ratio $(echo "scale=2; $c / $s" | bc)× (target ≥ 2×)"
/usr/bin/python3 bench/compare_wildfire.py "$OUT/swath/features.tif" "$OUT/chain"
