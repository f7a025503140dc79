// The scene under the labels: band preset and stretch controls, the
// authenticated tile layer, and for a scene with a pre-event scene the
// before/after swipe. Shared by the annotate and review views.
//
// Two views: the map (Web Mercator, with the scene warped onto it) and the
// native view (the scene's own pixel grid, unwarped). A scene a web map cannot
// show (beyond ±85.05°) opens in the native view and says why; any other scene
// opens in the view the analyst last chose.

import { AuthTileLayer, tileUrlBuilder, boundsOfBBox, setView } from './map.js';
import { Swipe } from './swipe.js';
import { byId, el, show, notify } from './ui.js';
import { describeError } from './api.js';

const L = window.L;

const PRESET_NAMES = {
  'true-color': 'True colour',
  'false-color': 'False colour',
  swir: 'SWIR',
};
const STRETCHES = [
  ['p2-98', 'Percentile 2–98 %'],
  ['minmax', 'Min–max'],
];

export class SceneImagery {
  constructor(map, api) {
    this.map = map;
    this.api = api;
    this.preset = 'true-color';
    this.stretch = 'p2-98';
    this.swipeWanted = true;
    this.swipeFraction = 0.5;
    this.scene = null;     // {scene, tilejson}
    this.preEvent = null;  // the same for the pre-event scene, when there is one
    this.layers = [];
    this.swipe = null;
    this.generation = 0;   // drops answers for a scene the analyst already left
    this.mode = 'map';     // the view the scene is shown in now: 'map' | 'native'
    this.prefersNative = false; // the analyst's choice, for every scene the map can show
    this.onViewChange = null;   // (mode) => the active view reloads its task in that view

    const stretch = byId('stretch-select');
    for (const [value, label] of STRETCHES) stretch.append(el('option', { value }, label));
    stretch.value = this.stretch;
    stretch.addEventListener('change', () => { this.stretch = stretch.value; this._render(); });
    byId('swipe-toggle').addEventListener('change', (event) => {
      this.swipeWanted = event.target.checked;
      this._render();
    });
    for (const mode of ['map', 'native']) {
      byId(`view-${mode}`).addEventListener('click', () => {
        if (mode === this.mode || !this.onViewChange) return;
        this.onViewChange(mode);
      });
    }
  }

  // Whether a web map can show the scene: false with the reason when it cannot.
  static mapFits(tilejson) {
    const view = tilejson && tilejson.mapView;
    return !view || view.fits !== false;
  }

  // Shows scene `sceneId` (and its pre-event scene) in the view it opens in,
  // or in `mode` when the caller must keep one (unsaved polygons drawn in it:
  // kept even where the map shows nothing, rather than reread as pixels).
  // Puts the map in that view first. Resolves to {scene, mode}: the view the
  // map is in now, with scene null when the imagery could not be loaded
  // (reported; the analyst can still work); or to null when a later call
  // took over, whose answer is the one to use.
  async show(sceneId, { mode } = {}) {
    const generation = ++this.generation;
    this.clear();
    try {
      const current = await this._load(sceneId);
      const fits = SceneImagery.mapFits(current.tilejson);
      const next = mode || (fits && !this.prefersNative ? 'map' : 'native');
      let preEvent = null;
      if (current.scene.preEventSceneId && next === 'map') {
        preEvent = await this._load(current.scene.preEventSceneId).catch((error) => {
          notify(describeError(error, 'loading the pre-event scene'), 'warning');
          return null;
        });
      }
      if (generation !== this.generation) return null;
      this.scene = current;
      this.preEvent = preEvent;
      this.mode = next;
      setView(this.map, next, current.tilejson.grid);
      this._renderControls();
      this._render();
      return { scene: current.scene, mode: next };
    } catch (error) {
      if (generation !== this.generation) return null;
      notify(describeError(error, 'loading the scene imagery'), 'error');
      return { scene: null, mode: this.mode };
    }
  }

  async _load(sceneId) {
    const [scene, tilejson] = await Promise.all([
      this.api.get(`/api/v1/scenes/${sceneId}`),
      this.api.get(`/api/v1/scenes/${sceneId}/tilejson`),
    ]);
    return { scene, tilejson };
  }

  clear() {
    this._removeLayers();
    this.scene = null;
    this.preEvent = null;
    show(byId('imagery-panel'), false);
  }

  _removeLayers() {
    if (this.swipe) {
      this.swipeFraction = this.swipe.fraction; // the divider stays where the analyst left it
      this.swipe.remove();
      this.swipe = null;
    }
    for (const layer of this.layers) this.map.removeLayer(layer);
    this.layers = [];
  }

  _presets() {
    const listed = this.scene && Array.isArray(this.scene.tilejson.presets) ? this.scene.tilejson.presets : [];
    return listed.filter((name) => typeof name === 'string');
  }

  _renderControls() {
    const presets = this._presets();
    if (!presets.includes(this.preset)) this.preset = presets.includes('true-color') ? 'true-color' : presets[0];
    const box = byId('preset-buttons');
    box.replaceChildren(...presets.map((name) => el('button', {
      type: 'button',
      class: 'segment',
      id: `preset-${name.replace(/[^a-z0-9-]/gi, '_')}`,
      dataset: { testid: 'preset', preset: name },
      'aria-pressed': String(name === this.preset),
      onclick: () => { this.preset = name; this._renderControls(); this._render(); },
    }, PRESET_NAMES[name] || `Bands ${name}`)));
    byId('stretch-select').value = this.stretch;
    this._renderViewControls();
    show(byId('swipe-control'), !!this.preEvent);
    byId('swipe-toggle').checked = this.swipeWanted;
    show(byId('imagery-panel'), true);
  }

  // Map or native, which the scene opened in and why; the map button is off where a web map cannot show it.
  _renderViewControls() {
    const tilejson = this.scene.tilejson;
    const fits = SceneImagery.mapFits(tilejson);
    byId('view-map').setAttribute('aria-pressed', String(this.mode === 'map'));
    byId('view-native').setAttribute('aria-pressed', String(this.mode === 'native'));
    byId('view-map').disabled = !fits && this.mode === 'native';
    const grid = tilejson.grid || {};
    let reason = '';
    if (!fits && this.mode === 'map') reason = `The map shows nothing of this scene: ${tilejson.mapView.reason}. Save your polygons, then switch to the native grid.`;
    else if (!fits) reason = `Native grid view: ${tilejson.mapView.reason}. Polygons are drawn and saved on the scene's own pixels.`;
    else if (this.mode === 'native') reason = `Native grid view: the scene's own pixels, unwarped${grid.rotated ? ' (its grid is rotated against north)' : ''}. Polygons are saved in pixel coordinates.`;
    if (this.mode === 'native' && this.scene.scene.preEventSceneId) reason += ' The before/after swipe is in the map view.';
    byId('view-reason').textContent = reason;
    show(byId('view-reason'), !!reason);
  }

  _layerFor({ scene, tilejson }, preset, zIndex) {
    const grid = this.mode === 'native' ? tilejson.grid : null;
    const source = grid ? { tiles: grid.tiles } : tilejson;
    const bounds = grid ? L.latLngBounds([-grid.height, 0], [0, grid.width]) : boundsOfBBox(tilejson.bounds || scene.bboxWGS84);
    const zooms = grid || tilejson;
    const layer = new AuthTileLayer(this.api, tileUrlBuilder(scene.id, source, { bands: preset, stretch: this.stretch }), {
      bounds: bounds || undefined,
      minNativeZoom: Number.isInteger(zooms.minzoom) ? zooms.minzoom : undefined,
      maxNativeZoom: Number.isInteger(zooms.maxzoom) ? zooms.maxzoom : undefined,
      noWrap: !!grid,
      zIndex,
    });
    let reported = false; // one message per layer, not one per tile
    layer.on('tileerror', (event) => {
      if (reported) return;
      reported = true;
      notify(describeError(event.error, 'loading imagery tiles'), 'warning');
    });
    return layer;
  }

  _render() {
    if (!this.scene) return;
    this._removeLayers();
    const after = this._layerFor(this.scene, this.preset, 1);
    after.addTo(this.map);
    this.layers.push(after);
    if (this.preEvent && this.swipeWanted) {
      const presets = Array.isArray(this.preEvent.tilejson.presets) ? this.preEvent.tilejson.presets : [];
      // The pre-event scene may come from another sensor: same preset when it has one.
      const preset = presets.includes(this.preset) ? this.preset : (presets[0] || this.preset);
      const before = this._layerFor(this.preEvent, preset, 2);
      before.addTo(this.map);
      this.layers.push(before);
      this.swipe = new Swipe(this.map, before, { beforeLabel: 'Before', afterLabel: 'After', fraction: this.swipeFraction });
    }
  }

  // For the test and for debugging: what is on the map now.
  describe() {
    return {
      sceneId: this.scene ? this.scene.scene.id : null,
      preEventSceneId: this.preEvent ? this.preEvent.scene.id : null,
      presets: this._presets(),
      preset: this.preset,
      stretch: this.stretch,
      swipe: !!this.swipe,
      view: this.scene ? this.mode : null,
    };
  }
}
