// The Leaflet map and the scene imagery on it. Leaflet is loaded as a classic
// script before the modules (global L); no base map, since the workbench
// works offline and the scene itself is the picture.

const L = window.L;

// Zooms of the map view (set again when the native view hands the map back).
const MAP_ZOOMS = { min: 2, max: 22 };

export function createMap(container) {
  const map = L.map(container, {
    zoomControl: true,
    attributionControl: false,
    // Analysts zoom well past the scene's native resolution to place vertices.
    maxZoom: MAP_ZOOMS.max,
    minZoom: MAP_ZOOMS.min,
    boxZoom: false,
    // Arrow keys pan and +/- zoom when the map has focus; the workbench's own
    // keys (classes, tools, undo, Escape) do not clash with them.
    keyboard: true,
    worldCopyJump: false,
  });
  map.setView([20, 0], 2);
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  return map;
}

// Puts the map in the map view (Web Mercator) or the native view (the
// scene's pixel grid on Leaflet's simple CRS). Callers take their layers off
// first and draw them again in the new view's coordinates: Leaflet cannot
// move a layer from one CRS to another.
export function setView(map, mode, grid) {
  const native = mode === 'native';
  const crs = native ? L.CRS.Simple : L.CRS.EPSG3857;
  const changed = map.options.crs !== crs;
  map.options.crs = crs;
  // In the native view zoom 0 shows one scene pixel per screen pixel; tiles stop at the grid's maxzoom and Leaflet
  // enlarges them beyond, so a vertex can be put inside a pixel.
  map.setMinZoom(native && grid ? grid.minzoom - 1 : MAP_ZOOMS.min);
  map.setMaxZoom(native && grid ? grid.maxzoom + 3 : MAP_ZOOMS.max);
  // A metric scale means nothing on a pixel grid.
  map.getContainer().classList.toggle('native-view', native);
  if (changed) map.setView([0, 0], native ? 0 : MAP_ZOOMS.min, { reset: true });
}

// Scene tiles need the bearer token, which an <img src> cannot send: each
// tile is fetched with the Authorization header and shown as a blob URL,
// revoked when Leaflet drops the tile.
export const AuthTileLayer = L.GridLayer.extend({
  options: { tileSize: 256, updateWhenZooming: false, keepBuffer: 2 },

  initialize(api, urlFor, options) {
    this._api = api;
    this._urlFor = urlFor; // (z, x, y) => path
    L.GridLayer.prototype.initialize.call(this, options);
    this.on('tileunload', this._releaseTile, this);
  },

  createTile(coords, done) {
    const tile = document.createElement('img');
    tile.alt = '';
    tile.setAttribute('role', 'presentation');
    const controller = new AbortController();
    tile._swathAbort = controller;
    this._fetchTile(this._urlFor(coords.z, coords.x, coords.y), controller.signal, 0)
      .then((blob) => {
        if (tile._swathReleased) return; // dropped while its bytes were on the way
        if (!blob || blob.size === 0) {
          done(null, tile); // 204: nothing of the scene here, leave it transparent
          return;
        }
        tile.onload = () => done(null, tile);
        tile.onerror = () => done(new Error('the tile image could not be decoded'), tile);
        tile.src = URL.createObjectURL(blob);
      })
      .catch((error) => {
        if (error.name !== 'AbortError') done(error, tile);
      });
    return tile;
  },

  // A busy server answers 503 (its render queue is full): wait and ask again, a few times.
  async _fetchTile(path, signal, attempt) {
    try {
      return await this._api.blob(path, { signal });
    } catch (error) {
      if (error.status !== 503 || attempt >= 3 || signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
      return this._fetchTile(path, signal, attempt + 1);
    }
  },

  _releaseTile(event) {
    const tile = event.tile;
    tile._swathReleased = true;
    if (tile._swathAbort) tile._swathAbort.abort();
    if (tile.src && tile.src.startsWith('blob:')) URL.revokeObjectURL(tile.src);
    tile.onload = tile.onerror = null;
  },
});

// The tile path for a scene, from its tilejson template when there is one so
// the server stays in charge of the URL scheme.
export function tileUrlBuilder(sceneId, tilejson, { bands, stretch }) {
  const template = (tilejson && Array.isArray(tilejson.tiles) && tilejson.tiles[0]) ||
    `/api/v1/scenes/${sceneId}/tiles/{z}/{x}/{y}.png`;
  return (z, x, y) => {
    const url = new URL(template.replace('{z}', z).replace('{x}', x).replace('{y}', y), window.location.origin);
    if (bands) url.searchParams.set('bands', bands); // none: the server's default for the scene
    url.searchParams.set('stretch', stretch);
    return url.pathname + url.search; // same origin as the page, whatever host the server printed
  };
}

// Leaflet bounds of a [west, south, east, north] box.
export function boundsOfBBox(bbox) {
  if (!Array.isArray(bbox) || bbox.length !== 4) return null;
  const [west, south, east, north] = bbox;
  // A scene across the antimeridian (west > east) gets no bounds: Leaflet
  // would read them backwards, and the server answers 204 off the scene anyway.
  if (!(west <= east)) return null;
  return L.latLngBounds([south, west], [north, east]);
}

// GeoJSON Polygon/MultiPolygon (lon/lat) → Leaflet bounds.
export function boundsOfGeometry(geometry) {
  const bounds = L.latLngBounds([]);
  const visit = (value) => {
    if (typeof value[0] === 'number') bounds.extend([value[1], value[0]]);
    else value.forEach(visit);
  };
  if (geometry && geometry.coordinates) visit(geometry.coordinates);
  return bounds.isValid() ? bounds : null;
}

// The task's outline: drawn above the imagery, never catching clicks, so
// polygons can be drawn across it.
export function footprintLayer(geometry) {
  return L.geoJSON(geometry, {
    interactive: false,
    style: { color: '#ffd400', weight: 2, dashArray: '6 4', fill: false, opacity: 0.95 },
  });
}

// Shows the footprint with room around it so the analyst sees the context
// (what continues past the tile's edge).
export function fitToFootprint(map, geometry) {
  const bounds = boundsOfGeometry(geometry);
  if (!bounds) return;
  map.fitBounds(bounds.pad(0.1), { padding: [24, 24], animate: false });
}
