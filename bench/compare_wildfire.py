#!/usr/bin/env python3
"""Checks swath wildfire's stack against the GDAL chain's rasters on sample
windows: NDVI, NBR and dNBR to 1e-6 (relative above 1), slope and aspect
(from sin/cos) to 1e-3 degrees, the same nodata. Exit 1 on a mismatch.

Usage: compare_wildfire.py STACK.tif CHAIN_DIR
"""
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
stack = gdal.Open(sys.argv[1])
chain = sys.argv[2]
names = {stack.GetRasterBand(i + 1).GetDescription(): i + 1 for i in range(stack.RasterCount)}
size = stack.RasterXSize
windows = [(x, y, 256, 256) for x in (0, size // 3, size - 256) for y in (0, size // 2, size - 256)]
bad = 0


def ours(name, w):
    return stack.GetRasterBand(names[name]).ReadAsArray(*w).astype(np.float64)


opened = {}


def theirs(name, w):
    # Datasets kept open: a band outliving its dataset crashes GDAL's Python bindings.
    if name not in opened:
        opened[name] = gdal.Open(f"{chain}/{name}.tif")
    return opened[name].GetRasterBand(1).ReadAsArray(*w).astype(np.float64)


for w in windows:
    for name in ("ndvi_post", "nbr_pre", "nbr_post", "dnbr", "slope_deg"):
        a, b = ours(name, w), theirs(name, w)
        valid = (a != -9999) & (b != -9999)
        tolerance = 1e-3 if name == "slope_deg" else 1e-6 * np.maximum(1, np.abs(b))
        bad += int(np.sum((a == -9999) != (b == -9999)))
        bad += int(np.sum(np.abs(a - b)[valid] > (tolerance[valid] if np.ndim(tolerance) else tolerance)))
    sine, cosine, aspect = ours("aspect_sin", w), ours("aspect_cos", w), theirs("aspect", w)
    valid = (sine != -9999) & (aspect != -9999)
    degrees = np.degrees(np.arctan2(sine, cosine)) % 360
    difference = np.abs(degrees - aspect)
    difference = np.minimum(difference, 360 - difference)
    bad += int(np.sum(difference[valid] > 1e-3)) + int(np.sum((sine == -9999) != (aspect == -9999)))
print(f"compared {len(windows)} windows of 256 x 256 on 7 rasters: {bad} mismatches")
sys.exit(1 if bad else 0)
