// The polygon editor: draws rings vertex by vertex, closes them on the first
// vertex or a double-click, drags vertices, inserts them from edge
// midpoints, cuts holes, deletes, and undoes. It owns the label set of one
// task; the annotate view saves it.
//
// Tools: 'draw' (every click adds a vertex), 'select' (a click picks a
// polygon), 'hole' (the next ring becomes a hole in the selected polygon),
// 'wand' (a click is handed to `onWand`, which may come back with a region
// for addRegion).

import { partsFromGeometry, geometryFromParts, latLngsOfParts, partContaining, vertexCount } from './geometry.js';

const L = window.L;
const HISTORY_LIMIT = 200;
const SAME_POINT_PX = 3;       // a second click this close adds no vertex (double-clicks)
const AFTER_CLOSE_MS = 450;    // …nor does a click right after closing a ring

export class PolygonEditor {
  constructor(map, { onChange = () => {}, notify = () => {}, onWand = () => {} } = {}) {
    this.map = map;
    this.onChange = onChange;
    this.notify = notify;
    this.onWand = onWand; // (latlng): the wand's click, anywhere on the map or on a polygon
    this.classes = [];
    this.currentClassId = null;
    this.features = [];   // {key, labelId, classId, parts, secondsSpent, problem}
    this.selectedKey = null;
    this.tool = 'draw';
    this.toolBeforeHole = 'draw';
    this.ring = null;     // the ring being drawn: {kind, targetKey, points, startedAt}
    this.history = [];
    this.dirty = false;
    this.enabled = false;
    this.nextKey = 1;
    this.lastClose = null;

    this.halos = L.layerGroup();
    this.polygons = L.layerGroup();
    this.layerByKey = new Map(); // feature key → its polygon layer
    this.handles = L.layerGroup();
    this.sketch = L.layerGroup();
    this._onMapClick = (event) => this._click(event.latlng);
    this._onMapDoubleClick = (event) => this._doubleClick(event);
    this._onMouseMove = (event) => this._rubberBand(event.latlng);
  }

  // --- lifecycle -----------------------------------------------------------

  enable() {
    if (this.enabled) return;
    this.enabled = true;
    this.halos.addTo(this.map);
    this.polygons.addTo(this.map);
    this.sketch.addTo(this.map);
    this.handles.addTo(this.map);
    this.map.on('click', this._onMapClick);
    this.map.on('dblclick', this._onMapDoubleClick);
    this.map.on('mousemove', this._onMouseMove);
    this.setTool(this.tool);
  }

  disable() {
    if (!this.enabled) return;
    this.enabled = false;
    this.cancelRing();
    this.map.off('click', this._onMapClick);
    this.map.off('dblclick', this._onMapDoubleClick);
    this.map.off('mousemove', this._onMouseMove);
    for (const group of [this.halos, this.polygons, this.sketch, this.handles]) this.map.removeLayer(group);
    this.map.doubleClickZoom.enable();
    this.map.getContainer().classList.remove('tool-draw', 'tool-hole', 'tool-select', 'tool-wand');
  }

  setClasses(classes) {
    this.classes = classes;
    if (!classes.some((c) => c.id === this.currentClassId)) this.currentClassId = classes.length ? classes[0].id : null;
  }

  // Replaces the label set with a FeatureCollection from the server.
  load(collection, { keepSelection = false } = {}) {
    const selectedIndex = keepSelection ? this.features.findIndex((f) => f.key === this.selectedKey) : -1;
    this.cancelRing();
    this.features = ((collection && collection.features) || []).map((feature) => ({
      key: `f${this.nextKey++}`,
      labelId: feature.id ?? (feature.properties && feature.properties.labelId) ?? null,
      classId: feature.properties ? feature.properties.classId : null,
      parts: partsFromGeometry(feature.geometry),
      secondsSpent: (feature.properties && feature.properties.secondsSpent) || 0,
      problem: null,
    })).filter((feature) => feature.parts.length > 0);
    this.selectedKey = selectedIndex >= 0 && this.features[selectedIndex] ? this.features[selectedIndex].key : null;
    if (!keepSelection) this.history = [];
    this.dirty = false;
    this._render();
  }

  clear() {
    this.load(null);
  }

  // --- tools and classes ---------------------------------------------------

  setTool(tool) {
    if (tool === 'hole') {
      if (!this.selected()) {
        this.notify('Select a polygon first, then cut a hole in it.', 'warning');
        return;
      }
      if (this.tool !== 'hole') this.toolBeforeHole = this.tool;
    }
    // A ring in progress survives only a switch to the tool that draws its kind.
    const kind = { draw: 'polygon', hole: 'hole' }[tool];
    if (this.ring && this.ring.kind !== kind) this.cancelRing();
    this.tool = tool;
    const container = this.map.getContainer();
    container.classList.toggle('tool-draw', tool === 'draw');
    container.classList.toggle('tool-hole', tool === 'hole');
    container.classList.toggle('tool-select', tool === 'select');
    container.classList.toggle('tool-wand', tool === 'wand');
    // A double-click closes a ring while drawing (and is two wand clicks); it must not zoom the map then.
    if (this.enabled && tool !== 'select') this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    this._changed();
  }

  // Picks the class for new polygons, and gives it to the selected one.
  pickClass(classId) {
    if (!this.classes.some((c) => c.id === classId)) return;
    this.currentClassId = classId;
    const feature = this.selected();
    if (feature && feature.classId !== classId) {
      this._remember();
      feature.classId = classId;
      feature.problem = null;
      this._edited();
    } else {
      this._changed();
    }
  }

  classOf(feature) {
    return this.classes.find((c) => c.id === feature.classId) || null;
  }

  selected() {
    return this.features.find((f) => f.key === this.selectedKey) || null;
  }

  select(key) {
    if (this.selectedKey === key) return;
    this.selectedKey = key;
    const feature = this.selected();
    if (feature && feature.classId != null) this.currentClassId = feature.classId;
    if (!feature && this.tool === 'hole') this.setTool(this.toolBeforeHole);
    this._render();
  }

  deleteSelected() {
    const feature = this.selected();
    if (!feature) {
      this.notify('Select a polygon to delete (Select tool, then click it).', 'warning');
      return;
    }
    this._remember();
    this.features = this.features.filter((f) => f !== feature);
    this.selectedKey = null;
    if (this.tool === 'hole') this.setTool(this.toolBeforeHole);
    this._edited();
  }

  // --- undo ----------------------------------------------------------------

  _remember() {
    this.history.push({ features: structuredClone(this.features), selectedKey: this.selectedKey });
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
  }

  canUndo() {
    return !!(this.ring && this.ring.points.length) || this.history.length > 0;
  }

  // Undoes the last vertex of the ring being drawn, else the last edit.
  undo() {
    if (this.ring && this.ring.points.length) {
      this.ring.points.pop();
      if (!this.ring.points.length) this.ring = null;
      this._renderSketch();
      this._changed();
      return;
    }
    const previous = this.history.pop();
    if (!previous) return;
    this.features = previous.features;
    this.selectedKey = this.features.some((f) => f.key === previous.selectedKey) ? previous.selectedKey : null;
    this._edited();
  }

  // --- drawing rings -------------------------------------------------------

  isDrawing() {
    return !!this.ring;
  }

  cancelRing() {
    if (!this.ring) return false;
    this.ring = null;
    this._renderSketch();
    this._changed();
    return true;
  }

  _click(latlng, polygonKey = null) {
    if (!this.enabled) return;
    if (this.tool === 'select') {
      this.select(polygonKey);
      return;
    }
    // The wand grows from the clicked pixel, whether or not a polygon covers it.
    if (this.tool === 'wand') {
      this.onWand(latlng);
      return;
    }
    this._addVertex(latlng);
  }

  // A click on a vertex or midpoint handle: while drawing it snaps the new
  // vertex onto it; the wand grows from it as from any other point.
  _clickOnHandle(latlng) {
    if (!this.enabled) return;
    if (this.tool === 'wand') this.onWand(latlng);
    else if (this.tool !== 'select') this._addVertex(latlng);
  }

  _addVertex(latlng) {
    const point = this.map.latLngToContainerPoint(latlng);
    if (!this.ring && this.lastClose && performance.now() - this.lastClose.time < AFTER_CLOSE_MS &&
        point.distanceTo(this.lastClose.point) <= SAME_POINT_PX * 2) {
      return; // the second click of a double-click that closed the ring
    }
    if (!this.ring) {
      if (this.tool === 'hole' && !this.selected()) {
        this.notify('Select a polygon first, then cut a hole in it.', 'warning');
        return;
      }
      this.ring = { kind: this.tool === 'hole' ? 'hole' : 'polygon', targetKey: this.selectedKey, points: [], startedAt: performance.now() };
    }
    const points = this.ring.points;
    const last = points[points.length - 1];
    if (last && this.map.latLngToContainerPoint(last).distanceTo(point) <= SAME_POINT_PX) return;
    points.push({ lat: latlng.lat, lng: latlng.lng });
    this._renderSketch();
    this._changed();
  }

  _doubleClick(event) {
    if (!this.ring) return;
    if (event.originalEvent) L.DomEvent.preventDefault(event.originalEvent);
    if (this.ring.points.length >= 3) this.closeRing();
    else if (this.ring.points.length <= 1) this.cancelRing(); // a double-click that only started a ring
  }

  closeRing() {
    const ring = this.ring;
    if (!ring) return;
    if (ring.points.length < 3) {
      this.notify('A polygon needs at least three corners.', 'warning');
      return;
    }
    const seconds = (performance.now() - ring.startedAt) / 1000;
    const last = ring.points[ring.points.length - 1];
    this.lastClose = { time: performance.now(), point: this.map.latLngToContainerPoint(last) };
    if (ring.kind === 'hole') {
      this._closeHole(ring, seconds);
      return;
    }
    this.ring = null;
    this._addFeature([[ring.points]], seconds);
  }

  // Adds a polygon made elsewhere (the magic wand's region, GeoJSON in
  // lon/lat) as if it had been drawn: of the current class, selected, unsaved,
  // one undo step. False when it has no ring to draw.
  addRegion(geometry, { secondsSpent = 0 } = {}) {
    // Rings of fewer than three corners have no area (the server would refuse
    // them): a part without its outer ring goes, a hole without area is dropped.
    const parts = partsFromGeometry(geometry)
      .filter((rings) => rings.length && rings[0].length >= 3)
      .map((rings) => rings.filter((ring) => ring.length >= 3));
    if (!parts.length) return false;
    this._addFeature(parts, secondsSpent);
    return true;
  }

  // The one way a new polygon joins the label set, so drawn and grown ones
  // undo, select and save alike.
  _addFeature(parts, seconds) {
    this._remember();
    const feature = {
      key: `f${this.nextKey++}`,
      labelId: null,
      classId: this.currentClassId,
      parts,
      secondsSpent: seconds,
      problem: null,
    };
    this.features.push(feature);
    this.selectedKey = feature.key;
    this._edited();
    return feature;
  }

  _closeHole(ring, seconds) {
    const target = this.features.find((f) => f.key === ring.targetKey);
    this.ring = null;
    const index = target ? partContaining(target.parts, ring.points) : -1;
    if (index < 0) {
      this.notify('A hole must lie entirely inside the selected polygon; it was not cut.', 'warning');
      this._renderSketch();
      this._changed();
      return;
    }
    this._remember();
    target.parts[index].push(ring.points);
    target.secondsSpent += seconds;
    target.problem = null;
    this.setTool(this.toolBeforeHole);
    this._edited();
  }

  _rubberBand(latlng) {
    if (!this.ring || !this.ring.points.length || !this.rubber) return;
    const last = this.ring.points[this.ring.points.length - 1];
    this.rubber.setLatLngs([last, latlng]);
  }

  // --- saving --------------------------------------------------------------

  // The label set as the API takes it: features in this order (the order
  // the server's per-feature problems refer to), existing labels by id.
  featureCollection() {
    return {
      type: 'FeatureCollection',
      features: this.features.map((feature) => {
        const out = {
          type: 'Feature',
          geometry: geometryFromParts(feature.parts),
          properties: { class: feature.classId, secondsSpent: Math.round(feature.secondsSpent * 10) / 10 },
        };
        if (feature.labelId != null) out.id = feature.labelId;
        return out;
      }),
    };
  }

  // Shows the server's refusals on the polygons they are about.
  markProblems(problems) {
    for (const feature of this.features) feature.problem = null;
    for (const problem of problems) {
      const feature = this.features[problem.index];
      if (feature) feature.problem = problem.reason || 'refused by the server';
    }
    const first = this.features.find((f) => f.problem);
    if (first) this.selectedKey = first.key;
    this._render();
  }

  problems() {
    return this.features.filter((f) => f.problem);
  }

  // --- rendering -----------------------------------------------------------

  _edited() {
    this.dirty = true;
    this._render();
  }

  _changed() {
    this.onChange(this);
  }

  _render() {
    this.halos.clearLayers();
    this.polygons.clearLayers();
    this.handles.clearLayers();
    this.layerByKey = new Map();
    for (const feature of this.features) {
      // A refused polygon gets a white halo under its red outline, so it stands
      // out even when its class colour is itself red.
      if (feature.problem) {
        this.halos.addLayer(L.polygon(latLngsOfParts(feature.parts), { color: '#ffffff', weight: 8, opacity: 0.9, fill: false, interactive: false }));
      }
      const layer = this._polygonLayer(feature);
      this.layerByKey.set(feature.key, layer);
      this.polygons.addLayer(layer);
    }
    const selected = this.selected();
    if (selected) this._addHandles(selected);
    this._renderSketch();
    this._changed();
  }

  _style(feature) {
    const color = (this.classOf(feature) || {}).color || '#ffffff';
    const isSelected = feature.key === this.selectedKey;
    if (feature.problem) {
      return { color: '#ff1f1f', weight: 4, fillColor: color, fillOpacity: 0.25, dashArray: isSelected ? '8 4' : null };
    }
    return { color, weight: isSelected ? 3 : 2, fillColor: color, fillOpacity: isSelected ? 0.35 : 0.25, dashArray: isSelected ? '5 3' : null };
  }

  _polygonLayer(feature) {
    const layer = L.polygon(latLngsOfParts(feature.parts), { ...this._style(feature), bubblingMouseEvents: false });
    layer.on('click', (event) => this._click(event.latlng, feature.key));
    layer.on('dblclick', (event) => this._doubleClick(event));
    const label = (this.classOf(feature) || {}).name || 'No class';
    if (feature.problem) {
      // Leaflet puts a string tooltip in as HTML: give it a text node instead (class names and
      // reasons can carry whatever a manager or a request put there).
      layer.bindTooltip(document.createTextNode(`${label}: ${feature.problem}`), { permanent: true, direction: 'top', className: 'problem-tooltip', sticky: false });
    } else {
      layer.bindTooltip(document.createTextNode(label), { sticky: true, className: 'class-tooltip' });
    }
    return layer;
  }

  _addHandles(feature) {
    const polygon = this._layerOf(feature.key);
    feature.parts.forEach((rings, partIndex) => rings.forEach((ring, ringIndex) => {
      ring.forEach((vertex, vertexIndex) => {
        this.handles.addLayer(this._vertexHandle(feature, polygon, ring, vertexIndex, `${partIndex}.${ringIndex}.${vertexIndex}`));
      });
      ring.forEach((vertex, vertexIndex) => {
        this.handles.addLayer(this._midpointHandle(feature, polygon, ring, vertexIndex));
      });
    }));
  }

  _layerOf(key) {
    return this.layerByKey.get(key);
  }

  _vertexHandle(feature, polygon, ring, index, id) {
    const marker = L.marker(ring[index], {
      draggable: true,
      keyboard: false,
      icon: L.divIcon({ className: 'vertex-handle', iconSize: [12, 12], html: `<span data-testid="vertex-handle" data-vertex="${id}"></span>` }),
      title: 'Drag to move · right-click to remove',
    });
    marker.on('dragstart', () => this._remember());
    marker.on('drag', (event) => {
      const { lat, lng } = event.target.getLatLng();
      ring[index] = { lat, lng };
      polygon.setLatLngs(latLngsOfParts(feature.parts));
    });
    marker.on('dragend', (event) => {
      const { lat, lng } = event.target.getLatLng(); // the last move may not have been drawn yet
      ring[index] = { lat, lng };
      feature.problem = null;
      this._edited();
    });
    marker.on('click', (event) => this._clickOnHandle(event.latlng));
    marker.on('contextmenu', (event) => {
      L.DomEvent.preventDefault(event.originalEvent);
      if (ring.length <= 3) {
        this.notify('A ring needs at least three corners; delete the polygon instead.', 'warning');
        return;
      }
      this._remember();
      ring.splice(index, 1);
      feature.problem = null;
      this._edited();
    });
    return marker;
  }

  // A faint handle halfway along each edge: dragging it inserts a vertex.
  _midpointHandle(feature, polygon, ring, index) {
    const a = ring[index];
    const b = ring[(index + 1) % ring.length];
    const marker = L.marker({ lat: (a.lat + b.lat) / 2, lng: (a.lng + b.lng) / 2 }, {
      draggable: true,
      keyboard: false,
      icon: L.divIcon({ className: 'midpoint-handle', iconSize: [10, 10] }),
      title: 'Drag to add a corner',
    });
    marker.on('dragstart', (event) => {
      this._remember();
      ring.splice(index + 1, 0, { ...event.target.getLatLng() });
    });
    marker.on('drag', (event) => {
      const { lat, lng } = event.target.getLatLng();
      ring[index + 1] = { lat, lng };
      polygon.setLatLngs(latLngsOfParts(feature.parts));
    });
    marker.on('dragend', (event) => {
      const { lat, lng } = event.target.getLatLng();
      ring[index + 1] = { lat, lng };
      feature.problem = null;
      this._edited();
    });
    marker.on('click', (event) => this._clickOnHandle(event.latlng));
    return marker;
  }

  _renderSketch() {
    this.sketch.clearLayers();
    this.rubber = null;
    const ring = this.ring;
    if (!ring || !ring.points.length) return;
    const color = ring.kind === 'hole' ? '#ffffff'
      : ((this.classes.find((c) => c.id === this.currentClassId) || {}).color || '#ffffff');
    this.sketch.addLayer(L.polyline(ring.points, { color, weight: 2, interactive: false }));
    this.rubber = L.polyline([ring.points[ring.points.length - 1], ring.points[ring.points.length - 1]],
      { color, weight: 1.5, dashArray: '4 4', interactive: false });
    this.sketch.addLayer(this.rubber);
    ring.points.slice(1).forEach((point) => {
      this.sketch.addLayer(L.circleMarker(point, { radius: 3, color, weight: 1.5, fillOpacity: 1, interactive: false }));
    });
    // The first vertex closes the ring when clicked.
    const first = L.marker(ring.points[0], {
      keyboard: false,
      icon: L.divIcon({ className: 'vertex-first', iconSize: [14, 14], html: '<span data-testid="ring-first-vertex"></span>' }),
      title: 'Click to close the ring',
      zIndexOffset: 1000,
    });
    first.on('click', () => {
      if (this.ring && this.ring.points.length >= 3) this.closeRing();
      else this.notify('A polygon needs at least three corners.', 'warning');
    });
    first.on('dblclick', (event) => this._doubleClick(event));
    this.sketch.addLayer(first);
  }

  // For the test and for debugging.
  describe() {
    return {
      tool: this.tool,
      currentClassId: this.currentClassId,
      selectedKey: this.selectedKey,
      drawing: this.ring ? { kind: this.ring.kind, points: this.ring.points.length } : null,
      dirty: this.dirty,
      features: this.features.map((f) => ({
        key: f.key, labelId: f.labelId, classId: f.classId, problem: f.problem,
        rings: f.parts.reduce((n, rings) => n + rings.length, 0), vertices: vertexCount(f.parts),
      })),
    };
  }
}
