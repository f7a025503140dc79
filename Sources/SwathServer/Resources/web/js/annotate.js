// Annotate: claim a task, look at the scene around its footprint, draw the
// labels (by hand, or with the magic wand's grown regions), save them
// (showing the server's refusals on the polygons), submit or skip; the lease
// is renewed while the task is open.

import { ApiError, describeError } from './api.js';
import { PolygonEditor } from './draw.js';
import { LeaseKeeper } from './lease.js';
import { MagicWand } from './wand.js';
import { partsFromGeometry, pointInRing } from './geometry.js';
import { footprintLayer, fitToFootprint } from './map.js';
import { ViewFrame } from './frame.js';
import { renderClassPicker, classForKey } from './classes.js';
import { byId, el, show, notify, busy, isTyping, formatDateTime } from './ui.js';

// LabelingService.maximumSkipped: a claim naming more skipped tasks is refused.
const MAX_SKIPPED = 100;

export class AnnotateView {
  constructor({ api, map, imagery }) {
    this.api = api;
    this.map = map;
    this.imagery = imagery;
    this.project = null;
    this.task = null;
    this.footprint = null;
    this.frame = new ViewFrame('map'); // how the open task's coordinates sit on the map
    this.loads = 0; // counts task loads: an answer for an earlier one is dropped
    this.skipped = new Map(); // project id → ids skipped this session, left out of claims
    this.ready = false;       // a task is on screen with its labels (the test waits on it)
    this.active = false;
    this.editor = new PolygonEditor(map, {
      onChange: () => this._renderEditorState(),
      notify,
      onWand: (latlng) => this.segmentAt(latlng),
    });
    this.wand = new MagicWand(api, map, byId('wand-tolerance'));
    this.lease = new LeaseKeeper(api, {
      onStatus: (status) => this._renderLease(status),
      onLost: () => this._renderButtons(),
    });

    // Queue and save actions: the button is disabled while its request runs,
    // and every button's state is worked out again when it is done.
    const action = (id, run) => byId(id).addEventListener('click', (event) =>
      busy(event.currentTarget, run).then(() => this._renderButtons()));
    action('claim-button', () => this.claim());
    action('skip-button', () => this.skip());
    action('save-button', () => this.save());
    action('submit-button', () => this.submit());
    byId('tool-draw').addEventListener('click', () => this.editor.setTool('draw'));
    byId('tool-select').addEventListener('click', () => this.editor.setTool('select'));
    byId('tool-hole').addEventListener('click', () => this.editor.setTool('hole'));
    byId('tool-wand').addEventListener('click', () => this.editor.setTool('wand'));
    byId('delete-button').addEventListener('click', () => this.editor.deleteSelected());
    byId('undo-button').addEventListener('click', () => this.editor.undo());
    this._renderButtons();
  }

  // --- project and view switching ------------------------------------------

  setProject(project) {
    this.project = project;
    this.editor.setClasses(project ? project.taxonomy.classes : []);
    this._closeTask();
  }

  enter() {
    this.active = true;
    show(byId('annotate-task'), true);
    show(byId('annotate-tools'), true);
    if (this.task) {
      // Unsaved polygons stay in the view they were drawn in; saved ones are loaded again in whichever it opens in.
      const keepDrawing = this.editor.dirty;
      this._showTask(this.task, { keepDrawing, mode: keepDrawing ? this.frame.mode : undefined });
    } else {
      this.imagery.clear(); // whatever the review view was showing
    }
    this._renderButtons();
  }

  leave() {
    this.active = false;
    show(byId('annotate-task'), false);
    show(byId('annotate-tools'), false);
    this.editor.disable();
    this._removeFootprint();
  }

  hasUnsavedWork() {
    return !!this.task && this.editor.dirty;
  }

  // Sign-out or project switch: stop renewing, forget the task locally (the
  // lease itself runs out on the server, or the analyst claims it again).
  reset() {
    this._closeTask();
  }

  // --- queue -----------------------------------------------------------------

  async claim() {
    if (!this.project) return;
    const skipped = this.skipped.get(this.project.id) || [];
    let task;
    try {
      task = await this.api.post(`/api/v1/projects/${this.project.id}/tasks/claim`, undefined,
        { query: skipped.length ? { skip: skipped.join(',') } : undefined });
    } catch (error) {
      notify(describeError(error, 'claiming a task'), 'error');
      return;
    }
    if (!task) {
      this._closeTask();
      // Only skipped tasks left: forget the skips, so the next claim may hand them back.
      this.skipped.delete(this.project.id);
      const text = skipped.length
        ? `No other open task in ${this.project.codename}; claim again to get the tasks you skipped.`
        : `No open task in ${this.project.codename} right now.`;
      byId('task-info').textContent = text;
      notify(text, 'info');
      return;
    }
    // Claiming again after a lost lease may hand back the same task: keep
    // what was drawn but not yet saved.
    const keepDrawing = this.task && this.task.id === task.id && this.editor.dirty;
    await this._openTask(task, { keepDrawing });
    notify(`Task ${task.id} is yours until you submit or skip it.`, 'success');
  }

  async skip() {
    const task = this.task;
    if (!task) return;
    if (this.editor.dirty && !window.confirm('Skip this task and discard the polygons you have not saved?')) return;
    try {
      await this.api.post(`/api/v1/tasks/${task.id}/release`);
    } catch (error) {
      // A lease that has run out is already released; anything else is not.
      if (!(error instanceof ApiError && error.status === 409)) {
        notify(describeError(error, 'skipping the task'), 'error');
        return;
      }
    }
    const skipped = this.skipped.get(this.project.id) || [];
    if (!skipped.includes(task.id)) skipped.push(task.id);
    // The server takes at most MAX_SKIPPED ids in a claim: keep the most recent.
    if (skipped.length > MAX_SKIPPED) skipped.splice(0, skipped.length - MAX_SKIPPED);
    this.skipped.set(this.project.id, skipped);
    this._closeTask();
    await this.claim();
  }

  async _openTask(task, { keepDrawing = false } = {}) {
    this.task = task;
    this.lease.start(task, this.project.settings && this.project.settings.leaseSeconds);
    byId('task-info').textContent = `Task ${task.id} · scene ${task.sceneId} · tile at column ${task.window.col}, row ${task.window.row}`;
    byId('task-info').dataset.taskId = String(task.id);
    await Promise.all([
      this._showTask(task, { keepDrawing, mode: keepDrawing ? this.frame.mode : undefined }),
      this._loadFeedback(task),
    ]);
  }

  // The scene first (it decides the view), then the footprint and the labels in that view's coordinates.
  // A later load (another switch, task or view) supersedes this one: each step checks it is still the latest, and
  // the labels are asked for and placed in one frame, so an answer never lands in the other view's coordinates.
  async _showTask(task, { keepDrawing = false, mode } = {}) {
    const load = ++this.loads;
    const current = () => load === this.loads && this.task === task && this.active;
    this.ready = false;
    this.editor.disable();
    this._removeFootprint();
    if (!keepDrawing) this.editor.clear();
    this._renderButtons();
    const shown = await this.imagery.show(task.sceneId, { mode });
    if (!shown || !current()) return;
    const frame = new ViewFrame(shown.mode, task);
    this.frame = frame;
    this._showTaskOnMap();
    if (!keepDrawing) {
      const labels = await this._loadLabels(task, frame);
      if (!current()) return;
      if (labels) this.editor.load(frame.toMap(labels));
    }
    this.ready = true;
    this._renderButtons();
  }

  // The analyst's switch between the map and the native grid: the task is drawn again in the other view.
  async switchView(mode) {
    if (this.task && this.editor.dirty) {
      notify('Save your polygons before switching views: the other view loads them from the server in its own coordinates.', 'warning');
      return;
    }
    this.imagery.prefersNative = mode === 'native';
    if (this.task) await this._showTask(this.task);
  }

  async _loadLabels(task, frame) {
    try {
      return await this.api.get(`/api/v1/tasks/${task.id}/labels`, { query: frame.query });
    } catch (error) {
      notify(describeError(error, 'loading the task\'s labels'), 'error');
      return null;
    }
  }

  // A task sent back by a reviewer says why: show the latest rejection.
  async _loadFeedback(task) {
    const box = byId('feedback');
    show(box, false);
    let reviews;
    try {
      reviews = await this.api.get(`/api/v1/tasks/${task.id}/reviews`);
    } catch {
      return; // the history is a help, not a requirement
    }
    const last = (reviews || []).filter((r) => r.decision === 'reject').pop();
    if (!last || this.task !== task) return;
    box.replaceChildren(
      el('strong', {}, 'Sent back by a reviewer'),
      el('span', { class: 'muted' }, ` ${formatDateTime(last.createdAt)}`),
      el('p', {}, last.comment || ''));
    show(box, true);
  }

  _showTaskOnMap() {
    if (!this.active || !this.task) return;
    this._removeFootprint();
    const outline = this.frame.footprint();
    this.footprint = footprintLayer(outline).addTo(this.map);
    fitToFootprint(this.map, outline);
    this.editor.enable();
  }

  _removeFootprint() {
    if (this.footprint) this.map.removeLayer(this.footprint);
    this.footprint = null;
  }

  _closeTask() {
    this.loads += 1; // whatever was loading is for a task no longer open
    this.lease.stop();
    this.task = null;
    this.ready = false;
    this.editor.clear();
    this.editor.disable();
    this._removeFootprint();
    this.imagery.clear();
    byId('task-info').textContent = this.project ? 'No task claimed. A task you already hold comes back first.' : '';
    delete byId('task-info').dataset.taskId;
    show(byId('feedback'), false);
    this._renderButtons();
  }

  // --- magic wand ------------------------------------------------------------

  // The wand's click: the region grown from that point over the scene's bands
  // becomes a new polygon of the current class, unsaved like a drawn one.
  async segmentAt(latlng) {
    const task = this.task;
    // Labels still loading would replace the region when they arrive.
    if (!task || !this.ready) return;
    if (this.lease.lost) {
      notify('The lease on this task is lost: claim it again to use the magic wand.', 'error');
      return;
    }
    // The server grows regions from inside the task only; say so without asking it.
    if (!insideFootprint(this.frame.footprint(), latlng)) {
      notify('The magic wand works inside the task: click within its dashed outline.', 'warning');
      return;
    }
    const started = performance.now();
    const frame = this.frame; // the region comes back in the coordinates it was asked in
    let region;
    try {
      region = await this.wand.segment(task.id, frame.latLngToApi(latlng), frame.crs);
    } catch (error) {
      if (this.task !== task) return;
      // The server refuses with 409 when the task is no longer leased to us, as a save would be.
      if (error instanceof ApiError && error.status === 409) this.lease.markLost(error.reason);
      notify(describeError(error, 'growing a region with the magic wand'), 'error');
      return;
    }
    // Null: a region was already on its way (a double-click). A different
    // task: skipped or signed out meanwhile.
    if (!region || this.task !== task || this.frame !== frame || !this.ready) return;
    const seconds = (performance.now() - started) / 1000;
    if (!this.editor.addRegion(frame.toMap(region.geometry), { secondsSpent: seconds })) {
      notify('The magic wand found no region there; try another point or a higher tolerance.', 'warning');
      return;
    }
    const pixels = region.properties && region.properties.pixels;
    notify(`Added a region${pixels ? ` of ${pixels} pixels` : ''}. Ctrl+Z takes it away; save to keep it.`, 'success');
  }

  // --- saving ----------------------------------------------------------------

  // Saves the whole label set; true when the server took it.
  async save() {
    const task = this.task;
    if (!task) return false;
    const collection = this.editor.featureCollection();
    const unclassified = this.editor.features.findIndex((f) => f.classId == null);
    if (unclassified >= 0) {
      this.editor.markProblems([{ index: unclassified, reason: 'pick a class for this polygon' }]);
      notify('Every polygon needs a class: pick one for the polygon outlined in red.', 'error');
      return false;
    }
    try {
      const frame = this.frame;
      const saved = await this.api.put(`/api/v1/tasks/${task.id}/labels`, frame.toApi(collection), { query: frame.query });
      if (this.task !== task) return false;
      this.editor.load(frame.toMap(saved), { keepSelection: true });
      const count = collection.features.length;
      notify(`Saved ${count} polygon${count === 1 ? '' : 's'} on task ${task.id}.`, 'success');
      return true;
    } catch (error) {
      if (this.task !== task) return false;
      if (error instanceof ApiError && error.status === 422 && error.features.length) {
        this.editor.markProblems(error.features);
      } else if (error instanceof ApiError && error.status === 409) {
        this.lease.markLost(error.reason);
      }
      notify(describeError(error, 'saving the labels'), 'error');
      return false;
    }
  }

  async submit() {
    const task = this.task;
    if (!task) return;
    if (this.editor.isDrawing()) {
      notify('Finish or cancel (Escape) the polygon you are drawing first.', 'warning');
      return;
    }
    if (this.editor.dirty && !(await this.save())) return;
    try {
      await this.api.post(`/api/v1/tasks/${task.id}/submit`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) this.lease.markLost(error.reason);
      notify(describeError(error, 'submitting the task'), 'error');
      return;
    }
    this._closeTask();
    byId('task-info').textContent = `Task ${task.id} was submitted for review. Claim the next one when you are ready.`;
    notify(`Task ${task.id} submitted for review.`, 'success');
  }

  // --- keyboard --------------------------------------------------------------

  handleKey(event) {
    if (!this.active || !this.task || isTyping(event)) return false;
    const editor = this.editor;
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && key.toLowerCase() === 'z') {
      editor.undo();
      return true;
    }
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 's') {
      byId('save-button').click();
      return true;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (key === 'Escape') {
      if (!editor.cancelRing()) {
        if (editor.tool === 'hole') editor.setTool(editor.toolBeforeHole);
        else editor.select(null);
      }
      return true;
    }
    if (key === 'Enter' && editor.isDrawing()) {
      editor.closeRing();
      return true;
    }
    if (key === 'Delete' || key === 'Backspace') {
      if (editor.isDrawing()) editor.undo();
      else editor.deleteSelected();
      return true;
    }
    const picked = classForKey(editor.classes, key);
    if (picked) {
      editor.pickClass(picked.id);
      return true;
    }
    const tools = { d: 'draw', s: 'select', h: 'hole', w: 'wand' };
    if (tools[key.toLowerCase()]) {
      editor.setTool(tools[key.toLowerCase()]);
      return true;
    }
    return false;
  }

  // --- rendering -------------------------------------------------------------

  _renderEditorState() {
    const editor = this.editor;
    renderClassPicker(byId('class-list'), editor.classes, editor.currentClassId, (id) => editor.pickClass(id));
    for (const tool of ['draw', 'select', 'hole', 'wand']) {
      byId(`tool-${tool}`).setAttribute('aria-pressed', String(editor.tool === tool));
    }
    show(byId('wand-options'), editor.tool === 'wand');
    const hint = editor.isDrawing()
      ? 'Click to add corners; click the first corner or double-click to close. Escape cancels, Ctrl+Z removes the last corner.'
      : editor.tool === 'hole' ? 'Draw a ring inside the selected polygon to cut a hole.'
        : editor.tool === 'select' ? 'Click a polygon to select it; drag its corners to edit.'
          : editor.tool === 'wand' ? 'Click inside the task: the pixels around it that look alike become a polygon of the current class. A higher tolerance takes in more.'
            : 'Click on the map to start a polygon.';
    byId('tool-hint').textContent = hint;
    this._renderLabelList();
    this._renderButtons();
  }

  _renderLabelList() {
    const editor = this.editor;
    const list = byId('label-list');
    list.replaceChildren(...editor.features.map((feature, index) => {
      const labelClass = editor.classOf(feature);
      return el('li', {
        class: ['label-row', feature.key === editor.selectedKey ? 'is-selected' : '', feature.problem ? 'has-problem' : ''].join(' ').trim(),
        dataset: { testid: 'label-row', index: String(index), problem: feature.problem ? 'true' : 'false' },
        onclick: () => editor.select(feature.key),
      },
      el('span', { class: 'swatch', style: { background: labelClass ? labelClass.color : 'transparent' } }),
      el('span', { class: 'label-name' }, `${index + 1}. ${labelClass ? labelClass.name : 'No class'}`),
      feature.problem ? el('span', { class: 'problem', dataset: { testid: 'label-problem' } }, feature.problem) : null);
    }));
    const count = editor.features.length;
    byId('label-count').textContent = `${count} polygon${count === 1 ? '' : 's'}`;
    byId('save-state').textContent = !this.task ? '' : editor.dirty ? 'Unsaved changes' : 'All changes saved';
    byId('save-state').dataset.dirty = String(editor.dirty);
  }

  _renderButtons() {
    const hasTask = !!this.task;
    const live = hasTask && !this.lease.lost;
    byId('claim-button').disabled = !this.project || (hasTask && !this.lease.lost);
    byId('claim-button').textContent = hasTask && this.lease.lost ? 'Claim again' : 'Claim a task';
    byId('skip-button').disabled = !live;
    byId('save-button').disabled = !live || !this.ready;
    byId('submit-button').disabled = !live || !this.ready;
    byId('undo-button').disabled = !hasTask || !this.editor.canUndo();
    byId('delete-button').disabled = !hasTask || !this.editor.selected();
    byId('tool-hole').disabled = !hasTask || !this.editor.selected();
    show(byId('annotate-editing'), hasTask);
    show(byId('task-actions'), hasTask);
  }

  _renderLease({ state, text }) {
    const box = byId('lease-status');
    box.textContent = text;
    box.dataset.state = state;
    box.hidden = !text;
    if (state === 'lost') notify(`${text} Save is disabled; claim the task again to continue.`, 'error');
  }

  describe() {
    return {
      ready: this.ready,
      taskId: this.task ? this.task.id : null,
      leaseLost: this.lease.lost,
      editor: this.editor.describe(),
      wand: this.wand.describe(),
    };
  }
}

// Whether `latlng` lies in the task's footprint (a GeoJSON Polygon or
// MultiPolygon in the map's coordinates); holes do not matter, a task has none. Without a
// footprint the server, which checks anyway, decides.
function insideFootprint(geometry, latlng) {
  const parts = partsFromGeometry(geometry);
  return !parts.length || parts.some((rings) => rings.length && pointInRing(latlng, rings[0]));
}
