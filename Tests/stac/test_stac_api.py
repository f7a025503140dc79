"""The STAC API against a running `swath serve`, with the tools trainers use.

A project's fixture scene is labelled and accepted over HTTP, a manager makes a release of it
(64-pixel chips, background kept), and then:
  - pystac-client pages through the release (GET and POST searches, 5 items a page): every chip
    of the release exactly once, the splits as the release's own manifest (`swath release export`)
    says, and an item's image read with GDAL is the chip's window of the scene;
  - stac-api-validator (the official suite) checks core, collections, features and item-search,
    offline (offline_validator.py serves the schemas pystac ships).

Run with the STAC venv's python (`make deps` makes .venv-stac/); SWATH_BIN names the binary.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'support'))
from swath_process import SwathProcess  # noqa: E402

from osgeo import gdal  # noqa: E402
from pystac_client import Client  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
FIXTURE = os.path.join(REPO, 'Fixtures', 'utm_multiband.tif')
gdal.UseExceptions()


class Failure(Exception):
    pass


def call(base, token, method, path, body=None, expect=(200, 201, 202, 204)):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header('Authorization', f'Bearer {token}')
    if data is not None:
        request.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    if status not in expect:
        raise Failure(f'{method} {path} answered {status}: {raw[:300]!r}')
    return json.loads(raw) if raw else None


def square(task):
    """A polygon in the middle of the task's footprint (WGS84), as an annotator would draw it."""
    ring = task['footprintWGS84']['coordinates'][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    dx, dy = (x1 - x0) * 0.3, (y1 - y0) * 0.3
    coordinates = [[[x0 + dx, y0 + dy], [x1 - dx, y0 + dy], [x1 - dx, y1 - dy], [x0 + dx, y1 - dy], [x0 + dx, y0 + dy]]]
    return {'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'properties': {'class': 'building'}, 'geometry': {'type': 'Polygon', 'coordinates': coordinates}}]}


def make_world(swath):
    tokens = {}
    for name, admin in (('admin', True), ('manager', False), ('annotator', False), ('reviewer', False), ('trainer', False)):
        created = swath.run_json('admin', 'create-user', '--db', swath.db, '--name', name, *(['--admin'] if admin else []))
        tokens[name] = created['token']
        tokens[name + '-id'] = created['id']
    project = swath.run_json('admin', 'create-project', '--db', swath.db, '--customer', 'Hidden Customer', '--codename', 'HERON',
                             '--tile-size', '128')['id']
    for name in ('manager', 'annotator', 'reviewer', 'trainer'):
        swath.run('admin', 'add-member', '--db', swath.db, '--project', str(project), '--user', str(tokens[name + '-id']), '--role', name)
    swath.run_json('ingest', '--db', swath.db, '--project', str(project), FIXTURE, '--band-roles', 'red=3,nir=4', '--no-overviews',
                   '--acquired-at', '2024-07-01T10:30:00Z')
    return project, tokens


def label_everything(base, project, tokens):
    while True:
        task = call(base, tokens['annotator'], 'POST', f'/api/v1/projects/{project}/tasks/claim')
        if not task:
            return
        call(base, tokens['annotator'], 'PUT', f'/api/v1/tasks/{task["id"]}/labels', square(task))
        call(base, tokens['annotator'], 'POST', f'/api/v1/tasks/{task["id"]}/submit')
        call(base, tokens['reviewer'], 'POST', f'/api/v1/tasks/{task["id"]}/review', {'decision': 'accept'})


def check_pystac_client(base, tokens, release, manifest):
    headers = {'Authorization': f'Bearer {tokens["trainer"]}'}
    client = Client.open(base + '/api/v1/stac', headers=headers)
    collection = f'release-{release["id"]}'
    for method in ('GET', 'POST'):
        search = client.search(collections=[collection], limit=5, method=method)
        ids = [item.id for item in search.items()]
        if len(ids) != release['chipCount'] or len(set(ids)) != len(ids):
            raise Failure(f'{method} search gave {len(ids)} items ({len(set(ids))} distinct) for {release["chipCount"]} chips')
        if set(ids) != set(manifest):
            raise Failure(f'{method} search items differ from the release manifest: {sorted(set(ids) ^ set(manifest))[:5]}')
    for split in ('train', 'validation', 'test'):
        found = {item.id for item in client.search(collections=[collection], query={'swath:split': {'eq': split}}, limit=100).items()}
        wanted = {chip for chip, entry in manifest.items() if entry['split'] == split}
        if found != wanted:
            raise Failure(f'query swath:split={split}: {len(found)} items, the manifest has {len(wanted)}')
    item = next(client.search(collections=[collection], limit=1).items())
    image = item.assets['image'].href
    request = urllib.request.Request(image, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response, tempfile.NamedTemporaryFile(suffix='.tif') as local:
        local.write(response.read())
        local.flush()
        chip = gdal.Open(local.name)
        col, row = manifest[item.id]['window'][:2]
        scene = gdal.Open(FIXTURE)
        for band in range(1, scene.RasterCount + 1):
            ours = chip.GetRasterBand(band).ReadRaster()
            theirs = scene.GetRasterBand(band).ReadRaster(col, row, chip.RasterXSize, chip.RasterYSize)
            if ours != theirs:
                raise Failure(f'{item.id} band {band} differs from the scene window at {col}, {row}')
    print(f'  pystac-client: {release["chipCount"]} items once each by GET and POST, splits as the manifest, {item.id} pixel-exact')


def check_validator(base, tokens, release, bbox):
    x0, y0, x1, y1 = bbox
    geometry = json.dumps({'type': 'Polygon', 'coordinates': [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
    command = [sys.executable, os.path.join(HERE, 'offline_validator.py'), '--root-url', base + '/api/v1/stac',
               '--conformance', 'core', '--conformance', 'collections', '--conformance', 'features', '--conformance', 'item-search',
               '--collection', f'release-{release["id"]}', '--geometry', geometry,
               '--auth-bearer-token', tokens['trainer'], '-H', f'Authorization: Bearer {tokens["trainer"]}']
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    print(result.stdout[-4000:])
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        raise Failure(f'stac-api-validator exited {result.returncode}')
    print('  stac-api-validator: core, collections, features, item-search passed')


def main():
    binary = os.environ.get('SWATH_BIN', os.path.join(REPO, '.build', 'debug', 'swath'))
    with tempfile.TemporaryDirectory(prefix='swath-stac-') as tmp:
        swath = SwathProcess(binary, tmp, error=Failure)
        project, tokens = make_world(swath)
        base = swath.start()
        try:
            label_everything(base, project, tokens)
            release = call(base, tokens['manager'], 'POST', f'/api/v1/projects/{project}/releases',
                           {'name': 'v1', 'chipSize': 64, 'backgroundRatio': 1})
            out = os.path.join(tmp, 'release')
            swath.run('release', 'export', '--db', swath.db, '--release', str(release['id']), '--out', out)
            with open(os.path.join(out, 'manifest.jsonl')) as lines:
                manifest = {entry['id']: entry for entry in map(json.loads, lines)}
            bbox = [min(e['bbox'][0] for e in manifest.values()), min(e['bbox'][1] for e in manifest.values()),
                    max(e['bbox'][2] for e in manifest.values()), max(e['bbox'][3] for e in manifest.values())]
            check_pystac_client(base, tokens, release, manifest)
            check_validator(base, tokens, release, bbox)
        finally:
            swath.stop()
    print('STAC API: passed')


if __name__ == '__main__':
    try:
        main()
    except Failure as failure:
        print(f'STAC API: FAILED: {failure}', file=sys.stderr)
        sys.exit(1)
