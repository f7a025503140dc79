#!/usr/bin/env python3
"""Lists the XYZ tile paths covering a scene at its native zoom and two
zooms out, from the server's TileJSON (bounds, nativeZoom), in row order —
the way a map pans across it.

Usage: tile_paths.py TILEJSON_FILE SCENE_ID > paths.txt
"""
import json
import math
import sys


def tile(lon, lat, zoom):
    n = 2 ** zoom
    x = int(math.floor((lon + 180) / 360 * n))
    y = int(math.floor((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def main():
    info = json.load(open(sys.argv[1]))
    scene = sys.argv[2]
    west, south, east, north = info["bounds"]
    native = int(info["nativeZoom"])
    for zoom in (native, native - 1, native - 2):
        x0, y0 = tile(west, north, zoom)
        x1, y1 = tile(east, south, zoom)
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                print(f"/api/v1/scenes/{scene}/tiles/{zoom}/{x}/{y}.png")


if __name__ == "__main__":
    main()
