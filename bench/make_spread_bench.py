#!/usr/bin/env python3
"""Inputs of make bench-spread, written with Debian's osgeo: an hourly weather
cube over the standard scene (10 days from 2026-08-01 00:00 UTC, 0.05°, u10,
v10, t2m as CF NetCDF) and ten daily perimeters of one fire driven east by the
wind (fire0.geojson … fire9.geojson, EPSG:32610, growing ellipses).

Usage: make_spread_bench.py OUT_DIR
"""
import json
import math
import os
import sys

import numpy
from osgeo import gdal

gdal.UseExceptions()


def attribute(target, name, value):
    gdal_attribute = target.CreateAttribute(name, [], gdal.ExtendedDataType.CreateString())
    gdal_attribute.Write(value)


def axis(group, name, kind, values, units):
    dimension = group.CreateDimension(name, kind, None, len(values))
    variable = group.CreateMDArray(name, [dimension], gdal.ExtendedDataType.Create(gdal.GDT_Float64))
    variable.Write(numpy.array(values, dtype=numpy.float64))
    attribute(variable, 'units', units)
    return dimension


def weather(path):
    dataset = gdal.GetDriverByName('netCDF').CreateMultiDimensional(path)
    group = dataset.GetRootGroup()
    hours = 240
    time = axis(group, 'time', 'TEMPORAL', list(range(hours)), 'hours since 2026-08-01 00:00:00')
    lat = axis(group, 'lat', 'HORIZONTAL_Y', [38.2 - 0.05 * i for i in range(30)], 'degrees_north')
    lon = axis(group, 'lon', 'HORIZONTAL_X', [-123.7 + 0.05 * j for j in range(44)], 'degrees_east')
    t, i, j = numpy.meshgrid(numpy.arange(hours), numpy.arange(30), numpy.arange(44), indexing='ij')
    floats = gdal.ExtendedDataType.Create(gdal.GDT_Float32)
    for name, values, unit in [
        ('u10', 4 + 2 * numpy.sin(t / 12.0) + 0.05 * j, 'm s-1'),
        ('v10', -1 + numpy.cos(t / 24.0) + 0.03 * i, 'm s-1'),
        ('t2m', 295 + 8 * numpy.sin((t - 6) / 24.0 * 2 * math.pi) - 0.1 * i, 'K'),
    ]:
        variable = group.CreateMDArray(name, [time, lat, lon], floats)
        variable.Write(values.astype(numpy.float32))
        variable.SetUnit(unit)
    del dataset


def perimeters(out):
    for k in range(10):
        cx, cy = 550_000 + 200 * k, 4_150_000
        a, b = 1_000 + 400 * k, 800 + 150 * k
        ring = [[cx + a * math.cos(2 * math.pi * n / 64), cy + b * math.sin(2 * math.pi * n / 64)] for n in range(64)]
        ring.append(ring[0])
        document = {'type': 'FeatureCollection',
                    'crs': {'type': 'name', 'properties': {'name': 'urn:ogc:def:crs:EPSG::32610'}},
                    'features': [{'type': 'Feature', 'properties': {}, 'geometry': {'type': 'Polygon', 'coordinates': [ring]}}]}
        with open(os.path.join(out, f'fire{k}.geojson'), 'w') as handle:
            json.dump(document, handle)


if __name__ == '__main__':
    os.makedirs(sys.argv[1], exist_ok=True)
    weather(os.path.join(sys.argv[1], 'weather.nc'))
    perimeters(sys.argv[1])
