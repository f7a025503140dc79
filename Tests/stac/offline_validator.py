"""stac-api-validator on a machine without the internet.

stac-validator fetches every JSON schema it checks against from schemas.stacspec.org and
stac-extensions.github.io. Offline those fetches fail and every object is reported invalid, so
this wrapper hands it the schemas pystac ships instead: STAC 1.1.0 core (our objects' version),
GeoJSON, and the JSON Schema metaschemas. Extension schemas (label, projection) are not shipped
by any package: they are reported as not checked and given an empty schema, so the run checks
the API's behaviour and the core object schemas, not the extensions' fields.

Usage: python offline_validator.py <stac-api-validator arguments>
"""

import importlib.resources
import json
import sys

import stac_validator.utilities as utilities
from jsonschema_specifications import REGISTRY as METASCHEMAS

BUNDLED = importlib.resources.files('pystac.validation.jsonschemas')
UNCHECKED = set()


ORIGINAL = utilities.fetch_and_parse_file


def load(url, *args, **kwargs):
    if not isinstance(url, str):
        return ORIGINAL(url, *args, **kwargs)
    if url.startswith('https://schemas.stacspec.org/v1.1.0/'):
        return json.loads(BUNDLED.joinpath('stac-spec/v1.1.0/' + url.rsplit('/', 1)[1]).read_text())
    if url.startswith('https://geojson.org/schema/'):
        return json.loads(BUNDLED.joinpath('geojson/' + url.rsplit('/', 1)[1]).read_text())
    if url.startswith('http://json-schema.org/') or url.startswith('https://json-schema.org/'):
        return METASCHEMAS.contents(url)
    if url.startswith('https://stac-extensions.github.io/'):
        if url not in UNCHECKED:
            UNCHECKED.add(url)
            print(f'offline: extension schema not checked: {url}', file=sys.stderr)
        return {}
    return ORIGINAL(url, *args, **kwargs)


# The schema cache calls the module's fetch_and_parse_file by name (and is rebuilt when resized).
utilities.fetch_and_parse_file = load

if __name__ == '__main__':
    from stac_api_validator.__main__ import main
    sys.exit(main(prog_name='stac-api-validator'))
