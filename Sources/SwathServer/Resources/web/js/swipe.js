// Before/after swipe: the pre-event imagery lies over the post-event one and
// is clipped to the left of a vertical divider the analyst drags across the
// map. The clip is set on the top layer's container, in the map pane's own
// coordinates, and recomputed whenever the map moves.

const L = window.L;

export class Swipe {
  constructor(map, topLayer, { beforeLabel = 'Before', afterLabel = 'After', fraction = 0.5 } = {}) {
    this.map = map;
    this.topLayer = topLayer;
    this.fraction = fraction; // of the map's width, from the left
    this.divider = this._buildDivider(beforeLabel, afterLabel);
    map.getContainer().append(this.divider);
    this._update = () => this.update();
    map.on('move zoom zoomend resize viewreset', this._update);
    topLayer.on('load tileload', this._update); // a new level container appears on zoom
    this.update();
  }

  _buildDivider(beforeLabel, afterLabel) {
    const divider = document.createElement('div');
    divider.className = 'swipe-divider';
    divider.id = 'swipe-divider';
    divider.dataset.testid = 'swipe-divider';
    divider.setAttribute('role', 'slider');
    divider.setAttribute('aria-label', 'Before/after divider');
    divider.setAttribute('aria-valuemin', '0');
    divider.setAttribute('aria-valuemax', '100');
    divider.tabIndex = 0;
    const handle = document.createElement('div');
    handle.className = 'swipe-handle';
    handle.textContent = '⇔';
    const left = document.createElement('span');
    left.className = 'swipe-label swipe-label-before';
    left.textContent = beforeLabel;
    const right = document.createElement('span');
    right.className = 'swipe-label swipe-label-after';
    right.textContent = afterLabel;
    divider.append(left, handle, right);

    // The divider is on the map: keep its clicks and drags from reaching
    // Leaflet, or dragging it would pan the map and clicking it draw a vertex.
    L.DomEvent.disableClickPropagation(divider);
    L.DomEvent.disableScrollPropagation(divider);
    divider.addEventListener('pointerdown', (event) => this._startDrag(event));
    divider.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 0.1 : 0.02;
      if (event.key === 'ArrowLeft') this.setFraction(this.fraction - step);
      else if (event.key === 'ArrowRight') this.setFraction(this.fraction + step);
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    return divider;
  }

  _startDrag(event) {
    event.preventDefault();
    event.stopPropagation();
    const divider = this.divider;
    divider.setPointerCapture(event.pointerId);
    divider.classList.add('is-dragging');
    const move = (moveEvent) => {
      const rect = this.map.getContainer().getBoundingClientRect();
      this.setFraction((moveEvent.clientX - rect.left) / rect.width);
    };
    const stop = () => {
      divider.classList.remove('is-dragging');
      divider.removeEventListener('pointermove', move);
      divider.removeEventListener('pointerup', stop);
      divider.removeEventListener('pointercancel', stop);
    };
    divider.addEventListener('pointermove', move);
    divider.addEventListener('pointerup', stop);
    divider.addEventListener('pointercancel', stop);
  }

  setFraction(fraction) {
    this.fraction = Math.min(1, Math.max(0, fraction));
    this.update();
  }

  update() {
    const map = this.map;
    const size = map.getSize();
    // The handle stays on screen at the extremes, so it can be dragged back.
    const x = Math.min(size.x - 16, Math.max(16, Math.round(size.x * this.fraction)));
    this.divider.style.left = `${x}px`;
    this.divider.setAttribute('aria-valuenow', String(Math.round(this.fraction * 100)));
    const container = this.topLayer.getContainer && this.topLayer.getContainer();
    if (!container) return;
    const topLeft = map.containerPointToLayerPoint([0, 0]);
    const bottomRight = map.containerPointToLayerPoint(size);
    const clipX = map.containerPointToLayerPoint([x, 0]).x;
    container.style.clip = `rect(${topLeft.y}px, ${clipX}px, ${bottomRight.y}px, ${topLeft.x}px)`;
  }

  remove() {
    this.map.off('move zoom zoomend resize viewreset', this._update);
    this.topLayer.off('load tileload', this._update);
    const container = this.topLayer.getContainer && this.topLayer.getContainer();
    if (container) container.style.clip = '';
    this.divider.remove();
  }
}
