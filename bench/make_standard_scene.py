#!/usr/bin/python3
"""Makes the standard benchmark scene: 10980 x 10980 pixels, 4 bands UInt16,
tiled 512 x 512, DEFLATE with PREDICTOR=2, UTM zone 10N at 10 m, smooth
fields plus noise, and a nodata corner covering about 30% of the scene.

Usage: make_standard_scene.py OUTPUT.tif [--size N] [--seed S]
Written in strips so memory stays small; renamed into place when complete.
"""
import argparse
import os

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--size", type=int, default=10980)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = args.size
    partial = args.output + ".partial.tif"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32610)
    options = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "PREDICTOR=2",
               "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"]
    ds = gdal.GetDriverByName("GTiff").Create(partial, size, size, 4, gdal.GDT_UInt16, options)
    ds.SetGeoTransform([499980.0, 10.0, 0.0, 4200000.0, 0.0, -10.0])
    ds.SetProjection(srs.ExportToWkt())
    names = ["blue", "green", "red", "nir"]
    for index in range(4):
        band = ds.GetRasterBand(index + 1)
        band.SetNoDataValue(0)
        band.SetDescription(names[index])
    # The corner x + y < 0.7746·size is half a square of side 0.7746·size: 30% of the scene.
    corner = 0.7746 * size
    rng = np.random.default_rng(args.seed)
    x = np.arange(size, dtype=np.float64)
    for top in range(0, size, 512):
        rows = min(512, size - top)
        y = np.arange(top, top + rows, dtype=np.float64)[:, None]
        nodata = (x[None, :] + y) < corner
        for index in range(4):
            phase = index * 0.7 + args.seed
            field = 1500 + 900 * np.sin(x[None, :] / 180.0 + phase) * np.cos(y / 240.0 - phase) \
                + 300 * np.sin((x[None, :] + 2 * y) / 57.0 + phase)
            values = np.clip(field + rng.normal(0, 25, size=(rows, size)), 1, 65535).astype(np.uint16)
            values[nodata] = 0
            ds.GetRasterBand(index + 1).WriteArray(values, 0, top)
    ds.FlushCache()
    ds = None
    os.replace(partial, args.output)


if __name__ == "__main__":
    main()
