#!/usr/bin/env python3
"""Makes the small wildfire inputs the tests need, in a folder given on the
command line (they are generated at test time, not committed):

  post.tif, pre.tif  6 bands UInt16 (blue, green, red, nir, swir1, swir2),
                     64 x 48 at 10 m in UTM 10N, nodata 0; a few pixels have
                     nir = swir2 = swir1 = red = 1000 so that with offset -0.1 and
                     scale 0.0001 every denominator is exactly zero
  dem.tif            Float32 on the same grid, hills and a nodata hole (-32768)
  dem_wgs84.tif      a larger DEM warped to EPSG:4326 (must be warped back)
  dem_small.tif      a DEM covering only the western half of the scene
"""
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
out = sys.argv[1]
W, H = 64, 48
GT = [600000.0, 10.0, 0.0, 4300000.0, 0.0, -10.0]
srs = osr.SpatialReference()
srs.ImportFromEPSG(32610)
rng = np.random.default_rng(7)


def write(name, arrays, dtype, nodata, gt=GT, width=W, height=H):
    ds = gdal.GetDriverByName("GTiff").Create(f"{out}/{name}", width, height, len(arrays), dtype)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs.ExportToWkt())
    for i, a in enumerate(arrays):
        band = ds.GetRasterBand(i + 1)
        band.SetNoDataValue(nodata)
        band.WriteArray(a)
    ds = None


def scene(seed_shift):
    bands = [rng.integers(200, 6000, size=(H, W)).astype(np.uint16) for _ in range(6)]
    bands[3] = (bands[3] + seed_shift).astype(np.uint16)
    for b in bands:
        b[5, 7] = 0                      # nodata
        b[10:12, 20:22] = 1000           # reflectance exactly 0 with offset -0.1
    return bands


write("post.tif", scene(0), gdal.GDT_UInt16, 0)
write("pre.tif", scene(1500), gdal.GDT_UInt16, 0)

y, x = np.mgrid[0:H, 0:W].astype(np.float64)
dem = 300 + 2.0 * x + 1.0 * y + 25 * np.sin(x / 6.0) * np.cos(y / 5.0)
dem[3:5, 40:43] = -32768
dem[30:34, 10:14] = 500.0                 # a flat patch: aspect undefined
write("dem.tif", [dem.astype(np.float32)], gdal.GDT_Float32, -32768)

PAD = 12
yb, xb = np.mgrid[0:H + 2 * PAD, 0:W + 2 * PAD].astype(np.float64)
big = 300 + 2.0 * (xb - PAD) + 1.0 * (yb - PAD)
big_gt = [GT[0] - PAD * 10, 10.0, 0.0, GT[3] + PAD * 10, 0.0, -10.0]
write("dem_big.tif", [big.astype(np.float32)], gdal.GDT_Float32, -32768, gt=big_gt, width=W + 2 * PAD, height=H + 2 * PAD)
gdal.Warp(f"{out}/dem_wgs84.tif", f"{out}/dem_big.tif", dstSRS="EPSG:4326", resampleAlg="bilinear")

half = dem[:, : W // 2].copy()
write("dem_small.tif", [half.astype(np.float32)], gdal.GDT_Float32, -32768, width=W // 2)

# A burned square in the scene's CRS (columns 15-34, rows 15-29), for `swath import`.
from osgeo import ogr  # noqa: E402

driver = ogr.GetDriverByName("GPKG")
source = driver.CreateDataSource(f"{out}/burn.gpkg")
layer = source.CreateLayer("burn", srs, ogr.wkbPolygon)
feature = ogr.Feature(layer.GetLayerDefn())
feature.SetGeometry(ogr.CreateGeometryFromWkt(
    "POLYGON ((600150 4299700, 600350 4299700, 600350 4299850, 600150 4299850, 600150 4299700))"))
layer.CreateFeature(feature)
source = None
