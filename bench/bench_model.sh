#!/usr/bin/env bash
# make bench-model: `swath model train` and `swath model predict --no-prelabels` on the standard
# scene (band roles blue, green, red, nir; ~20 labelled fields per 512 × 512 task, all tasks
# accepted) against the same pipeline in numpy + rasterio + xgboost (bench/model_python.py).
# Prints each run, the medians, Python/Swath ratios (targets: train and predict each ≤ 60 s and
# ≥ 1.5 × faster than Python), peak memory, the model's cross-validated accuracy, how often the
# two agree on the most probable class, one predict with pre-labels, then make bench-segment.
# SIZE=2048 for a smaller scene; RUNS (3), SWATH (the binary), SKIP_SEGMENT=1; SAME_DRAWS=1 makes
# Python draw Swath's very training pixels (its seeded hash, slower than numpy's generator), so
# that the models differ only by XGBoost's version (Debian's libxgboost vs the xgboost wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SIZE=${SIZE:-10980}
OUT=bench/out/model
if [ "$SIZE" = 10980 ]; then SCENE=${SCENE:-bench/data/standard_scene.tif}; else SCENE=${SCENE:-$OUT/scene-$SIZE.tif}; fi
SWATH=${SWATH:-.build/release/swath}
VENV_PY=${VENV_PY:-.venv/bin/python}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
standard_scene "$SCENE" --size "$SIZE"
DB="$OUT/model.sqlite"
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/python3 bench/make_bench_labels.py "$OUT/fields.gpkg" --size "$SIZE"
$SWATH admin create-project --db "$DB" --customer "Bench Customer" --codename HERON --tile-size 512 >/dev/null
$SWATH ingest --db "$DB" --project 1 "$(realpath "$SCENE")" --band-roles blue=1,green=2,red=3,nir=4 >/dev/null
$SWATH import --db "$DB" --scene 1 "$OUT/fields.gpkg" --class-field class | grep -E '"(featuresAccepted|labelsCreated)"' || true
# Review is not what is measured: accept every task directly (training reads accepted tasks only).
sqlite3 "$DB" "UPDATE tasks SET status = 'accepted'"

# A Python expression over j, the JSON in FILE: jv FILE EXPRESSION.
jv() { /usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# Seconds since START (a date +%s.%N).
since() { echo "$(date +%s.%N) - $1" | bc -l; }
# Peak RSS in MB from a /usr/bin/time -f %M file.
rss_mb() { echo $(( $(tail -1 "$1") / 1024 )); }

# Both pipelines get the same threads.
THREADS=${THREADS:-$(nproc)}
train_times=() predict_times=() py_train_times=() py_predict_times=() py_totals=()
peak_train=0 peak_predict=0 peak_py=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/model-$run"
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/train.rss" $SWATH model train --db "$DB" --project 1 --out "$OUT/model-$run" --threads "$THREADS" > "$OUT/train.log"
  train_times+=("$(since "$start")")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/predict.rss" $SWATH model predict --db "$DB" --model "$OUT/model-$run" --scene 1 \
      --out "$OUT/probabilities.tif" --no-prelabels --threads "$THREADS" > "$OUT/predict.log"
  predict_times+=("$(since "$start")")
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$OUT/python.rss" "$VENV_PY" bench/model_python.py "$SCENE" "$OUT/fields.gpkg" \
      "$OUT/probabilities-python.tif" --threads "$THREADS" --rounds 40 --samples-per-class 20000 --folds 5 --block-pixels 256 --seed 1 \
      --model-out "$OUT/python-booster.json" ${SAME_DRAWS:+--swath-draws} > "$OUT/python.log"
  py_totals+=("$(since "$start")")
  py_train_times+=("$(jv "$OUT/python.log" "j['train_seconds']")")
  py_predict_times+=("$(jv "$OUT/python.log" "j['predict_seconds']")")
  r=$(rss_mb "$OUT/train.rss"); [ "$r" -gt "$peak_train" ] && peak_train=$r
  r=$(rss_mb "$OUT/predict.rss"); [ "$r" -gt "$peak_predict" ] && peak_predict=$r
  r=$(rss_mb "$OUT/python.rss"); [ "$r" -gt "$peak_py" ] && peak_py=$r
  printf 'run %d: swath train %.2f s, predict %.2f s; python train %.2f s, predict %.2f s (process %.2f s)\n' "$run" \
    "${train_times[-1]}" "${predict_times[-1]}" "${py_train_times[-1]}" "${py_predict_times[-1]}" "${py_totals[-1]}"
done

t=$(printf '%s\n' "${train_times[@]}" | median); p=$(printf '%s\n' "${predict_times[@]}" | median)
pt=$(printf '%s\n' "${py_train_times[@]}" | median); pp=$(printf '%s\n' "${py_predict_times[@]}" | median)
ptotal=$(printf '%s\n' "${py_totals[@]}" | median)
verdict() { # SWATH_SECONDS PYTHON_SECONDS
  if (( $(echo "$1 <= 60 && $2 / $1 >= 1.5" | bc -l) )); then echo met; else echo "NOT met"; fi
}
echo "swath:  model $(jv "$OUT/model-1/model.json" "j['id'], 'samples by class id', j['samples'], 'held out', j['validation']['heldOutPixels']")"
echo "        predict $(jv "$OUT/predict.log" "{k: j.get(k) for k in ('pixelsPredicted', 'meanConfidence', 'tasksScored', 'meanUncertainty')}")"
echo "python: samples $(jv "$OUT/python.log" "j['samples_per_class'], 'held out', j['held_out']")"
printf 'train   median: swath %.2f s (peak RSS %d MB), python %.2f s; python/swath = %.2f (target: ≤ 60 s and ≥ 1.5) — %s\n' \
  "$t" "$peak_train" "$pt" "$(echo "$pt / $t" | bc -l)" "$(verdict "$t" "$pt")"
printf 'predict median: swath %.2f s (peak RSS %d MB), python %.2f s; python/swath = %.2f (target: ≤ 60 s and ≥ 1.5) — %s\n' \
  "$p" "$peak_predict" "$pp" "$(echo "$pp / $p" | bc -l)" "$(verdict "$p" "$pp")"
printf 'both    median: swath %.2f s, python process %.2f s (imports included, peak RSS %d MB); python/swath = %.2f\n' \
  "$(echo "$t + $p" | bc -l)" "$ptotal" "$peak_py" "$(echo "$ptotal / ($t + $p)" | bc -l)"
printf 'cross-validated overall accuracy: swath %.4f, python %.4f\n' \
  "$(jv "$OUT/model-1/model.json" "j['validation']['overallAccuracy']")" "$(jv "$OUT/python.log" "j['overall_accuracy']")"
"$VENV_PY" bench/model_python.py --compare "$OUT/probabilities.tif" "$OUT/probabilities-python.tif" > "$OUT/agreement.json"
printf 'most probable class, swath vs python: the same on %.2f%% of %d pixels with data\n' \
  "$(jv "$OUT/agreement.json" "j['agreement'] * 100")" "$(jv "$OUT/agreement.json" "j['pixels']")"

# Once more with pre-labels (they go to open tasks only), then the project as it was for training.
sqlite3 "$DB" "UPDATE tasks SET status = 'open'"
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$OUT/prelabels.rss" $SWATH model predict --db "$DB" --model "$OUT/model-1" --scene 1 \
    --out "$OUT/probabilities-prelabels.tif" > "$OUT/prelabels.log"
prelabel_time=$(since "$start")
printf 'predict with pre-labels: %.2f s (peak RSS %d MB), %s regions, %s\n' "$prelabel_time" "$(rss_mb "$OUT/prelabels.rss")" \
  "$(jv "$OUT/prelabels.log" "j['regions']")" "$(jv "$OUT/prelabels.log" "{k: v for k, v in (j.get('preLabels') or {}).items() if not isinstance(v, (list, dict))}")"
sqlite3 "$DB" "DELETE FROM labels WHERE source = 'model'; UPDATE tasks SET status = 'accepted'"

[ "${SKIP_SEGMENT:-0}" = 1 ] || bench/bench_segment.sh
