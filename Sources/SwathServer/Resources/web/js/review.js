// Review: the project's submitted tasks, one at a time on the map with its
// labels drawn read-only in their class colours; accept it, or reject it
// with a comment that tells the annotator what to fix.

import { describeError } from './api.js';
import { footprintLayer, fitToFootprint } from './map.js';
import { ViewFrame } from './frame.js';
import { renderLegend } from './classes.js';
import { byId, el, show, notify, busy, formatDateTime } from './ui.js';

const L = window.L;

export class ReviewView {
  constructor({ api, map, imagery }) {
    this.api = api;
    this.map = map;
    this.imagery = imagery;
    this.project = null;
    this.tasks = [];
    this.task = null;
    this.layers = [];
    this.frame = new ViewFrame('map');
    this.loads = 0; // counts opens: an answer for an earlier one is dropped
    this.active = false;
    this.ready = false; // the open task's labels are on the map (the test waits on it)
    this.loaded = false; // the list has been fetched

    const action = (id, run) => byId(id).addEventListener('click', (event) =>
      busy(event.currentTarget, run).then(() => this._renderButtons()));
    action('review-refresh', () => this.refresh());
    action('accept-button', () => this.decide('accept'));
    action('reject-button', () => this.decide('reject'));
  }

  setProject(project) {
    this.project = project;
    this.tasks = [];
    this.loaded = false;
    this._closeTask();
    this._renderList();
  }

  async enter() {
    this.active = true;
    show(byId('review-list-panel'), true);
    show(byId('review-detail'), !!this.task);
    if (this.task) await this.open(this.task);
    else this.imagery.clear(); // whatever the annotate view was showing
    await this.refresh();
  }

  leave() {
    this.active = false;
    show(byId('review-list-panel'), false);
    show(byId('review-detail'), false);
    this._removeLayers();
  }

  reset() {
    this.setProject(null);
  }

  async refresh() {
    if (!this.project) return;
    const project = this.project;
    try {
      const tasks = await this.api.get(`/api/v1/projects/${project.id}/tasks`, { query: { status: 'submitted' } });
      if (project !== this.project) return;
      this.tasks = (tasks || []).slice().sort((a, b) => String(a.updatedAt).localeCompare(String(b.updatedAt)));
      this.loaded = true;
    } catch (error) {
      notify(describeError(error, 'listing the submitted tasks'), 'error');
    }
    this._renderList();
  }

  async open(task) {
    const load = ++this.loads;
    const current = () => load === this.loads && this.task === task && this.active;
    this.task = task;
    this.ready = false;
    this._removeLayers();
    show(byId('review-detail'), true);
    byId('review-task-info').textContent = `Task ${task.id} · scene ${task.sceneId} · submitted ${formatDateTime(task.updatedAt)}`;
    byId('review-task-info').dataset.taskId = String(task.id);
    byId('reject-comment').value = '';
    byId('review-history').replaceChildren();
    this._renderList();
    this._renderButtons();
    // The scene first: it decides the view, and so the coordinates everything else is asked in.
    const shown = await this.imagery.show(task.sceneId);
    if (!shown || !current()) return;
    const frame = new ViewFrame(shown.mode, task);
    this.frame = frame;
    const outline = frame.footprint();
    this.layers.push(footprintLayer(outline).addTo(this.map));
    fitToFootprint(this.map, outline);
    const [labels, reviews, consensus] = await Promise.all([
      this.api.get(`/api/v1/tasks/${task.id}/labels`, { query: frame.query }).catch((error) => {
        notify(describeError(error, 'loading the task\'s labels'), 'error');
        return null;
      }),
      this.api.get(`/api/v1/tasks/${task.id}/reviews`).catch(() => []),
      // Only projects with k annotators per task have consensus tasks (asking elsewhere would be a 404).
      (this.project.settings || {}).labelsPerTask > 1
        ? this.api.get(`/api/v1/tasks/${task.id}/consensus`, { query: frame.query }).catch(() => null) : null,
    ]);
    if (!current()) return;
    this._showLabels(labels && frame.toMap(labels));
    this._showDisagreement(consensus && { ...consensus, disagreement: (consensus.disagreement || []).map((r) => ({ ...r, geometry: frame.toMap(r.geometry) })) });
    this._showHistory(reviews || []);
    this.ready = true;
    this._renderButtons();
  }

  _showLabels(collection) {
    const classes = this.project.taxonomy.classes;
    const colour = (id) => (classes.find((c) => c.id === id) || {}).color || '#ffffff';
    const features = (collection && collection.features) || [];
    const layer = L.geoJSON(collection, {
      style: (feature) => ({ color: colour(feature.properties.classId), weight: 2, fillOpacity: 0.3 }),
      onEachFeature: (feature, path) => path.bindTooltip(document.createTextNode(String(feature.properties.class)), { sticky: true, className: 'class-tooltip' }),
    }).addTo(this.map);
    this.layers.push(layer);
    byId('review-label-count').textContent = `${features.length} polygon${features.length === 1 ? '' : 's'}`;
    renderLegend(byId('review-legend'), classes, new Set(features.map((f) => f.properties.classId)));
  }

  // Where the k annotators disagreed, drawn over the consensus in dashed red
  // so the reviewer looks there first.
  _showDisagreement(consensus) {
    const summary = byId('review-consensus');
    if (!consensus) { summary.textContent = ''; return; }
    const regions = consensus.disagreement || [];
    const layer = L.geoJSON({ type: 'FeatureCollection', features: regions.map((region) => ({
      type: 'Feature', geometry: region.geometry, properties: { class: region.class } })) }, {
      style: () => ({ color: '#ff1744', weight: 2, dashArray: '6 4', fillColor: '#ff1744', fillOpacity: 0.25 }),
      onEachFeature: (feature, path) => path.bindTooltip(document.createTextNode(`disputed: ${feature.properties.class}`), { sticky: true }),
    }).addTo(this.map);
    this.layers.push(layer);
    summary.textContent = `Agreement ${consensus.agreement.toFixed(2)} (threshold ${consensus.agreementThreshold.toFixed(2)}) · `
      + `${consensus.annotators.length} annotators · ${regions.length} disputed region${regions.length === 1 ? '' : 's'} in red`;
  }

  _showHistory(reviews) {
    byId('review-history').replaceChildren(...reviews.map((review) => el('li', {},
      el('strong', {}, review.decision === 'accept' ? 'Accepted' : 'Rejected'),
      ` ${formatDateTime(review.createdAt)}`,
      review.comment ? el('p', {}, review.comment) : null)));
  }

  async decide(decision) {
    const task = this.task;
    if (!task) return;
    const comment = byId('reject-comment').value.trim();
    if (decision === 'reject' && !comment) {
      notify('Write what the annotator should fix before rejecting the task.', 'warning');
      byId('reject-comment').focus();
      return;
    }
    const body = decision === 'reject' ? { decision, comment } : (comment ? { decision, comment } : { decision });
    try {
      await this.api.post(`/api/v1/tasks/${task.id}/review`, body);
    } catch (error) {
      notify(describeError(error, decision === 'accept' ? 'accepting the task' : 'rejecting the task'), 'error');
      return;
    }
    notify(decision === 'accept' ? `Task ${task.id} accepted.` : `Task ${task.id} rejected and returned to the queue.`, 'success');
    this._closeTask();
    await this.refresh();
  }

  _closeTask() {
    this.loads += 1;
    this.task = null;
    this.ready = false;
    this._removeLayers();
    this.imagery.clear();
    show(byId('review-detail'), false);
    this._renderButtons();
  }

  _removeLayers() {
    for (const layer of this.layers) this.map.removeLayer(layer);
    this.layers = [];
  }

  _renderList() {
    const list = byId('review-task-list');
    const empty = byId('review-empty');
    list.replaceChildren(...this.tasks.map((task) => el('li', {},
      el('button', {
        type: 'button',
        class: 'review-task',
        id: `review-task-${task.id}`,
        dataset: { testid: 'review-task', taskId: String(task.id) },
        'aria-pressed': String(!!this.task && this.task.id === task.id),
        onclick: () => this.open(task),
      }, `Task ${task.id}`, el('span', { class: 'muted' }, ` · scene ${task.sceneId} · ${formatDateTime(task.updatedAt)}`)))));
    empty.textContent = this.loaded && !this.tasks.length ? 'No submitted task is waiting for review.' : '';
    show(empty, this.loaded && !this.tasks.length);
  }

  _renderButtons() {
    const ready = !!this.task && this.ready;
    byId('accept-button').disabled = !ready;
    byId('reject-button').disabled = !ready;
  }

  // The analyst's switch between the map and the native grid: the task is shown again in the other view.
  async switchView(mode) {
    this.imagery.prefersNative = mode === 'native';
    if (this.task) await this.open(this.task);
  }

  describe() {
    return { ready: this.ready, taskId: this.task ? this.task.id : null, listed: this.tasks.map((t) => t.id), loaded: this.loaded };
  }
}
