#!/usr/bin/env python3
"""make bench-model's Python side: the pipeline of `swath model train` and
`swath model predict --no-prelabels` in numpy + rasterio + xgboost, timed from
inside, so the shell can compare it with Swath's.

Usage (the repository's venv, .venv/bin/python; rasterio only, never osgeo):
  model_python.py SCENE.tif LABELS.gpkg PROBABILITIES.tif [--threads 2] [--rounds 40]
      [--samples-per-class 20000] [--folds 5] [--block-pixels 256] [--seed 1]
      [--class-field class] [--model-out booster.json] [--swath-draws]
  model_python.py --compare SWATH.tif PYTHON.tif

Train: the labels rasterized on the scene grid (pixel centres, later polygons
win); background (0) is every pixel no polygon covers (the whole scene is
inside accepted tasks), then the classes by taxonomy id. As in Swath, a class's
pixel count includes pixels without data (they are drawn, then skipped).
Features of the drawn pixels only (strip by strip, 256 rows with a 2-row
halo): b1..bN, ndvi, evi2, then each band's 5 x 5 mean and population standard
deviation over valid pixels (summed-area tables in float64). Spatial-block
cross-validation, then the final model on every training sample.
Predict: the same features for every valid pixel, strip by strip on --threads
threads (one XGBoost thread each), probabilities as Byte (p x 250, 255 no data)
into a tiled GeoTIFF, then a COG (DEFLATE, 512 blocks).

Prints one JSON line: train_seconds, predict_seconds, overall_accuracy, ...
--compare prints the share of pixels with data in both files whose most
probable class (argmax over the bands) is the same.
"""
import argparse
import json
import os
import sqlite3
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import rasterio
import rasterio.features
import rasterio.shutil
import shapely
import xgboost as xgb
from rasterio.windows import Window

# The default taxonomy's ids (Sources/SwathLabels/Model/Taxonomy+Default.swift).
TAXONOMY = {"tree cover": 10, "shrubland": 20, "grassland": 30, "cropland": 40, "built-up": 50,
            "bare/sparse vegetation": 60}
STRIP_ROWS = 256
RADIUS = 2
VALIDATION_PIXELS = 200_000
MINIMUM_CLASS_PIXELS = 100
BYTE_SCALE = 250
BYTE_NODATA = 255
MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


# ---------------------------------------------------------------- features

class Scene:
    """One rasterio handle per thread on the scene, and what the features need to know."""

    def __init__(self, path, red, nir):
        self.path = path
        self.local = threading.local()
        with rasterio.open(path) as ds:
            self.width, self.height, self.count = ds.width, ds.height, ds.count
            self.nodata = [ds.nodatavals[b] for b in range(ds.count)]
            self.is_float = np.dtype(ds.dtypes[0]).kind == "f"
            self.transform, self.crs = ds.transform, ds.crs
        self.red, self.nir = red - 1, nir - 1
        self.feature_count = 3 * self.count + 2

    def dataset(self):
        ds = getattr(self.local, "ds", None)
        if ds is None:
            ds = self.local.ds = rasterio.open(self.path)
        return ds

    def strips(self):
        return [(top, min(self.height, top + STRIP_ROWS)) for top in range(0, self.height, STRIP_ROWS)]

    def read(self, top, bottom):
        """The strip's rows with a halo: reflectance planes (float64), valid mask, first core row."""
        halo_top, halo_bottom = max(0, top - RADIUS), min(self.height, bottom + RADIUS)
        dn = self.dataset().read(window=Window(0, halo_top, self.width, halo_bottom - halo_top))
        valid = np.ones(dn.shape[1:], dtype=bool)
        for band in range(self.count):
            if self.nodata[band] is not None:
                valid &= dn[band] != self.nodata[band]
            if self.is_float:
                valid &= np.isfinite(dn[band])
        planes = dn.astype(np.float64)  # reflectance = DN x 1 + 0
        return planes, valid, top - halo_top


def indices(red, nir):
    """NDVI and EVI2 in float64 (NaN where undefined), as Swath's SpectralIndex computes them."""
    with np.errstate(divide="ignore", invalid="ignore"):
        total = nir + red
        ndvi = np.where(total == 0, np.nan, (nir - red) / total)
        evi2 = 2.5 * (nir - red) / (nir + 2.4 * red + 1)
    ndvi[~np.isfinite(ndvi)] = np.nan
    evi2[~np.isfinite(evi2)] = np.nan
    return ndvi.astype(np.float32), evi2.astype(np.float32)


def summed_area(values, width):
    """Summed-area table of the halo rows, padded by RADIUS zeros on every side: table[i, j] is the
    sum of the padded grid's rows < i and columns < j (row prefix sums, then down the rows: the
    order of Swath's sums, so the same values)."""
    height = values.shape[0]
    padded = np.zeros((height + 2 * RADIUS + 1, width + 2 * RADIUS + 1))
    padded[1 + RADIUS:1 + RADIUS + height, 1 + RADIUS:1 + RADIUS + width] = values
    np.cumsum(padded, axis=1, out=padded)
    np.cumsum(padded, axis=0, out=padded)
    return padded


def window_sum(table, rows, cols):
    """Sums over the 5 x 5 windows centred on halo pixels (rows, cols): slices or index arrays."""
    k = 2 * RADIUS + 1
    if isinstance(rows, slice):
        r0, r1 = slice(rows.start, rows.stop), slice(rows.start + k, rows.stop + k)
        c0, c1 = slice(0, table.shape[1] - k), slice(k, table.shape[1])
        return table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]
    return table[rows + k, cols + k] - table[rows, cols + k] - table[rows + k, cols] + table[rows, cols]


def features(scene, planes, valid, first, rows, cols=None, core_rows=None):
    """Feature rows (float32, pixels x features) at halo pixels (rows, cols) — index arrays — or,
    with cols None, at every valid pixel of the core rows [first, first + core_rows) in order."""
    width = scene.width
    if cols is None:
        mask = valid[first:first + core_rows]
        at = lambda plane: plane[first:first + core_rows][mask]  # noqa: E731
        window = lambda table: window_sum(table, slice(first, first + core_rows), None)[mask]  # noqa: E731
    else:
        at = lambda plane: plane[rows, cols]  # noqa: E731
        window = lambda table: window_sum(table, rows, cols)  # noqa: E731
    columns = [at(planes[band]).astype(np.float32) for band in range(scene.count)]
    columns += list(indices(at(planes[scene.red]), at(planes[scene.nir])))
    count = window(summed_area(valid.astype(np.float64), width))
    for band in range(scene.count):
        value = np.where(valid, planes[band], 0.0)
        mean = window(summed_area(value, width)) / count
        squares = window(summed_area(value * value, width)) / count
        columns.append(mean.astype(np.float32))
        columns.append(np.sqrt(np.maximum(0.0, squares - mean * mean)).astype(np.float32))
    return np.column_stack(columns)


# ---------------------------------------------------------------- labels and draws

def read_polygons(path, class_field):
    """(shapely geometry, class name) of the GeoPackage's first layer, in feature order."""
    with sqlite3.connect(path) as db:
        table, column = db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchone()
        rows = db.execute(f'SELECT "{column}", "{class_field}" FROM "{table}" ORDER BY rowid').fetchall()
    shapes = []
    for blob, name in rows:
        if blob is None:
            continue
        flags = blob[3]
        envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
        shapes.append((shapely.from_wkb(bytes(blob[8 + envelope:])), name))
    return shapes


def mix(z):
    """SplitMix64's finalizer (Swift's SeededDraw.mix) on Python ints or numpy uint64 arrays."""
    if isinstance(z, np.ndarray):
        z = z + np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))
    z = (z + GOLDEN) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def seeded_units(seed, scene_id, pixels, draw):
    """SeededDraw.unit(seed, sceneId, pixel, draw) for an array of pixel numbers."""
    state = GOLDEN
    for value in (seed, scene_id):
        state = mix(((state ^ value) + GOLDEN) & MASK64)
    with np.errstate(over="ignore"):
        z = mix((np.uint64(state) ^ pixels.astype(np.uint64)) + np.uint64(GOLDEN))
        z = mix((z ^ np.uint64(draw)) + np.uint64(GOLDEN))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def fold_table(scene, args, scene_id):
    """Fold of each block of --block-pixels (Swath's hash of the block's row and column)."""
    blocks_y = -(-scene.height // args.block_pixels)
    blocks_x = -(-scene.width // args.block_pixels)
    table = np.empty((blocks_y, blocks_x), dtype=np.int32)
    for by in range(blocks_y):
        for bx in range(blocks_x):
            key = args.seed ^ ((scene_id * 31) & MASK64) ^ ((by << 32) & MASK64) ^ bx
            table[by, bx] = mix(key) % args.folds
    return table


# ---------------------------------------------------------------- train

def train(scene, args):
    polygons = read_polygons(args.labels, args.class_field)
    names = sorted({name for _, name in polygons}, key=lambda n: TAXONOMY[n])
    ordinal = {name: index + 1 for index, name in enumerate(names)}
    grid = rasterio.features.rasterize(((shape, ordinal[name]) for shape, name in polygons),
                                       out_shape=(scene.height, scene.width), transform=scene.transform,
                                       fill=0, dtype=np.uint8)
    counts = np.bincount(grid.ravel(), minlength=len(names) + 1)
    # Grid value -> model class; classes with too few pixels are left out.
    grid_to_model = np.full(len(names) + 1, -1, dtype=np.int32)
    classes = []
    for value, count in enumerate(counts):
        if count >= MINIMUM_CLASS_PIXELS:
            grid_to_model[value] = len(classes)
            classes.append("background" if value == 0 else names[value - 1])
    if len(classes) < 2:
        sys.exit("too few labels to train")
    model_counts = np.zeros(len(classes), dtype=np.int64)
    for value, model in enumerate(grid_to_model):
        if model >= 0:
            model_counts[model] += counts[value]
    train_share = np.minimum(1.0, args.samples_per_class / model_counts)
    validation_share = min(1.0, VALIDATION_PIXELS / model_counts.sum())
    folds = fold_table(scene, args, args.scene_id)

    def draw(strip):
        index, (top, bottom) = strip
        model = grid_to_model[grid[top:bottom]]
        rows, cols = np.nonzero(model >= 0)
        model = model[rows, cols]
        if args.swath_draws:
            pixel = (rows + top).astype(np.uint64) * np.uint64(scene.width) + cols.astype(np.uint64)
            trains = seeded_units(args.seed, args.scene_id, pixel, 1) < train_share[model]
            validates = seeded_units(args.seed, args.scene_id, pixel, 2) < validation_share
        else:
            rng = np.random.default_rng([args.seed, index])
            trains = rng.random(rows.size) < train_share[model]
            validates = rng.random(rows.size) < validation_share
        drawn = trains | validates
        rows, cols, model, trains, validates = rows[drawn], cols[drawn], model[drawn], trains[drawn], validates[drawn]
        planes, valid, first = scene.read(top, bottom)
        keep = valid[rows + first, cols]
        rows, cols, model, trains, validates = rows[keep], cols[keep], model[keep], trains[keep], validates[keep]
        values = features(scene, planes, valid, first, rows + first, cols)
        fold = folds[(rows + top) // args.block_pixels, cols // args.block_pixels]
        return (values[trains], model[trains], fold[trains]), (values[validates], model[validates], fold[validates])

    with ThreadPoolExecutor(args.threads) as pool:
        parts = list(pool.map(draw, enumerate(scene.strips())))
    training = [np.concatenate([part[0][i] for part in parts]) for i in range(3)]
    validation = [np.concatenate([part[1][i] for part in parts]) for i in range(3)]

    params = {"objective": "multi:softprob", "num_class": len(classes), "max_depth": 6, "eta": 0.3,
              "tree_method": "hist", "max_bin": 256, "nthread": args.threads, "seed": args.seed, "verbosity": 0}

    def fit(values, labels):
        per_class = np.bincount(labels, minlength=len(classes))
        present = np.count_nonzero(per_class)
        weights = (labels.size / (present * per_class[labels])).astype(np.float32)
        matrix = xgb.DMatrix(values, label=labels.astype(np.float32), weight=weights, missing=np.nan, nthread=args.threads)
        return xgb.train(params, matrix, num_boost_round=args.rounds)

    confusion = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for fold in range(args.folds):
        train_rows, test_rows = training[2] != fold, validation[2] == fold
        if not test_rows.any() or np.unique(training[1][train_rows]).size < 2:
            continue
        booster = fit(training[0][train_rows], training[1][train_rows])
        predicted = np.asarray(booster.inplace_predict(validation[0][test_rows], missing=np.nan)).argmax(axis=1)
        np.add.at(confusion, (validation[1][test_rows], predicted), 1)
    held_out = int(confusion.sum())
    booster = fit(training[0], training[1])
    if args.model_out:
        booster.save_model(args.model_out)
    report = {"overall_accuracy": float(np.trace(confusion) / held_out) if held_out else None,
              "held_out": held_out, "samples": int(training[1].size),
              "samples_per_class": {name: int(n) for name, n in zip(classes, np.bincount(training[1], minlength=len(classes)))},
              "classes": classes}
    return booster, classes, report


# ---------------------------------------------------------------- predict

def predict(scene, booster, classes, args):
    out = os.path.abspath(args.output)
    stage = os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".partial.tif")
    cog = stage + ".cog"
    profile = {"driver": "GTiff", "width": scene.width, "height": scene.height, "count": len(classes), "dtype": "uint8",
               "nodata": BYTE_NODATA, "crs": scene.crs, "transform": scene.transform, "tiled": True, "blockxsize": 512,
               "blockysize": 512, "bigtiff": "IF_SAFER", "interleave": "band"}
    local = threading.local()

    def classify(strip):
        top, bottom = strip
        if getattr(local, "booster", None) is None:
            local.booster = booster.copy()
            local.booster.set_param({"nthread": 1})  # one XGBoost thread per strip thread, as Swath
        planes, valid, first = scene.read(top, bottom)
        values = features(scene, planes, valid, first, None, None, bottom - top)
        mask = valid[first:first + bottom - top]
        planes = None
        result = np.full((len(classes), bottom - top, scene.width), BYTE_NODATA, dtype=np.uint8)
        if values.shape[0]:
            p = np.asarray(local.booster.inplace_predict(values, missing=np.nan)) * np.float32(BYTE_SCALE)
            rounded = np.floor(p)
            rounded += (p - rounded) >= 0.5  # half away from zero, as Swift's rounded()
            result[:, mask] = np.clip(rounded, 0, BYTE_SCALE).astype(np.uint8).T
        return top, result

    with rasterio.open(stage, "w", **profile) as dst:
        for index, name in enumerate(classes):
            dst.set_band_description(index + 1, f"p({name})")
        dst.scales = [1 / BYTE_SCALE] * len(classes)
        strips = scene.strips()
        with ThreadPoolExecutor(args.threads) as pool:
            # At most threads + 1 strips in flight: memory stays a few strips' worth.
            pending = [pool.submit(classify, strip) for strip in strips[:args.threads + 1]]
            following = args.threads + 1
            while pending:
                top, result = pending.pop(0).result()
                if following < len(strips):
                    pending.append(pool.submit(classify, strips[following]))
                    following += 1
                dst.write(result, window=Window(0, top, scene.width, result.shape[1]))
    rasterio.shutil.copy(stage, cog, driver="COG", compress="DEFLATE", blocksize=512, num_threads="ALL_CPUS",
                         bigtiff="IF_SAFER")
    os.remove(stage)
    os.replace(cog, out)


# ---------------------------------------------------------------- compare

def compare(swath_path, python_path):
    agree = total = 0
    with rasterio.open(swath_path) as a, rasterio.open(python_path) as b:
        if (a.width, a.height, a.count) != (b.width, b.height, b.count):
            sys.exit(f"the files differ in shape: {a.width}x{a.height}x{a.count} vs {b.width}x{b.height}x{b.count}")
        if a.descriptions != b.descriptions:
            print(f"warning: band names differ: {a.descriptions} vs {b.descriptions}", file=sys.stderr)
        for top in range(0, a.height, 1024):
            window = Window(0, top, a.width, min(1024, a.height - top))
            pa, pb = a.read(window=window), b.read(window=window)
            both = (pa[0] != BYTE_NODATA) & (pb[0] != BYTE_NODATA)
            agree += int(np.count_nonzero(pa.argmax(axis=0)[both] == pb.argmax(axis=0)[both]))
            total += int(np.count_nonzero(both))
    print(json.dumps({"agreement": agree / total if total else None, "pixels": total}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scene", nargs="?")
    parser.add_argument("labels", nargs="?")
    parser.add_argument("output", nargs="?")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--samples-per-class", type=int, default=20000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--block-pixels", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scene-id", type=int, default=1, help="the scene's id in Swath (only the draws and folds read it)")
    parser.add_argument("--class-field", default="class")
    parser.add_argument("--red", type=int, default=3)
    parser.add_argument("--nir", type=int, default=4)
    parser.add_argument("--model-out", help="also save the booster (XGBoost JSON)")
    parser.add_argument("--swath-draws", action="store_true",
                        help="draw the samples with Swath's seeded hash (the same pixels as swath model train) "
                             "instead of numpy's generator")
    parser.add_argument("--compare", nargs=2, metavar=("SWATH_TIF", "PYTHON_TIF"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if not (args.scene and args.labels and args.output):
        parser.error("give SCENE LABELS OUTPUT (or --compare A B)")
    start = time.perf_counter()
    scene = Scene(args.scene, args.red, args.nir)
    booster, classes, report = train(scene, args)
    trained = time.perf_counter()
    predict(scene, booster, classes, args)
    done = time.perf_counter()
    print(json.dumps({"train_seconds": round(trained - start, 3), "predict_seconds": round(done - trained, 3), **report}))


if __name__ == "__main__":
    main()
