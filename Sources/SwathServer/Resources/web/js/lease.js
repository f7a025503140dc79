// Keeps the claim on a task alive while the page is open: a heartbeat every
// quarter of the lease (at most every five minutes), at once when the tab
// becomes visible again, and a clear "lease lost" when the server says the
// task is no longer ours — saving would be refused from then on.

import { ApiError, describeError } from './api.js';
import { formatTime } from './ui.js';

export class LeaseKeeper {
  constructor(api, { onStatus = () => {}, onLost = () => {} } = {}) {
    this.api = api;
    this.onStatus = onStatus; // ({state: 'live'|'retrying'|'lost'|'none', text})
    this.onLost = onLost;     // (reason), once per lease
    this.task = null;
    this.timer = 0;
    this.lost = false;
    this._onVisible = () => { if (document.visibilityState === 'visible' && this.task) this.beat(); };
  }

  start(task, leaseSeconds) {
    this.stop();
    this.task = task;
    this.lost = false;
    const seconds = Number(leaseSeconds) > 0 ? Number(leaseSeconds) : 1800;
    this.intervalMs = Math.min(300, Math.max(10, seconds / 4)) * 1000;
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    document.addEventListener('visibilitychange', this._onVisible);
    this._report();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
    document.removeEventListener('visibilitychange', this._onVisible);
    this.task = null;
    this.onStatus({ state: 'none', text: '' });
  }

  // The server's copy of the task after a save or a heartbeat.
  update(task) {
    if (!this.task || task.id !== this.task.id) return;
    this.task = task;
    this._report();
  }

  async beat() {
    const task = this.task;
    if (!task || this.lost) return;
    try {
      const renewed = await this.api.post(`/api/v1/tasks/${task.id}/heartbeat`);
      if (this.task && this.task.id === task.id && renewed) {
        this.task = renewed;
        this._report();
      }
    } catch (error) {
      if (!this.task || this.task.id !== task.id) return;
      if (error instanceof ApiError && (error.status === 409 || error.status === 404 || error.status === 403)) {
        this.markLost(error.reason);
      } else if (error instanceof ApiError && error.status === 401) {
        this.stop(); // the session ends; main shows the sign-in form
      } else {
        this.onStatus({ state: 'retrying', text: `${describeError(error, 'renewing the lease')} Retrying…` });
      }
    }
  }

  // Called by the heartbeat, or by a save or submit refused with 409.
  markLost(reason) {
    if (!this.task || this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    this.timer = 0;
    this.onStatus({ state: 'lost', text: `Lease lost on task ${this.task.id}: ${reason || 'it is no longer yours'}.` });
    this.onLost(reason);
  }

  _report() {
    const until = this.task && this.task.leaseExpiresAt;
    this.onStatus({ state: 'live', text: until ? `Lease held until ${formatTime(until)}; renewed automatically.` : 'Lease held.' });
  }
}
