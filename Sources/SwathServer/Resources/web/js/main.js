// The workbench page: sign-in, the project picker (codenames only), the
// annotate/review switch and the keyboard. Each view does its own work;
// this module wires them to the session.

import { ApiError, createApi, describeError } from './api.js';
import { storedToken, storeToken, loadSession, capabilities } from './session.js';
import { createMap } from './map.js';
import { SceneImagery } from './imagery.js';
import { AnnotateView } from './annotate.js';
import { ReviewView } from './review.js';
import { StandingView } from './standing.js';
import { byId, el, show, notify, busy } from './ui.js';

const PROJECT_KEY = 'swath.project';

const state = {
  token: storedToken(),
  user: null,
  projects: [],
  project: null, // the full project (taxonomy, settings) once picked
  mode: null,    // 'annotate' | 'review' | 'standing'
};

const api = createApi(() => state.token, {
  // A token revoked mid-session ends it; a refused sign-in is reported by signIn.
  onUnauthorized: () => {
    if (state.user) signOut('Your token is no longer accepted (it may have been revoked). Please sign in again.');
  },
});

let map = null;
let imagery = null;
let annotate = null;
let review = null;
let standing = null;

// The map needs a visible, sized container: it is built on first sign-in.
function ensureWorkspace() {
  if (map) return;
  map = createMap(byId('map'));
  imagery = new SceneImagery(map, api);
  annotate = new AnnotateView({ api, map, imagery });
  review = new ReviewView({ api, map, imagery });
  standing = new StandingView({ api });
  // The map / native grid switch reloads the task of whichever view is open.
  imagery.onViewChange = (mode) => {
    if (state.mode === 'annotate') annotate.switchView(mode);
    else if (state.mode === 'review') review.switchView(mode);
  };
  Object.assign(window.workbench, { map, imagery, annotate, review, standing });
}

// --- sign-in -----------------------------------------------------------------

async function signIn(token) {
  state.token = token;
  let session;
  try {
    session = await loadSession(api);
  } catch (error) {
    state.token = '';
    storeToken('');
    showSignIn(error instanceof ApiError && error.status === 401
      ? 'That token was not accepted. Check that you pasted all of it; it may also have been revoked.'
      : describeError(error, 'signing in'));
    return;
  }
  storeToken(token);
  notify(''); // nothing left over from the previous session
  state.user = session.user;
  state.projects = session.projects;
  show(byId('signin'), false);
  show(byId('workspace'), true);
  document.body.dataset.signedIn = 'true';
  ensureWorkspace();
  map.invalidateSize();
  byId('user-name').textContent = state.user.name;
  renderProjectPicker();
  const remembered = Number(sessionStorage.getItem(PROJECT_KEY));
  const initial = state.projects.find((p) => p.id === remembered) || state.projects[0];
  if (initial) await selectProject(initial.id);
  else notify('You are not a member of any project yet. Ask a project manager to add you.', 'warning');
}

function signOut(message = '') {
  if (annotate) annotate.reset();
  if (review) review.reset();
  if (annotate) annotate.leave();
  if (review) review.leave();
  if (standing) standing.leave();
  state.token = '';
  state.user = null;
  state.projects = [];
  state.project = null;
  state.mode = null;
  storeToken('');
  sessionStorage.removeItem(PROJECT_KEY);
  byId('user-name').textContent = '';
  byId('project-select').replaceChildren();
  showSignIn(message);
}

function showSignIn(message) {
  show(byId('workspace'), false);
  show(byId('signin'), true);
  document.body.dataset.signedIn = 'false';
  byId('signin-error').textContent = message || '';
  show(byId('signin-error'), !!message);
  byId('token-input').value = '';
  byId('token-input').focus();
  notify('');
}

// --- projects and modes ---------------------------------------------------------

function renderProjectPicker() {
  const select = byId('project-select');
  select.replaceChildren(...state.projects.map((p) => el('option', { value: String(p.id) }, p.codename)));
  select.disabled = state.projects.length === 0;
}

async function selectProject(id) {
  const summary = state.projects.find((p) => p.id === id);
  if (!summary) return;
  let project;
  try {
    const full = await api.get(`/api/v1/projects/${id}`);
    // The codename, taxonomy and settings are all the workbench keeps.
    project = { id: full.id, codename: full.codename, taxonomy: full.taxonomy, settings: full.settings, roles: full.roles || summary.roles };
  } catch (error) {
    notify(describeError(error, `opening project ${summary.codename}`), 'error');
    return;
  }
  state.project = project;
  sessionStorage.setItem(PROJECT_KEY, String(id));
  byId('project-select').value = String(id);
  annotate.leave();
  review.leave();
  standing.leave();
  annotate.setProject(project);
  review.setProject(project);
  standing.setProject(project);
  const can = capabilities(state.user, project);
  show(byId('mode-annotate'), can.annotate);
  show(byId('mode-review'), can.review);
  show(byId('mode-standing'), can.standing);
  const mode = can.annotate && state.mode !== 'review' ? 'annotate' : can.review ? 'review' : can.standing ? 'standing' : null;
  await setMode(mode);
  if (!mode) notify(`You have no annotator or reviewer role in ${project.codename}.`, 'warning');
}

async function setMode(mode) {
  if (state.mode === 'annotate' && mode !== 'annotate') annotate.leave();
  if (state.mode === 'review' && mode !== 'review') review.leave();
  if (state.mode === 'standing' && mode !== 'standing') standing.leave();
  state.mode = mode;
  document.body.dataset.mode = mode || '';
  byId('mode-annotate').setAttribute('aria-pressed', String(mode === 'annotate'));
  byId('mode-review').setAttribute('aria-pressed', String(mode === 'review'));
  byId('mode-standing').setAttribute('aria-pressed', String(mode === 'standing'));
  if (mode === 'annotate') annotate.enter();
  if (mode === 'review') await review.enter();
  if (mode === 'standing') await standing.enter();
}

// --- wiring -----------------------------------------------------------------

window.workbench = {
  api,
  state,
  // Everything the test reads, in one call.
  describe() {
    return {
      signedIn: !!state.user,
      user: state.user && state.user.name,
      project: state.project && state.project.codename,
      mode: state.mode,
      annotate: annotate ? annotate.describe() : null,
      review: review ? review.describe() : null,
      standing: standing ? standing.describe() : null,
      imagery: imagery ? imagery.describe() : null,
    };
  },
};

byId('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token-input').value.trim();
  if (!token) {
    showSignIn('Paste your Swath token to sign in.');
    return;
  }
  busy(byId('signin-button'), () => signIn(token));
});

byId('signout-button').addEventListener('click', () => {
  if (annotate && annotate.hasUnsavedWork() && !window.confirm('Sign out and discard the polygons you have not saved?')) return;
  signOut('You are signed out.');
});

byId('project-select').addEventListener('change', (event) => {
  const id = Number(event.target.value);
  if (annotate.hasUnsavedWork() && !window.confirm('Switch project and discard the polygons you have not saved?')) {
    event.target.value = String(state.project.id);
    return;
  }
  selectProject(id);
});

// Errors stay until replaced; a click on the message dismisses it.
byId('message').addEventListener('click', () => notify(''));

byId('mode-annotate').addEventListener('click', () => setMode('annotate'));
byId('mode-review').addEventListener('click', () => setMode('review'));
byId('mode-standing').addEventListener('click', () => {
  if (annotate.hasUnsavedWork() && !window.confirm('Leave this task and discard the polygons you have not saved?')) return;
  setMode('standing');
});

document.addEventListener('keydown', (event) => {
  if (state.mode === 'annotate' && annotate.handleKey(event)) event.preventDefault();
});

window.addEventListener('beforeunload', (event) => {
  if (annotate && annotate.hasUnsavedWork()) {
    event.preventDefault();
    event.returnValue = '';
  }
});

if (state.token) signIn(state.token);
else showSignIn('');
