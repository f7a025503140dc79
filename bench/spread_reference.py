#!/usr/bin/env python3
"""The reference of make bench-spread: the same samples swath spread-dataset
wrote, built again with xarray (the weather step before each observation) and
the GDAL command line (gdal_rasterize for the perimeters, gdalwarp -r bilinear
for the weather and the scene's red and NIR bands (NDVI), gdal_merge-style
stacking with rasterio), one sample at a time.

Usage: spread_reference.py DATASET_DIR WEATHER_NC PERIMETER_DIR OUT_DIR
(the scene of day k is PERIMETER_DIR/day<k>.tif)
Prints the number of samples built and the seconds it took.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy
import rasterio
import xarray

dataset, weather_path, perimeter_dir, out = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
items = sorted(glob.glob(os.path.join(dataset, 'samples', '*', '*.json')))
start = time.time()
weather = xarray.open_dataset(weather_path)
for item_path in items:
    item = json.load(open(item_path))
    tif = item_path[:-5] + '.tif'
    with rasterio.open(tif) as sample:  # the window: where swath put it
        transform, width, height, crs = sample.transform, sample.width, sample.height, sample.crs
    when = numpy.datetime64(item['properties']['datetime'].replace('Z', ''))
    target_when = item['properties']['swath:target_datetime']
    day = (numpy.datetime64(target_when.replace('Z', '')) - numpy.datetime64('2026-08-01T18:00:00')).astype('timedelta64[D]').astype(int)
    te = [str(v) for v in (transform.c, transform.f + height * transform.e, transform.c + width * transform.a, transform.f)]
    grid = ['-te', *te, '-ts', str(width), str(height)]
    bands = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, k in [('fire_mask', day - 1), ('target_fire_mask', day)]:
            burned = os.path.join(scratch, f'{name}.tif')
            subprocess.run(['gdal_rasterize', '-q', '-burn', '1', '-ot', 'Float32', '-a_srs', 'EPSG:32610', *grid,
                            os.path.join(perimeter_dir, f'fire{k}.geojson'), burned], check=True)
            with rasterio.open(burned) as raster:
                bands.append(raster.read(1))
        for variable in ['u10', 'v10', 't2m']:
            step = weather[variable].sel(time=when, method='ffill')  # the last step at or before the observation
            lat, lon = step['lat'].values, step['lon'].values
            source = os.path.join(scratch, f'{variable}.tif')
            profile = {'driver': 'GTiff', 'width': len(lon), 'height': len(lat), 'count': 1, 'dtype': 'float32', 'crs': 'EPSG:4326',
                       'transform': rasterio.transform.from_origin(lon[0] - 0.025, lat[0] + 0.025, 0.05, 0.05)}
            with rasterio.open(source, 'w', **profile) as raster:
                raster.write(step.values.astype('float32'), 1)
            warped = os.path.join(scratch, f'{variable}-warped.tif')
            subprocess.run(['gdalwarp', '-q', '-r', 'bilinear', '-t_srs', 'EPSG:32610', *grid, '-ot', 'Float32', source, warped], check=True)
            with rasterio.open(warped) as raster:
                bands.append(raster.read(1))
        # NDVI of the day's scene: red (3) and NIR (4) warped bilinear onto the window; 0 is the scene's nodata.
        scene = os.path.join(perimeter_dir, f'day{day - 1}.tif')
        optical = os.path.join(scratch, 'optical.tif')
        subprocess.run(['gdalwarp', '-q', '-r', 'bilinear', *grid, '-ot', 'Float32', '-dstnodata', 'nan', scene, optical], check=True)
        with rasterio.open(optical) as raster:
            red, nir = raster.read(3).astype('float64'), raster.read(4).astype('float64')
        with numpy.errstate(divide='ignore', invalid='ignore'):
            ndvi = numpy.where(nir + red != 0, (nir - red) / (nir + red), numpy.nan)
    u, v = bands[2], bands[3]
    speed = numpy.hypot(u, v)
    stack = [bands[0], bands[2], bands[3], bands[4], speed, u / speed, v / speed, bands[1], (bands[1] == 1) & (bands[0] == 0), ndvi]
    with rasterio.open(os.path.join(out, os.path.basename(tif)), 'w', driver='GTiff', width=width, height=height, count=len(stack),
                       dtype='float32', crs=crs, transform=transform, compress='deflate', tiled=True) as written:
        for index, plane in enumerate(stack, start=1):
            written.write(plane.astype('float32'), index)
print(len(items), f'{time.time() - start:.3f}')
