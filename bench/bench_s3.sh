#!/usr/bin/env bash
# make bench-s3: the standard scene in S3 (moto's server on loopback, started
# here) tiled back to S3 by `swath tile s3://… --out s3://…`, against
# gdal_retile.py reading the same object through /vsis3/ and writing to local
# disk (its best case: no uploads), and, to show what the uploads cost, swath
# S3 → local disk too; then the S3 → S3 job as one run against two
# shards at once (--shard 0/2 and 1/2, the cores split between them). Like with
# like: 512 × 512 tiles, DEFLATE, TILED=YES, edge tiles cut short. RUNS times
# each, alternating; medians and ratios. The sharded job's index must equal
# the single run's, byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-3}
SCENE=${SCENE:-bench/data/standard_scene.tif}
SWATH=${SWATH:-$PWD/.build/release/swath}
PYTHON=${PYTHON:-.venv/bin/python3}
OUT=bench/out/s3
CORES=$(nproc)
PER_SHARD=$(( CORES / 2 > 0 ? CORES / 2 : 1 ))

standard_scene "$SCENE"
rm -rf "$OUT" && mkdir -p "$OUT"

# The S3 API, stopped when this script ends: it holds the write end of the server's stdin.
mkfifo "$OUT/moto.stdin"
"$PYTHON" Tests/support/moto_s3.py serve --url-file "$OUT/endpoint" < "$OUT/moto.stdin" > "$OUT/moto.log" 2>&1 &
moto=$!
exec 9> "$OUT/moto.stdin"
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -f "$OUT/endpoint" ] && break; sleep 0.2; done
ENDPOINT=$(cat "$OUT/endpoint")
echo "uploading the standard scene to s3://bench/ at $ENDPOINT…" >&2
"$PYTHON" Tests/support/moto_s3.py put "$ENDPOINT" bench standard_scene.tif "$SCENE"

# swath reads the AWS SDK's variables; gdal_retile.py needs GDAL's own names for the endpoint.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
host=${ENDPOINT#http://}
now() { date +%s.%N; }
tile() { AWS_ENDPOINT_URL=$ENDPOINT "$SWATH" tile s3://bench/standard_scene.tif --size 512 --edge shrink --compress deflate "$@" > /dev/null; }
clear() { "$PYTHON" Tests/support/moto_s3.py rm "$ENDPOINT" bench "$1"; }

swath_times=() retile_times=() two_times=() disk_times=()
for run in $(seq 1 "$RUNS"); do
  clear one/; clear two/; rm -rf "$OUT/retile" && mkdir -p "$OUT/retile"
  start=$(now); tile --out s3://bench/one/ --threads "$CORES"; end=$(now)
  swath_times+=("$(echo "$end - $start" | bc -l)")

  rm -rf "$OUT/disk"
  start=$(now); tile --out "$OUT/disk" --threads "$CORES"; end=$(now)
  disk_times+=("$(echo "$end - $start" | bc -l)")

  start=$(now)
  AWS_S3_ENDPOINT=$host AWS_HTTPS=NO AWS_VIRTUAL_HOSTING=FALSE GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR \
    gdal_retile.py -ps 512 512 -co COMPRESS=DEFLATE -co TILED=YES -targetDir "$OUT/retile" /vsis3/bench/standard_scene.tif > /dev/null 2>&1
  end=$(now)
  retile_times+=("$(echo "$end - $start" | bc -l)")

  start=$(now)
  tile --out s3://bench/two/ --threads "$PER_SHARD" --shard 0/2 & first=$!
  tile --out s3://bench/two/ --threads "$PER_SHARD" --shard 1/2 & second=$!
  wait "$first"; wait "$second"
  end=$(now)
  two_times+=("$(echo "$end - $start" | bc -l)")

  rm -rf "$OUT/one" "$OUT/two"
  "$PYTHON" Tests/support/moto_s3.py get "$ENDPOINT" bench one/index.geojson "$OUT/one"
  "$PYTHON" Tests/support/moto_s3.py get "$ENDPOINT" bench two/index.geojson "$OUT/two"
  if ! cmp -s "$OUT/one/index.geojson" "$OUT/two/index.geojson"; then
    echo "run $run: the two shards' index differs from the single run's" >&2
    exit 1
  fi
  printf 'run %d: swath S3→S3 %.2f s, swath S3→disk %.2f s, gdal_retile.py /vsis3/→disk %.2f s, two shards S3→S3 %.2f s (indexes identical)\n' \
    "$run" "${swath_times[-1]}" "${disk_times[-1]}" "${retile_times[-1]}" "${two_times[-1]}"
done

tiles=$(grep -o '"path":"[^"]*"' "$OUT/one/index.geojson" | wc -l)
swath_median=$(printf '%s\n' "${swath_times[@]}" | median)
retile_median=$(printf '%s\n' "${retile_times[@]}" | median)
two_median=$(printf '%s\n' "${two_times[@]}" | median)
disk_median=$(printf '%s\n' "${disk_times[@]}" | median)
printf '\nstandard scene in S3 (moto on loopback): %d tiles, %d cores, %d runs each\n' "$tiles" "$CORES" "$RUNS"
printf 'swath tile S3→S3          median %.2f s\n' "$swath_median"
printf 'swath tile S3→disk        median %.2f s   (gdal_retile.py / this: %.2f×)\n' "$disk_median" "$(echo "$retile_median / $disk_median" | bc -l)"
printf 'gdal_retile.py S3→disk    median %.2f s   (%d tiles)\n' "$retile_median" "$(find "$OUT/retile" -name '*.tif' | wc -l)"
printf 'two shards S3→S3          median %.2f s\n' "$two_median"
printf 'speed-up over gdal_retile.py: %.2f× (target ≥ 2×)\n' "$(echo "$retile_median / $swath_median" | bc -l)"
printf 'two shards / one run: %.2f (target ≤ 1: no slower)\n' "$(echo "$two_median / $swath_median" | bc -l)"
