// Small DOM helpers shared by the views. Text always goes in through
// textContent, so nothing from the server is ever parsed as HTML.

export const byId = (id) => document.getElementById(id);

// el('button', {class: 'x', dataset: {testid: 'y'}, onclick}, 'Text', child…)
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') Object.assign(node.style, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function show(node, visible) {
  node.hidden = !visible;
}

// One message line at the bottom of the page: what just happened or what
// went wrong. Errors stay until replaced; other messages fade after a while.
let messageTimer = 0;
export function notify(text, level = 'info') {
  const box = byId('message');
  clearTimeout(messageTimer);
  box.textContent = text;
  box.dataset.level = level;
  box.hidden = !text;
  if (text && level !== 'error' && level !== 'warning') {
    messageTimer = setTimeout(() => { box.hidden = true; }, 6000);
  }
}

// Disables a button while its action runs, so a double click does not send
// the request twice; returns the action's result.
export async function busy(button, action) {
  const wasDisabled = button.disabled;
  button.disabled = true;
  document.body.classList.add('is-busy');
  try {
    return await action();
  } finally {
    button.disabled = wasDisabled;
    document.body.classList.remove('is-busy');
  }
}

// Typing in a field must not trigger the map's keyboard shortcuts.
export function isTyping(event) {
  const target = event.target;
  return target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}
