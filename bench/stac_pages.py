"""Pages through a STAC collection's items by /search's next links, as a client would.

    python3 bench/stac_pages.py BASE TOKEN COLLECTION PATHS_OUT [RUNS]

Writes every page's path (the first, then each next link's) to PATHS_OUT for wrk, and prints the
full enumeration's median time and items/s over RUNS passes (each page parsed as JSON, as any client must).
"""
import json
import statistics
import sys
import time
import urllib.request
from urllib.parse import urlsplit


def fetch(base, token, path):
    request = urllib.request.Request(base + path, headers={'Authorization': f'Bearer {token}'})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def enumerate_pages(base, token, collection):
    path = f'/api/v1/stac/search?collections={collection}&limit=100'
    paths, ids = [], []
    while path:
        paths.append(path)
        page = fetch(base, token, path)
        ids += [feature['id'] for feature in page['features']]
        link = next((l for l in page['links'] if l['rel'] == 'next'), None)
        path = None
        if link:
            parts = urlsplit(link['href'])
            path = parts.path + ('?' + parts.query if parts.query else '')
    return paths, ids


def main():
    base, token, collection, out = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        paths, ids = enumerate_pages(base, token, collection)
        times.append(time.perf_counter() - start)
    if len(set(ids)) != len(ids):
        sys.exit(f'duplicate items in the enumeration: {len(ids)} items, {len(set(ids))} distinct')
    with open(out, 'w') as file:
        file.write('\n'.join(paths) + '\n')
    median = statistics.median(times)
    print(f'full enumeration: {len(ids)} items in {len(paths)} pages, median {median * 1000:.1f} ms over {runs} runs '
          f'= {len(ids) / median:,.0f} items/s (target ≥ 20,000); the first (cold: each item serialized, then kept) '
          f'{times[0] * 1000:.1f} ms = {len(ids) / times[0]:,.0f} items/s')


if __name__ == '__main__':
    main()
