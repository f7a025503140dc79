#!/usr/bin/python3
"""Regenerates Swath's test fixtures (small GeoTIFFs and broken inputs).

Run with Debian's python3 (python3-gdal, python3-numpy): `make fixtures`.
Deterministic: the same bytes every run, so the committed files only change
when this script does.
"""
import os
import shutil
import struct
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))


def srs_wkt(epsg):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return srs.ExportToWkt()


def smooth_field(height, width, seed, scale=3000.0, noise=40.0):
    """Smooth fields plus a little noise, like reflectance over farmland."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    field = scale * (1.2 + np.sin(x / 23.0 + seed) * np.cos(y / 31.0 - seed) + 0.3 * np.sin((x + y) / 11.0))
    return field + rng.normal(0.0, noise, size=(height, width))


def create(name, width, height, bands, dtype, options, epsg=None, transform=None):
    path = os.path.join(HERE, name)
    ds = gdal.GetDriverByName("GTiff").Create(path, width, height, bands, dtype, options)
    if transform is not None:
        ds.SetGeoTransform(transform)
    if epsg is not None:
        ds.SetProjection(srs_wkt(epsg))
    return ds


def utm_multiband():
    """4-band UInt16 in UTM 10N at 10 m, nodata 0 in a top-left triangle, internal overviews."""
    width, height = 256, 192
    ds = create("utm_multiband.tif", width, height, 4, gdal.GDT_UInt16,
                ["TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=DEFLATE", "PREDICTOR=2"],
                epsg=32610, transform=[600000.0, 10.0, 0.0, 4300000.0, 0.0, -10.0])
    y, x = np.mgrid[0:height, 0:width]
    nodata_region = (x + y) < 110
    names = ["blue", "green", "red", "nir"]
    colours = [gdal.GCI_BlueBand, gdal.GCI_GreenBand, gdal.GCI_RedBand, gdal.GCI_Undefined]
    for index in range(4):
        values = np.clip(smooth_field(height, width, seed=index + 1, scale=1000.0, noise=3.0), 1, 65535).astype(np.uint16)
        values[nodata_region] = 0
        band = ds.GetRasterBand(index + 1)
        band.WriteArray(values)
        band.SetNoDataValue(0)
        band.SetDescription(names[index])
        band.SetColorInterpretation(colours[index])
    ds.BuildOverviews("AVERAGE", [2, 4])
    ds = None


def geographic():
    """1-band Byte in WGS84 lon/lat, 0.001 degree pixels."""
    ds = create("geographic.tif", 200, 100, 1, gdal.GDT_Byte, ["COMPRESS=DEFLATE"],
                epsg=4326, transform=[-122.5, 0.001, 0.0, 38.0, 0.0, -0.001])
    values = (smooth_field(100, 200, seed=7, scale=60.0, noise=3.0)).clip(0, 255).astype(np.uint8)
    ds.GetRasterBand(1).WriteArray(values)
    ds = None


def rotated():
    """1-band UInt16 in UTM 33N whose pixel grid is rotated 30 degrees."""
    cos30, sin30 = 10.0 * np.cos(np.radians(30)), 10.0 * np.sin(np.radians(30))
    ds = create("rotated.tif", 150, 100, 1, gdal.GDT_UInt16, ["COMPRESS=DEFLATE"],
                epsg=32633, transform=[400000.0, cos30, sin30, 5000000.0, sin30, -cos30])
    ds.GetRasterBand(1).WriteArray(smooth_field(100, 150, seed=9).clip(0, 65535).astype(np.uint16))
    ds = None


def striped():
    """Strip-organised (not tiled), uncompressed 3-band Byte in Web Mercator, odd size."""
    ds = create("striped.tif", 129, 67, 3, gdal.GDT_Byte, ["TILED=NO", "BLOCKYSIZE=8"],
                epsg=3857, transform=[-13580000.0, 30.0, 0.0, 4560000.0, 0.0, -30.0])
    for index in range(3):
        values = smooth_field(67, 129, seed=20 + index, scale=60.0, noise=4.0).clip(1, 255).astype(np.uint8)
        band = ds.GetRasterBand(index + 1)
        band.WriteArray(values)
        band.SetNoDataValue(0)
    ds = None


def no_crs():
    """Float32 without CRS or geotransform, nodata NaN over its left quarter."""
    ds = create("no_crs.tif", 100, 80, 1, gdal.GDT_Float32, ["COMPRESS=DEFLATE"])
    values = smooth_field(80, 100, seed=11, scale=1.0, noise=0.01).astype(np.float32)
    values[:, :25] = np.nan
    band = ds.GetRasterBand(1)
    band.WriteArray(values)
    band.SetNoDataValue(float("nan"))
    ds = None


def antimeridian():
    """1-band Byte in UTM 60N at 1 km pixels, far enough east to cross 180 degrees."""
    ds = create("antimeridian.tif", 100, 50, 1, gdal.GDT_Byte, [],
                epsg=32660, transform=[600000.0, 1000.0, 0.0, 7250000.0, 0.0, -1000.0])
    ds.GetRasterBand(1).WriteArray(np.full((50, 100), 100, dtype=np.uint8))
    ds = None


def truncated():
    """A valid header and directory whose pixel data is cut off."""
    source = os.path.join(HERE, "utm_multiband.tif")
    target = os.path.join(HERE, "truncated.tif")
    gdal.Translate(target, source, creationOptions=["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2"])
    size = os.path.getsize(target)
    with open(target, "r+b") as handle:
        handle.truncate(size // 3)


def not_a_raster():
    with open(os.path.join(HERE, "not_a_raster.tif"), "w") as handle:
        handle.write("This is a text file with a .tif name, not an image.\n")


def absurd():
    """A 100-byte TIFF whose header declares 1,000,000 x 1,000,000 pixels."""
    entries = [  # (tag, type, count, value); SHORT=3, LONG=4
        (256, 4, 1, 1_000_000),  # ImageWidth
        (257, 4, 1, 1_000_000),  # ImageLength
        (258, 3, 1, 8),          # BitsPerSample
        (259, 3, 1, 1),          # Compression: none
        (262, 3, 1, 1),          # Photometric: min-is-black
        (273, 4, 1, 8),          # StripOffsets
        (277, 3, 1, 1),          # SamplesPerPixel
        (278, 4, 1, 1_000_000),  # RowsPerStrip
        (279, 4, 1, 16),         # StripByteCounts
    ]
    ifd_offset = 8 + 16
    data = b"II" + struct.pack("<HI", 42, ifd_offset) + bytes(16)
    data += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<I", value)
        data += struct.pack("<HHI", tag, kind, count) + packed
    data += struct.pack("<I", 0)
    with open(os.path.join(HERE, "absurd.tif"), "wb") as handle:
        handle.write(data)


def main():
    for step in (utm_multiband, geographic, rotated, striped, no_crs, antimeridian, truncated, not_a_raster, absurd):
        step()
    for leftover in [name for name in os.listdir(HERE) if name.endswith(".aux.xml")]:
        os.remove(os.path.join(HERE, leftover))
    print("fixtures written to", HERE, file=sys.stderr)


if __name__ == "__main__":
    main()
