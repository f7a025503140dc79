#!/usr/bin/env bash
# make bench-tile-shards: the standard scene tiled by one `swath tile` using every
# core, against the same job as two shards run at once (--shard 0/2 and 1/2, the
# cores split between them) into one folder, as a batch engine would run them on
# one machine. RUNS times each, alternating; medians and the ratio. Each sharded
# run's folder must equal the single run's (every tile and the index, by cmp).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-3}
SCENE=${SCENE:-bench/data/standard_scene.tif}
SWATH=${SWATH:-.build/release/swath}
OUT=bench/out
CORES=$(nproc)
PER_SHARD=$(( CORES / 2 > 0 ? CORES / 2 : 1 ))

standard_scene "$SCENE"

now() { date +%s.%N; }
tile() { "$SWATH" tile "$SCENE" --size 512 --edge shrink "$@" > /dev/null; }

one_times=() two_times=()
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/one" "$OUT/two"
  start=$(now); tile --out "$OUT/one" --threads "$CORES"; end=$(now)
  one_times+=("$(echo "$end - $start" | bc -l)")
  start=$(now)
  tile --out "$OUT/two" --threads "$PER_SHARD" --shard 0/2 & first=$!
  tile --out "$OUT/two" --threads "$PER_SHARD" --shard 1/2 & second=$!
  wait "$first"; wait "$second"
  end=$(now)
  two_times+=("$(echo "$end - $start" | bc -l)")
  # The same job either way: every file, byte for byte (journals aside).
  if ! diff -rq -x '.swath-tile-journal*' "$OUT/one" "$OUT/two" > /dev/null; then
    echo "run $run: the two shards' folder differs from the single run's" >&2
    diff -rq -x '.swath-tile-journal*' "$OUT/one" "$OUT/two" | head >&2
    exit 1
  fi
  printf 'run %d: one run %.2f s, two shards at once %.2f s (folders identical)\n' "$run" "${one_times[-1]}" "${two_times[-1]}"
done

one=$(printf '%s\n' "${one_times[@]}" | median)
two=$(printf '%s\n' "${two_times[@]}" | median)
printf '\nstandard scene: %s, %d tiles, %d cores (%d threads per shard), %d runs each\n' \
  "$SCENE" "$(find "$OUT/one" -name '*.tif' | wc -l)" "$CORES" "$PER_SHARD" "$RUNS"
printf 'one run          median %.2f s\n' "$one"
printf 'two shards       median %.2f s\n' "$two"
printf 'two shards / one run: %.2f (target ≤ 1: no slower)\n' "$(echo "$two / $one" | bc -l)"
