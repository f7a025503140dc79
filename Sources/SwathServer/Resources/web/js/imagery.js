// The scene under the labels: band preset and stretch controls, the
// authenticated tile layer, and for a scene with a pre-event scene the
// before/after swipe. Shared by the annotate and review views.

import { AuthTileLayer, tileUrlBuilder, boundsOfBBox } from './map.js';
import { Swipe } from './swipe.js';
import { byId, el, show, notify } from './ui.js';
import { describeError } from './api.js';

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

    const stretch = byId('stretch-select');
    for (const [value, label] of STRETCHES) stretch.append(el('option', { value }, label));
    stretch.value = this.stretch;
    stretch.addEventListener('change', () => { this.stretch = stretch.value; this._render(); });
    byId('swipe-toggle').addEventListener('change', (event) => {
      this.swipeWanted = event.target.checked;
      this._render();
    });
  }

  // Shows scene `sceneId` (and its pre-event scene). Imagery that cannot be
  // loaded is reported but does not stop the analyst from working.
  async show(sceneId) {
    const generation = ++this.generation;
    this.clear();
    try {
      const current = await this._load(sceneId);
      let preEvent = null;
      if (current.scene.preEventSceneId) {
        preEvent = await this._load(current.scene.preEventSceneId).catch((error) => {
          notify(describeError(error, 'loading the pre-event scene'), 'warning');
          return null;
        });
      }
      if (generation !== this.generation) return null;
      this.scene = current;
      this.preEvent = preEvent;
      this._renderControls();
      this._render();
      return current.scene;
    } catch (error) {
      if (generation === this.generation) notify(describeError(error, 'loading the scene imagery'), 'error');
      return null;
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
    show(byId('swipe-control'), !!this.preEvent);
    byId('swipe-toggle').checked = this.swipeWanted;
    show(byId('imagery-panel'), true);
  }

  _layerFor({ scene, tilejson }, preset, zIndex) {
    const bounds = boundsOfBBox(tilejson.bounds || scene.bboxWGS84);
    const layer = new AuthTileLayer(this.api, tileUrlBuilder(scene.id, tilejson, { bands: preset, stretch: this.stretch }), {
      bounds: bounds || undefined,
      minNativeZoom: Number.isInteger(tilejson.minzoom) ? tilejson.minzoom : undefined,
      maxNativeZoom: Number.isInteger(tilejson.maxzoom) ? tilejson.maxzoom : undefined,
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
    };
  }
}
