#!/usr/bin/env python3
"""Checks make bench-spread's two builds agree: every sample's targets and
fire mask equal, the weather, wind and NDVI bands within 1e-4 (relative).

Usage: compare_spread.py DATASET_DIR REFERENCE_DIR
"""
import glob
import os
import sys

import numpy
import rasterio

dataset, reference = sys.argv[1:3]
names = ['fire_mask', 'wind_u', 'wind_v', 'temperature', 'wind_speed', 'wind_dir_sin', 'wind_dir_cos', 'target_fire_mask', 'target_burned_new',
         'ndvi']
worst, checked = 0.0, 0
for path in sorted(glob.glob(os.path.join(dataset, 'samples', '*', '*.tif'))):
    with rasterio.open(path) as mine, rasterio.open(os.path.join(reference, os.path.basename(path))) as theirs:
        order = list(mine.descriptions)
        for index, name in enumerate(names, start=1):
            a = mine.read(order.index(name) + 1).astype('float64')
            b = theirs.read(index).astype('float64')
            if name in ('fire_mask', 'target_fire_mask', 'target_burned_new'):
                if not numpy.array_equal(a, b):
                    sys.exit(f'{os.path.basename(path)} {name}: {int((a != b).sum())} cells differ')
            else:
                if not numpy.array_equal(numpy.isnan(a), numpy.isnan(b)):
                    sys.exit(f'{os.path.basename(path)} {name}: no data in different cells')
                if not numpy.isnan(b).all():
                    worst = max(worst, float(numpy.nanmax(numpy.abs(a - b) / numpy.maximum(1, numpy.abs(b)))))
        checked += 1
if worst > 1e-4:
    sys.exit(f'weather differs by {worst:.2e} (relative) somewhere')
print(f'{checked} samples agree: masks exactly, weather, wind and NDVI within {worst:.1e} (relative)')
