"""A 6-band 2048 × 2048 UInt16 scene of painted fields for make bench-segment.

    python3 bench/make_segment_scene.py OUT.tif

Rectangular fields of random sizes and spectra on a textured background, at 10 m in UTM 10N.
"""
import sys

import numpy as np
from osgeo import gdal, osr

size, bands = 2048, 6
rng = np.random.default_rng(11)
scene = rng.integers(900, 1100, size=(bands, size, size)).astype(np.uint16)
for _ in range(400):
    w, h = rng.integers(20, 200, size=2)
    x, y = rng.integers(0, size - w), rng.integers(0, size - h)
    spectrum = rng.integers(1500, 6000, size=bands)
    for band in range(bands):
        scene[band, y:y + h, x:x + w] = spectrum[band] + rng.integers(0, 60, size=(h, w))
srs = osr.SpatialReference()
srs.ImportFromEPSG(32610)
out = gdal.GetDriverByName('GTiff').Create(sys.argv[1], size, size, bands, gdal.GDT_UInt16, ['TILED=YES', 'COMPRESS=DEFLATE'])
out.SetGeoTransform([600000, 10, 0, 4300000, 0, -10])
out.SetProjection(srs.ExportToWkt())
for band in range(bands):
    out.GetRasterBand(band + 1).WriteArray(scene[band])
out = None
