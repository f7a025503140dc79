// Where a task's coordinates sit on the Leaflet map in each view.
//
// The map view speaks WGS84 lon/lat, the API's default. The native view
// speaks the task's pixel grid (the API's ?crs=pixel: x right, y down from
// the task's top-left corner) and shows it on Leaflet's simple CRS with the
// whole scene's grid at lng = column, lat = −row, so the scene's own grid
// tiles line up with it at every zoom.

export class ViewFrame {
  // `task` is needed for the native view only (its window places it in the scene).
  constructor(mode, task = null) {
    this.mode = mode; // 'map' | 'native'
    this.col = mode === 'native' && task ? task.window.col : 0;
    this.row = mode === 'native' && task ? task.window.row : 0;
    this.task = task;
  }

  get native() { return this.mode === 'native'; }

  // The `crs` query and body value the API expects in this view.
  get crs() { return this.native ? 'pixel' : 'wgs84'; }

  // Query parameters for label reads and writes (none in the map view: WGS84 is the default).
  get query() { return this.native ? { crs: 'pixel' } : undefined; }

  // One API position → Leaflet's [lng, lat] order (GeoJSON order).
  positionToMap([x, y]) {
    return this.native ? [x + this.col, -(y + this.row)] : [x, y];
  }

  // One Leaflet {lat, lng} → an API position.
  latLngToApi({ lat, lng }) {
    return this.native ? [lng - this.col, -lat - this.row] : [lng, lat];
  }

  // A GeoJSON geometry, Feature or FeatureCollection from the API, moved onto the map (a copy).
  toMap(value) {
    return this.native ? mapPositions(value, (p) => this.positionToMap(p)) : value;
  }

  // The same, from the map back to the API (a copy).
  toApi(value) {
    return this.native ? mapPositions(value, ([lng, lat]) => this.latLngToApi({ lat, lng })) : value;
  }

  // The task's outline on the map: its WGS84 footprint, or its window on the grid.
  footprint() {
    if (!this.task) return null;
    if (!this.native) return this.task.footprintWGS84;
    const { col, row, width, height } = this.task.window;
    return {
      type: 'Polygon',
      coordinates: [[[col, -row], [col, -(row + height)], [col + width, -(row + height)], [col + width, -row], [col, -row]]],
    };
  }
}

function mapPositions(value, move) {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return typeof value[0] === 'number' ? move(value) : value.map((item) => mapPositions(item, move));
  }
  if (value.type === 'FeatureCollection') return { ...value, features: (value.features || []).map((f) => mapPositions(f, move)) };
  if (value.type === 'Feature') return { ...value, geometry: mapPositions(value.geometry, move), bbox: undefined };
  if (Array.isArray(value.coordinates)) return { ...value, coordinates: mapPositions(value.coordinates, move) };
  return value;
}
