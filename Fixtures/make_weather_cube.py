#!/usr/bin/env python3
"""Writes small CF NetCDF weather cubes for the spread-dataset tests, with
GDAL's multidimensional API (osgeo), at test time.

weather.nc: time (6 steps, every 6 hours from 2026-08-01 00:00 UTC, "hours
since 2026-08-01 00:00:00"), lat (12, from 38.95 down by 0.02, as ERA5 lays
it out), lon (16, from -121.95 by 0.02); variables
  u10(time, lat, lon) = 1 + t + 0.1 j - 0.05 i        m s-1   (t step, i lat index, j lon index)
  v10(time, lat, lon) = -2 + 0.5 t + 0.02 i j          m s-1
  t2m(time, lat, lon): int16 packed, scale 0.01, offset 273.15, raw = 1000 t + 10 i + j   K
notime.nc: level (3), lat, lon; variable q(level, lat, lon): no time dimension.
weather360.nc: u10 again on longitudes 0–360 (238.05 east for 121.95 west), as ERA5 comes from the CDS.
weather.grb2: u10 again as six GRIB2 messages (10 m u-wind, UGRD, reference time 2026-08-01 00:00 UTC,
forecast hours 0, 6, …, 30; IEEE floats, so no packing loss), as NCEP's archives hold it; GDAL's
multidimensional view names it UGRD_10-HTGL(TIME, Y, X).

Usage: make_weather_cube.py OUT_DIR
"""
import os
import sys

import numpy
from osgeo import gdal

gdal.UseExceptions()


def string_attribute(target, name, value):
    attribute = target.CreateAttribute(name, [], gdal.ExtendedDataType.CreateString())
    attribute.Write(value)


def axis(group, name, kind, values, units, standard_name):
    dimension = group.CreateDimension(name, kind, None, len(values))
    variable = group.CreateMDArray(name, [dimension], gdal.ExtendedDataType.Create(gdal.GDT_Float64))
    variable.Write(numpy.array(values, dtype=numpy.float64))
    string_attribute(variable, 'units', units)
    string_attribute(variable, 'standard_name', standard_name)
    # netCDF makes a variable named after its dimension that dimension's coordinates by itself.
    return dimension, variable


def horizontal(group, first_longitude=-121.95):
    lat, _ = axis(group, 'lat', 'HORIZONTAL_Y', [38.95 - 0.02 * i for i in range(12)], 'degrees_north', 'latitude')
    lon, _ = axis(group, 'lon', 'HORIZONTAL_X', [first_longitude + 0.02 * j for j in range(16)], 'degrees_east', 'longitude')
    return lat, lon


def weather(path, first_longitude=-121.95):
    dataset = gdal.GetDriverByName('netCDF').CreateMultiDimensional(path)
    group = dataset.GetRootGroup()
    time, time_variable = axis(group, 'time', 'TEMPORAL', [6.0 * t for t in range(6)],
                               'hours since 2026-08-01 00:00:00', 'time')
    string_attribute(time_variable, 'calendar', 'standard')
    lat, lon = horizontal(group, first_longitude)
    t, i, j = numpy.meshgrid(numpy.arange(6), numpy.arange(12), numpy.arange(16), indexing='ij')
    floats = gdal.ExtendedDataType.Create(gdal.GDT_Float32)
    u10 = group.CreateMDArray('u10', [time, lat, lon], floats)
    u10.Write((1 + t + 0.1 * j - 0.05 * i).astype(numpy.float32))
    u10.SetUnit('m s-1')
    v10 = group.CreateMDArray('v10', [time, lat, lon], floats)
    v10.Write((-2 + 0.5 * t + 0.02 * i * j).astype(numpy.float32))
    v10.SetUnit('m s-1')
    t2m = group.CreateMDArray('t2m', [time, lat, lon], gdal.ExtendedDataType.Create(gdal.GDT_Int16))
    t2m.SetScale(0.01)
    t2m.SetOffset(273.15)
    t2m.Write((1000 * t + 10 * i + j).astype(numpy.int16))
    t2m.SetUnit('K')
    del dataset


def notime(path):
    dataset = gdal.GetDriverByName('netCDF').CreateMultiDimensional(path)
    group = dataset.GetRootGroup()
    level, _ = axis(group, 'level', '', [1000.0, 850.0, 500.0], 'hPa', 'air_pressure')
    lat, lon = horizontal(group)
    q = group.CreateMDArray('q', [level, lat, lon], gdal.ExtendedDataType.Create(gdal.GDT_Float32))
    q.Write(numpy.ones((3, 12, 16), dtype=numpy.float32))
    del dataset


def grib(netcdf, path):
    options = ['DISCIPLINE=0', 'DATA_ENCODING=IEEE_FLOATING_POINT', 'PDS_PDTN=0',
               'IDS=CENTER=7 SUBCENTER=0 MASTER_TABLE=2 SIGNF_REF_TIME=1 REF_TIME=2026-08-01T00:00:00Z PROD_STATUS=0 TYPE=1']
    # Template 4.0: momentum (2), u-component (2), forecast, hours as the unit (1), then the step's hour;
    # surface 103 (height above ground), 10 m.
    options += [f'BAND_{step + 1}_PDS_TEMPLATE_ASSEMBLED_VALUES=2 2 2 0 96 0 0 1 {6 * step} 103 0 10 255 0 0' for step in range(6)]
    gdal.Translate(path, f'NETCDF:"{netcdf}":u10', format='GRIB', outputSRS='EPSG:4326', creationOptions=options)


if __name__ == '__main__':
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    weather(os.path.join(out, 'weather.nc'))
    notime(os.path.join(out, 'notime.nc'))
    weather(os.path.join(out, 'weather360.nc'), first_longitude=360 - 121.95)
    grib(os.path.join(out, 'weather.nc'), os.path.join(out, 'weather.grb2'))
