#!/usr/bin/python3
"""Writes ~20 octagonal field polygons per 512 x 512 chip of the standard
scene (UTM 10N, 10 m, origin 499980 E / 4200000 N) to a GeoPackage in
EPSG:32610, each with a land-cover class, for `make bench-export`.
Usage: make_bench_labels.py OUTPUT.gpkg [--size 10980]
"""
import argparse
import math
import os
import random

from osgeo import ogr, osr

ogr.UseExceptions()
CLASSES = ["tree cover", "shrubland", "grassland", "cropland", "built-up"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--size", type=int, default=10980)
    args = parser.parse_args()
    if os.path.exists(args.output):
        os.remove(args.output)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32610)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(args.output)
    layer = ds.CreateLayer("fields", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTString))
    rng = random.Random(1)
    layer.StartTransaction()
    chips = math.ceil(args.size / 512)
    for row in range(chips):
        for col in range(chips):
            # A 5 x 4 lattice of cells inside the chip, one octagon per cell.
            for k in range(20):
                cx = col * 512 + 51 + (k % 5) * 102 + rng.uniform(-10, 10)
                cy = row * 512 + 64 + (k // 5) * 128 + rng.uniform(-10, 10)
                if cx >= args.size - 30 or cy >= args.size - 30:
                    continue
                radius = rng.uniform(15, 40)
                ring = ogr.Geometry(ogr.wkbLinearRing)
                for v in range(9):
                    angle = (v % 8) * math.pi / 4
                    px, py = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
                    ring.AddPoint_2D(499980 + px * 10, 4200000 - py * 10)
                polygon = ogr.Geometry(ogr.wkbPolygon)
                polygon.AddGeometry(ring)
                feature = ogr.Feature(layer.GetLayerDefn())
                feature.SetField("class", rng.choice(CLASSES))
                feature.SetGeometry(polygon)
                layer.CreateFeature(feature)
    layer.CommitTransaction()
    ds = None


if __name__ == "__main__":
    main()
