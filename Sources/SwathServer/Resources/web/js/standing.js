// The standing page: an annotator's honest view of where they stand
// (qualification, this week's work, accuracy on gold, earnings by day), and
// for managers the cohort view (figures and quality over time per cohort) and
// the payroll. Amounts arrive in minor units and are shown in the currency.

import { describeError } from './api.js';
import { byId, el, show, notify } from './ui.js';

const CHART_COLOURS = ['#3d8bfd', '#f5a524', '#30a46c', '#e5484d', '#a371f7', '#2bb3c0'];

export class StandingView {
  constructor({ api }) {
    this.api = api;
    this.project = null;
    this.loaded = false;
    this.own = null;       // { page, earnings }
    this.team = null;      // { cohorts, payroll, standings }
    this.root = byId('standing-page');
  }

  setProject(project) {
    this.project = project;
    this.loaded = false;
  }

  async enter() {
    show(this.root, true);
    this.loaded = false;
    this.root.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    const roles = new Set(this.project.roles || []);
    const sections = [];
    try {
      this.own = null;
      this.team = null;
      if (roles.has('annotator')) {
        const [page, earnings] = await Promise.all([
          this.api.get(`/api/v1/projects/${this.project.id}/me`),
          this.api.get('/api/v1/me/earnings'),
        ]);
        this.own = { page, earnings };
        sections.push(this.renderOwn(page, earnings));
      }
      if (roles.has('manager')) {
        const [quality, payroll, standings] = await Promise.all([
          this.api.get(`/api/v1/projects/${this.project.id}/quality`),
          this.api.get(`/api/v1/projects/${this.project.id}/payroll`),
          this.api.get(`/api/v1/projects/${this.project.id}/standings`),
        ]);
        this.team = { cohorts: quality.cohorts || [], payroll, standings };
        sections.push(this.renderCohorts(this.team.cohorts), this.renderPayroll(payroll), this.renderStandings(standings));
      }
    } catch (error) {
      this.root.replaceChildren(el('p', { class: 'error', dataset: { testid: 'standing-error' } }, describeError(error, 'loading your standing')));
      notify(describeError(error, 'loading your standing'), 'error');
      return;
    }
    if (!sections.length) sections.push(el('p', { class: 'muted' }, 'Standing is shown to annotators and managers.'));
    this.root.replaceChildren(...sections);
    this.loaded = true;
  }

  leave() {
    show(this.root, false);
  }

  // --- the annotator's own standing ----------------------------------------------

  renderOwn(page, earnings) {
    const standing = page.standing;
    const gold = page.goldF1 === null || page.goldF1 === undefined ? 'no gold tasks scored yet' : `${percent(page.goldF1)} mean F1 over ${page.goldTasks} gold tasks`;
    const facts = el('dl', { class: 'facts' },
      el('dt', {}, 'Status'), el('dd', {}, el('span', { class: `badge state-${standing.state}`, dataset: { testid: 'standing-state' } }, standing.state)),
      el('dt', {}, 'Why'), el('dd', { dataset: { testid: 'standing-reason' } }, standing.reason),
      el('dt', {}, 'This week'), el('dd', { dataset: { testid: 'standing-week' } }, `${page.tasksThisWeek} tasks handed in since ${page.weekStart}`),
      el('dt', {}, 'Accuracy on gold'), el('dd', { dataset: { testid: 'standing-gold' } }, gold));
    if (standing.qualification) {
      const scores = standing.qualificationF1.length ? standing.qualificationF1.map(percent).join(', ') : 'none yet';
      facts.append(el('dt', {}, 'Qualification'),
        el('dd', {}, `${standing.qualification.tasksPerAttempt} tasks per attempt, pass at ${percent(standing.qualification.threshold)}, `
          + `${standing.qualification.attempts} attempts; your scores: ${scores}`));
    }
    const totals = earnings.totals || [];
    const summary = totals.length
      ? totals.map((t) => `${money(t.approved, t.currency)} approved · ${money(t.paid, t.currency)} paid · ${money(t.pending, t.currency)} pending payout`).join('; ')
      : 'Nothing earned in this period yet.';
    const rows = (earnings.days || []).map((d) => el('tr', {},
      el('td', {}, d.day), el('td', {}, d.project), el('td', { class: 'num' }, d.tasks),
      el('td', { class: 'num' }, money(d.approved, d.currency)), el('td', { class: 'num' }, money(d.paid, d.currency)),
      el('td', { class: 'num' }, money(d.pending, d.currency))));
    return el('section', { class: 'standing-section', dataset: { testid: 'standing-own' } },
      el('h2', {}, `Your standing in ${page.codename}`), facts,
      el('h3', {}, `Earnings ${earnings.from} to ${earnings.to}`),
      el('p', { dataset: { testid: 'earnings-summary' } }, summary),
      el('p', { class: 'muted' }, 'Work earns once it is accepted.'),
      table(['Day', 'Project', 'Tasks', 'Approved', 'Paid', 'Pending'], rows, 'earnings-table'));
  }

  // --- managers: cohorts, payroll, standings -------------------------------------

  renderCohorts(cohorts) {
    const rows = cohorts.map((c) => {
      const f = c.figures;
      return el('tr', { class: c.highlighted ? 'highlight' : '', dataset: { testid: 'cohort-row', cohort: c.cohort || '' } },
        el('td', {}, c.cohort || '(no cohort)'), el('td', { class: 'num' }, c.annotators), el('td', { class: 'num' }, f.tasks),
        el('td', { class: 'num' }, percent(f.flagRate)), el('td', { class: 'num' }, percent(f.goldF1)),
        el('td', { class: 'num' }, percent(f.agreement)), el('td', { class: 'num' }, percent(f.reworkRate)),
        el('td', {}, (c.departures || []).join('; ')));
    });
    return el('section', { class: 'standing-section', dataset: { testid: 'cohort-view' } },
      el('h2', {}, 'Cohorts'),
      table(['Cohort', 'Annotators', 'Tasks', 'Flag rate', 'Gold F1', 'Agreement', 'Rework', 'Departs from the rest'], rows, 'cohort-table'),
      el('h3', {}, 'Quality by week'),
      chartWithPicker(cohorts));
  }

  renderPayroll(payroll) {
    const currency = payroll.currency || 'USD';
    const rows = payroll.annotators.map((line) => el('tr', {},
      el('td', {}, line.name), el('td', {}, line.cohort || ''), el('td', { class: 'num' }, line.totals.tasks),
      el('td', { class: 'num' }, money(line.totals.acceptance, currency)), el('td', { class: 'num' }, money(line.totals.bonus, currency)),
      el('td', { class: 'num' }, money(line.totals.reversal, currency)), el('td', { class: 'num' }, money(line.totals.acceptance + line.totals.bonus + line.totals.reversal, currency)),
      el('td', { class: 'num' }, money(line.totals.paid, currency))));
    const cohortRows = payroll.cohorts.map((line) => el('tr', {},
      el('td', {}, line.cohort || '(no cohort)'), el('td', { class: 'num' }, line.annotators), el('td', { class: 'num' }, line.tasks),
      el('td', { class: 'num' }, money(line.net, currency)), el('td', { class: 'num' }, money(line.paid, currency))));
    return el('section', { class: 'standing-section', dataset: { testid: 'payroll-view' } },
      el('h2', {}, `Payroll ${payroll.from} to ${payroll.to}`),
      el('p', { dataset: { testid: 'payroll-total' } }, `Total ${money(payroll.total, currency)} · paid ${money(payroll.paid, currency)} · unpaid ${money(payroll.unpaid, currency)}`),
      table(['Annotator', 'Cohort', 'Tasks', 'Accepted', 'Bonus', 'Reversed', 'Net', 'Paid'], rows, 'payroll-table'),
      table(['Cohort', 'Annotators', 'Tasks', 'Net', 'Paid'], cohortRows, 'payroll-cohorts'));
  }

  renderStandings(standings) {
    const rows = standings.map((s) => el('tr', {},
      el('td', {}, s.name || `user ${s.userId}`), el('td', {}, s.cohort || ''),
      el('td', {}, el('span', { class: `badge state-${s.state}` }, s.state)), el('td', {}, s.reason)));
    return el('section', { class: 'standing-section' }, el('h2', {}, 'Annotators'),
      table(['Annotator', 'Cohort', 'State', 'Why'], rows, 'standings-table'));
  }

  describe() {
    const totals = this.own && this.own.earnings.totals[0];
    return {
      loaded: this.loaded,
      state: this.own ? this.own.page.standing.state : null,
      tasksThisWeek: this.own ? this.own.page.tasksThisWeek : null,
      approved: totals ? totals.approved : null,
      pending: totals ? totals.pending : null,
      cohorts: this.team ? this.team.cohorts.map((c) => c.cohort) : null,
      payrollTotal: this.team ? this.team.payroll.total : null,
      chartSeries: this.team ? this.root.querySelectorAll('[data-testid="chart-series"]').length : null,
    };
  }
}

function table(headers, rows, testid) {
  return el('table', { class: 'figures', dataset: { testid } },
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length, class: 'muted' }, 'Nothing yet.'))));
}

const METRICS = [['goldF1', 'Gold F1'], ['flagRate', 'Flag rate'], ['reworkRate', 'Rework rate'], ['agreement', 'Agreement']];

// A chart of one weekly figure per cohort, and a picker for which: gold F1 when any cohort has gold results.
function chartWithPicker(cohorts) {
  const has = (metric) => cohorts.some((c) => c.weeks.some((w) => w[metric] !== null && w[metric] !== undefined));
  const initial = (METRICS.find(([metric]) => has(metric)) || METRICS[0])[0];
  const box = el('div', { class: 'chart-holder' }, chart(cohorts, initial));
  const picker = el('select', { dataset: { testid: 'chart-metric' }, 'aria-label': 'Figure',
    onchange: (event) => box.replaceChildren(chart(cohorts, event.target.value)) },
    METRICS.map(([metric, name]) => el('option', { value: metric, selected: metric === initial }, name)));
  return el('div', {}, el('label', { class: 'field' }, el('span', {}, 'Figure'), picker), box);
}

// One weekly figure (0…1) per cohort, one line each, in SVG (no chart library to trust).
function chart(cohorts, metric) {
  const weeks = [...new Set(cohorts.flatMap((c) => c.weeks.map((w) => w.week)))].sort();
  const width = 560, height = 180, pad = 32;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.dataset.testid = 'cohort-chart';
  const x = (i) => pad + (weeks.length > 1 ? (i * (width - 2 * pad)) / (weeks.length - 1) : (width - 2 * pad) / 2);
  const y = (v) => height - pad - v * (height - 2 * pad);
  const svgEl = (tag, attributes) => {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    return node;
  };
  svg.append(svgEl('line', { x1: pad, y1: y(0), x2: width - pad, y2: y(0), class: 'axis' }),
    svgEl('line', { x1: pad, y1: y(1), x2: width - pad, y2: y(1), class: 'axis faint' }));
  cohorts.forEach((cohort, index) => {
    const points = cohort.weeks
      .map((w) => [weeks.indexOf(w.week), w[metric]])
      .filter(([, value]) => value !== null && value !== undefined);
    if (!points.length) return;
    const colour = CHART_COLOURS[index % CHART_COLOURS.length];
    const line = svgEl('polyline', { points: points.map(([i, v]) => `${x(i)},${y(v)}`).join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 });
    line.dataset.testid = 'chart-series';
    line.dataset.cohort = cohort.cohort || '';
    svg.append(line);
    for (const [i, v] of points) svg.append(svgEl('circle', { cx: x(i), cy: y(v), r: 3, fill: colour }));
  });
  const legend = el('ul', { class: 'legend' }, cohorts.map((c, i) =>
    el('li', {}, el('span', { class: 'swatch', style: { background: CHART_COLOURS[i % CHART_COLOURS.length] } }), c.cohort || '(no cohort)')));
  const labels = el('p', { class: 'muted' }, weeks.length ? `Weeks from ${weeks[0]} to ${weeks[weeks.length - 1]}; 0 to 100 %.` : 'No work handed in yet.');
  return el('div', { class: 'chart-box' }, svg, legend, labels);
}

function percent(value) {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)} %`;
}

// Minor units to the currency's own decimals (2 for USD, 0 for JPY), as the browser formats money.
function money(minor, currency) {
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${minor} ${currency} minor units`;
  }
}
