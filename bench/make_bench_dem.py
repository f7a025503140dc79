#!/usr/bin/env python3
"""Makes the benchmark DEM on the standard scene's grid: 10980 x 10980
Float32 at 10 m in UTM 10N, rolling hills up to ~900 m, tiled 512 and
DEFLATE-compressed like the scene, written in strips and renamed when done.

Usage: make_bench_dem.py OUTPUT.tif [--size N]
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
    args = parser.parse_args()
    size = args.size
    partial = args.output + ".partial.tif"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32610)
    ds = gdal.GetDriverByName("GTiff").Create(partial, size, size, 1, gdal.GDT_Float32,
                                              ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE",
                                               "PREDICTOR=3", "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"])
    ds.SetGeoTransform([499980.0, 10.0, 0.0, 4200000.0, 0.0, -10.0])
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-32768)
    x = np.arange(size, dtype=np.float64)[None, :]
    for top in range(0, size, 512):
        rows = min(512, size - top)
        y = np.arange(top, top + rows, dtype=np.float64)[:, None]
        dem = 400 + 300 * np.sin(x / 900.0) * np.cos(y / 1300.0) + 150 * np.sin((x + y) / 370.0) + 0.02 * x
        band.WriteArray(dem.astype(np.float32), 0, top)
    ds.FlushCache()
    ds = None
    os.replace(partial, args.output)


if __name__ == "__main__":
    main()
