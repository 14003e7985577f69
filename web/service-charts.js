// The service analytics' figures (team leads and managers): calls, complaints, SLA, delivery,
// outreach. Each an Apache ECharts option with the same data as a table.
import { base, nameOf, pct } from './charts.js';

/** The team lead's service figures. */
export function serviceFigures(s, t, lang) {
  const c = t.col;
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const bar = (id, categories, values, axis, extra = {}) => ({
    ...base(t.chartTitles[id]),
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: categories, ...extra.x },
    yAxis: { type: 'value', minInterval: 1, name: axis },
    series: [{ type: 'bar', data: values, itemStyle: { color: '#2563eb' } }],
  });
  /** A bar per key of `counts`, labelled from `labels`, with the same table. */
  const counted = (id, counts, labels, axis, columns) => {
    const rows = Object.entries(counts).map(([k, v]) => [labels[k] ?? k, v]);
    return {
      id,
      title: t.chartTitles[id],
      option: bar(
        id,
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        axis,
      ),
      columns,
      rows,
    };
  };
  const cats = Object.keys(t.categories);
  const sevs = Object.keys(t.severities);
  const top = s.accounts.slice(0, 12);
  const heat = (id, key) => {
    const rows = s.accounts.filter((a) => a[key].some((v) => v !== null));
    const data = rows.flatMap((a, y) =>
      a[key].map((v, x) => (v === null ? null : [x, y, Math.round(v * 1000) / 10])).filter(Boolean),
    );
    return {
      id,
      title: t.chartTitles[id],
      option: {
        ...base(t.chartTitles[id]),
        grid: { left: 10, right: 20, top: 20, bottom: 70, containLabel: true },
        tooltip: { position: 'top' },
        xAxis: { type: 'category', data: s.weeks },
        yAxis: { type: 'category', data: rows.map((a) => nameOf(a, lang)) },
        visualMap: {
          min: 80,
          max: 100,
          calculable: true,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          inRange: { color: ['#b91c1c', '#fde68a', '#15803d'] },
        },
        series: [{ type: 'heatmap', data, label: { show: false } }],
      },
      columns: [c.account, ...s.weeks],
      rows: rows.map((a) => [nameOf(a, lang), ...a[key].map(pct)]),
    };
  };
  return [
    {
      id: 'callsByHour',
      title: t.chartTitles.callsByHour,
      option: bar(
        'callsByHour',
        hours,
        hours.map((h) => s.callsByHour[h] ?? 0),
        t.axis.calls,
      ),
      columns: [c.hour, c.calls],
      rows: hours.map((h) => [h, s.callsByHour[h] ?? 0]),
    },
    counted('callsByReason', s.callsByReason, t.callReasons, t.axis.calls, [c.reason, c.calls]),
    {
      id: 'callsByRegion',
      title: t.chartTitles.callsByRegion,
      option: bar(
        'callsByRegion',
        s.callsByRegion.map((r) => (lang === 'en' ? r.en : r.zh)),
        s.callsByRegion.map((r) => r.calls),
        t.axis.calls,
        {
          x: { axisLabel: { interval: 0, rotate: 30 } },
        },
      ),
      columns: [c.region, c.calls],
      rows: s.callsByRegion.map((r) => [lang === 'en' ? r.en : r.zh, r.calls]),
    },
    {
      id: 'callsByAccount',
      title: t.chartTitles.callsByAccount,
      option: bar(
        'callsByAccount',
        top.map((a) => nameOf(a, lang)),
        top.map((a) => a.calls),
        t.axis.calls,
        {
          x: { axisLabel: { interval: 0, rotate: 30 } },
        },
      ),
      columns: [c.account, c.tier, c.calls, c.complaints],
      rows: s.accounts.map((a) => [nameOf(a, lang), t.tiers[a.tier], a.calls, a.complaints]),
    },
    {
      id: 'complaints',
      title: t.chartTitles.complaints,
      option: {
        ...base(t.chartTitles.complaints),
        tooltip: { trigger: 'axis' },
        legend: { data: cats.map((k) => t.categories[k]), top: 0 },
        xAxis: { type: 'category', data: s.weeks },
        yAxis: { type: 'value', minInterval: 1 },
        series: cats.map((k) => ({
          type: 'bar',
          stack: 'all',
          name: t.categories[k],
          data: s.perWeek.map((w) => w.complaintsByCategory[k] ?? 0),
        })),
      },
      columns: [c.week, ...cats.map((k) => t.categories[k])],
      rows: s.perWeek.map((w) => [w.week, ...cats.map((k) => w.complaintsByCategory[k] ?? 0)]),
    },
    {
      id: 'severity',
      title: t.chartTitles.severity,
      option: bar(
        'severity',
        sevs.map((k) => t.severities[k]),
        sevs.map((k) => s.perWeek.reduce((n, w) => n + (w.complaintsBySeverity[k] ?? 0), 0)),
        t.col.complaints,
      ),
      columns: [c.severity, c.count],
      rows: sevs.map((k) => [
        t.severities[k],
        s.perWeek.reduce((n, w) => n + (w.complaintsBySeverity[k] ?? 0), 0),
      ]),
    },
    {
      id: 'sla',
      title: t.chartTitles.sla,
      option: {
        ...bar(
          'sla',
          s.slaByTier.map((x) => t.tiers[x.tier]),
          s.slaByTier.map((x) => (x.rate === null ? null : Math.round(x.rate * 1000) / 10)),
          '%',
        ),
        yAxis: { type: 'value', min: 0, max: 100, name: '%' },
      },
      columns: [c.tier, c.resolved, c.inSla, c.rate],
      rows: s.slaByTier.map((x) => [t.tiers[x.tier], x.resolved, x.inSla, pct(x.rate)]),
    },
    heat('onTime', 'onTime'),
    heat('perfect', 'perfectOrder'),
    {
      id: 'outreach',
      title: t.chartTitles.outreach,
      option: {
        ...base(t.chartTitles.outreach),
        tooltip: { trigger: 'axis' },
        legend: { data: [c.alerts, c.dialed, c.reached], top: 0 },
        xAxis: { type: 'category', data: s.weeks },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'line', name: c.alerts, data: s.perWeek.map((w) => w.alerts) },
          { type: 'line', name: c.dialed, data: s.perWeek.map((w) => w.outboundDialed) },
          { type: 'line', name: c.reached, data: s.perWeek.map((w) => w.outboundReached) },
        ],
      },
      columns: [c.week, c.alerts, c.dialed, c.reached],
      rows: s.perWeek.map((w) => [w.week, w.alerts, w.outboundDialed, w.outboundReached]),
    },
    counted('outboundByReason', s.outboundByReason, t.campaignTypes, t.col.dialed, [c.reason, c.dialed]),
    counted('callbacks', s.callbackOutcomes, t.dispositions, t.col.count, [c.disposition, c.count]),
  ];
}
