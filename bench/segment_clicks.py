"""Clicks for make bench-segment: claims a task, then segments at random points of it, one at a time.

    python3 bench/segment_clicks.py BASE TOKEN PROJECT CLICKS

Prints p50, p95 and the slowest latency (target: p95 ≤ 150 ms).
"""
import json
import random
import statistics
import sys
import time
import urllib.request


def call(base, token, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method='POST',
                                     headers={'Authorization': f'Bearer {token}', 'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b'null')


def main():
    base, token, project, clicks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    task = call(base, token, f'/api/v1/projects/{project}/tasks/claim')
    width, height = task['window']['width'], task['window']['height']
    rng = random.Random(5)
    times, pixels = [], []
    for _ in range(clicks):
        point = [rng.uniform(0, width), rng.uniform(0, height)]
        start = time.perf_counter()
        reply = call(base, token, f'/api/v1/tasks/{task["id"]}/segment', {'point': point, 'crs': 'pixel', 'tolerance': 1.5})
        times.append(time.perf_counter() - start)
        pixels.append(reply['properties']['pixels'])
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f'segment on a {width} × {height} task of 6 bands: {clicks} clicks, p50 {statistics.median(times) * 1000:.1f} ms, '
          f'p95 {p95 * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms (target p95 ≤ 150 ms); '
          f'regions of {statistics.median(pixels):.0f} pixels (median)')


if __name__ == '__main__':
    main()
