// The project's taxonomy as the analyst sees it: a class picker grouped as
// the taxonomy groups them, the first nine on the number keys, and a legend
// for read-only maps.

import { el } from './ui.js';

// The classes in taxonomy order; keys 1–9 pick the first nine.
export function shortcutOf(classes, classId) {
  const index = classes.findIndex((c) => c.id === classId);
  return index >= 0 && index < 9 ? String(index + 1) : '';
}

export function classForKey(classes, key) {
  const index = Number(key) - 1;
  return Number.isInteger(index) && index >= 0 && index < 9 ? classes[index] || null : null;
}

export function renderClassPicker(container, classes, currentId, onPick) {
  const groups = new Map();
  for (const item of classes) {
    if (!groups.has(item.group)) groups.set(item.group, []);
    groups.get(item.group).push(item);
  }
  const children = [];
  for (const [group, items] of groups) {
    if (group) children.push(el('div', { class: 'class-group' }, group));
    for (const item of items) {
      const key = shortcutOf(classes, item.id);
      children.push(el('button', {
        type: 'button',
        class: 'class-option',
        id: `class-${item.id}`,
        dataset: { testid: 'class-option', classId: String(item.id) },
        'aria-pressed': String(item.id === currentId),
        title: key ? `${item.name} (key ${key})` : item.name,
        onclick: () => onPick(item.id),
      },
      el('span', { class: 'swatch', style: { background: item.color } }),
      el('span', { class: 'class-name' }, item.name),
      key ? el('kbd', {}, key) : null));
    }
  }
  container.replaceChildren(...children);
}

export function renderLegend(container, classes, classIds) {
  const used = classes.filter((c) => classIds.has(c.id));
  container.replaceChildren(...used.map((item) => el('li', { class: 'legend-item' },
    el('span', { class: 'swatch', style: { background: item.color } }), item.name)));
}
