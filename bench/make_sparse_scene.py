#!/usr/bin/python3
"""Makes the sparse benchmark scene: 400000 x 400000 pixels, one Byte band
with nodata 0, tiled 512 x 512, SPARSE_OK=TRUE, UTM zone 33N at 1 m, and only
a few blocks written. Blocks never written cost nothing but their entries in
the offset tables, so the file stays small (about 10 MB of tables) while a
tiler sees 611,524 tiles of 512 pixels, nearly all of them empty.

Usage: make_sparse_scene.py OUTPUT.tif [--size N] [--block N] [--blocks K] [--seed S]
Prints the written blocks as "col row" lines on stdout (block = tile at 512).
"""
import argparse
import os
import random

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--size", type=int, default=400000)
    parser.add_argument("--block", type=int, default=512)
    parser.add_argument("--blocks", type=int, default=24, help="blocks holding data")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size, block = args.size, args.block
    partial = args.output + ".partial.tif"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    options = ["TILED=YES", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}", "SPARSE_OK=TRUE",
               "COMPRESS=DEFLATE", "BIGTIFF=YES"]
    ds = gdal.GetDriverByName("GTiff").Create(partial, size, size, 1, gdal.GDT_Byte, options)
    ds.SetGeoTransform([300000.0, 1.0, 0.0, 5000000.0, 0.0, -1.0])
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(0)
    blocks_per_side = (size + block - 1) // block
    rng = random.Random(args.seed)
    chosen = set()
    # The corners and the centre, then random blocks: the edges of the grid are covered.
    for col, row in [(0, 0), (blocks_per_side - 1, blocks_per_side - 1), (blocks_per_side // 2, blocks_per_side // 2)]:
        chosen.add((col, row))
    while len(chosen) < min(args.blocks, blocks_per_side * blocks_per_side):
        chosen.add((rng.randrange(blocks_per_side), rng.randrange(blocks_per_side)))
    noise = np.random.default_rng(args.seed)
    for col, row in sorted(chosen, key=lambda b: (b[1], b[0])):
        width = min(block, size - col * block)
        height = min(block, size - row * block)
        data = noise.integers(1, 256, size=(height, width), dtype=np.uint8)
        band.WriteArray(data, col * block, row * block)
        print(col, row)
    ds = None
    os.replace(partial, args.output)


if __name__ == "__main__":
    main()
