#!/usr/bin/env python3
"""Lists the XYZ tile paths covering a scene at its native zoom and two
zooms out, from the server's TileJSON (bounds, nativeZoom), in row order —
the way a map pans across it. With --grid, the tiles of the scene's own pixel
grid (the workbench's native view) at zoom 0 (every pixel) and two zooms out,
from the TileJSON's grid (width, height, tileSize).

Usage: tile_paths.py TILEJSON_FILE SCENE_ID [--grid] > paths.txt
"""
import json
import math
import sys


def tile(lon, lat, zoom):
    n = 2 ** zoom
    x = int(math.floor((lon + 180) / 360 * n))
    y = int(math.floor((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def grid_paths(info, scene):
    grid = info["grid"]
    width, height, size = int(grid["width"]), int(grid["height"]), int(grid["tileSize"])
    for zoom in (0, -1, -2):
        span = size << -zoom
        for y in range(math.ceil(height / span)):
            for x in range(math.ceil(width / span)):
                print(f"/api/v1/scenes/{scene}/grid/{zoom}/{x}/{y}.png")


def main():
    info = json.load(open(sys.argv[1]))
    scene = sys.argv[2]
    if "--grid" in sys.argv[3:]:
        grid_paths(info, scene)
        return
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
