// The key-account cockpit: the portfolio and churn for key-account managers, the service analytics
// for team leads and managers. Every chart (Apache ECharts, loaded only when the cockpit opens)
// has its table and a CSV export. The API decides what each role may read; the tabs follow it.
import { churnFigures, portfolioFigures } from './charts.js';
import { el } from './dom.js';
import { serviceFigures } from './service-charts.js';

let echarts;
/** The charts on screen, by figure id (the browser tests read what each shows). */
const charts = new Map();
globalThis.keylineCharts = charts;

/**
 * A table's rows as CSV (RFC 4180 quoting), with a BOM so spreadsheet programs read the Chinese.
 * Text starting with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet does not run it as
 * a formula (OWASP CSV injection): an account name or a reason is typed by people.
 */
export function toCsv(columns, rows) {
  const cell = (v) => {
    const s =
      v === null || v === undefined
        ? ''
        : typeof v === 'string' && /^[=+\-@\t\r]/.test(v)
          ? `'${v}`
          : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${[columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function download(name, text) {
  const a = el('a', {
    href: URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' })),
    download: name,
  });
  document.body.append(a);
  a.click();
  a.remove();
}

function table(columns, rows) {
  return el(
    'table',
    { class: 'data' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { scope: 'col' }, c)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          {},
          r.map((v) => el('td', {}, v === null || v === undefined ? '' : String(v))),
        ),
      ),
    ),
  );
}

/** A figure: its title, its chart, its table (folded) and its CSV. */
function figure(f, t, onPick) {
  const box = el('div', { class: 'chart', id: `chart-${f.id}`, role: 'img', 'aria-label': f.title });
  const node = el(
    'figure',
    { class: 'figure', 'data-figure': f.id },
    el(
      'figcaption',
      {},
      el('h3', {}, f.title),
      el(
        'button',
        {
          type: 'button',
          class: 'csv',
          'data-csv': f.id,
          onclick: () => download(`${f.id}.csv`, toCsv(f.columns, f.rows)),
        },
        t.csv,
      ),
    ),
    box,
    el('details', { class: 'figure-table' }, el('summary', {}, t.showTable), table(f.columns, f.rows)),
  );
  queueMicrotask(() => {
    const chart = echarts.init(box, null, { renderer: 'canvas' });
    chart.setOption(f.option);
    if (onPick) chart.on('click', (e) => e.data?.id && onPick(e.data.id));
    charts.set(f.id, chart);
  });
  return node;
}

function section(title, ...children) {
  return el('section', { class: 'figure' }, el('h3', {}, title), ...children);
}

function movements(p, t, lang) {
  const c = t.col;
  const rows = p.movements.map((m) => {
    const a = p.accounts.find((x) => x.id === m.accountId);
    const label = (v) => ({ tier: t.tiers, quadrant: t.quadrants, risk: t.riskLevels })[m.kind]?.[v] ?? v;
    return [
      a && lang === 'en' ? (a.nameEn ?? a.name) : m.name,
      t.movementKinds[m.kind],
      label(m.from),
      label(m.to),
      m.why?.[lang] ?? '',
    ];
  });
  return section(
    t.chartTitles.movements,
    rows.length
      ? table([c.account, c.kind, c.from, c.to, c.why], rows)
      : el('p', { class: 'muted' }, t.noMovements),
  );
}

function backtest(p, t, lang) {
  const c = t.col;
  const b = p.backtest;
  const name = (id) => {
    const a = p.accounts.find((x) => x.id === id);
    return a ? (lang === 'en' ? (a.nameEn ?? a.name) : a.name) : id;
  };
  const shown = b.accounts.filter((a) => a.outcome !== 'quiet');
  return section(
    t.chartTitles.backtest,
    el('p', { id: 'backtest-line' }, t.backtestLine(b, b.leadWeeks)),
    table(
      [c.account, c.outcome, c.flagged, c.lost, c.lead],
      shown.map((a) => [
        name(a.accountId),
        t.outcomes[a.outcome],
        a.flaggedWeek ?? '',
        a.lostWeek ?? '',
        a.leadWeeks ?? '',
      ]),
    ),
  );
}

function lost(p, t, lang) {
  const c = t.col;
  const rows = p.accounts
    .filter((a) => a.status === 'lost')
    .map((a) => [lang === 'en' ? (a.nameEn ?? a.name) : a.name, a.statusSince ?? '', a.statusReason ?? '']);
  return section(
    t.chartTitles.lost,
    rows.length ? table([c.account, c.since, c.reason], rows) : el('p', { class: 'muted' }, t.noLost),
  );
}

/**
 * Opens the cockpit in `root` on `tab` (the first the role may see when it may not see that one).
 * `onPick` opens an account from a chart point, `onTab` another tab, `onClose` the desk again.
 */
export async function renderCockpit(root, ctx, tab, { onPick, onClose, onTab }) {
  const { t, lang, can } = ctx;
  const tabs = [...(can.portfolio ? ['portfolio', 'churn'] : []), ...(can.analytics ? ['service'] : [])];
  const current = tabs.includes(tab) ? tab : tabs[0];
  for (const c of charts.values()) c.dispose();
  charts.clear();
  root.replaceChildren(
    el(
      'header',
      { class: 'cockpit-head' },
      el('h2', { id: 'cockpit-title', tabindex: '-1' }, t.cockpitTitle),
      el(
        'div',
        { role: 'tablist', class: 'tabs' },
        tabs.map((k) =>
          el(
            'button',
            {
              type: 'button',
              role: 'tab',
              'data-tab': k,
              'aria-selected': String(k === current),
              onclick: () => onTab(k),
            },
            t.cockpitTabs[k],
          ),
        ),
      ),
      el('button', { type: 'button', id: 'cockpit-close', onclick: onClose }, t.backToDesk),
    ),
    el('p', { class: 'muted', id: 'cockpit-status', role: 'status' }, t.cockpitLoading),
  );
  echarts ??= await import('./vendor/echarts.esm.min.js');
  let body;
  if (current === 'service') {
    const s = await ctx.api('/cockpit/service?weeks=12');
    body = serviceFigures(s, t, lang).map((f) => figure(f, t));
  } else {
    const p = await ctx.api('/cockpit/portfolio');
    body =
      current === 'portfolio'
        ? [...portfolioFigures(p, t, lang).map((f) => figure(f, t, onPick)), movements(p, t, lang)]
        : [
            ...churnFigures(p, t, lang).map((f) => figure(f, t, onPick)),
            backtest(p, t, lang),
            lost(p, t, lang),
          ];
  }
  root
    .querySelector('#cockpit-status')
    .replaceWith(el('div', { class: 'figures', 'data-tab': current }, body));
  root.dataset.ready = current;
}
