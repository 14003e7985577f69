// The cockpit's figures: for each, an Apache ECharts option and the same data as a table (and
// so as CSV). Pure: data and words in, { id, title, option, columns, rows } out.

const TIER_COLORS = {
  key: '#b91c1c',
  'high-growth': '#b45309',
  loyal: '#15803d',
  'low-potential': '#64748b',
};
const LEVEL_COLORS = { high: '#b91c1c', medium: '#d97706', low: '#16a34a' };
const QUADRANT_COLORS = {
  grow: '#15803d',
  cultivate: '#2563eb',
  milk: '#a16207',
  deprioritize: '#64748b',
  remove: '#b91c1c',
};

export const nameOf = (a, lang) => (lang === 'en' ? (a.nameEn ?? a.name) : a.name);
export const pct = (n) => (n === null || n === undefined ? '' : `${Math.round(n * 1000) / 10}%`);
const round = (n) => Math.round(n);
const line = (name, axis, value) => ({
  name,
  [axis]: value,
  label: { formatter: name, position: 'insideEndTop' },
});
/** Dashed threshold lines. */
const marks = (data) => ({
  silent: true,
  symbol: 'none',
  lineStyle: { type: 'dashed', color: '#475569' },
  data,
});
export const base = (title) => ({
  animation: false,
  tooltip: { trigger: 'item' },
  grid: { left: 70, right: 30, top: 40, bottom: 50, containLabel: true },
  title: { show: false, text: title },
});

/** The manager's portfolio figures. */
export function portfolioFigures(p, t, lang) {
  const c = t.col;
  const active = p.accounts.filter((a) => a.status === 'active');
  const tiers = Object.keys(t.tiers);
  const matrix = {
    id: 'matrix',
    title: t.chartTitles.matrix,
    option: {
      ...base(t.chartTitles.matrix),
      legend: { data: tiers.map((x) => t.tiers[x]), top: 0 },
      xAxis: { type: 'log', name: t.axis.value, nameLocation: 'middle', nameGap: 30 },
      yAxis: {
        type: 'value',
        name: t.axis.position,
        min: 0,
        max: 1,
        axisLabel: { formatter: (v) => pct(v) },
      },
      series: tiers.map((tier, i) => ({
        type: 'scatter',
        name: t.tiers[tier],
        itemStyle: { color: TIER_COLORS[tier] },
        symbolSize: (d) => Math.max(8, Math.sqrt(d[2] / 1_000_000) * 6),
        data: active
          .filter((a) => a.tier === tier)
          .map((a) => ({
            value: [a.lifetimeValue, a.shareOfWallet, a.expectedRevenue],
            id: a.id,
            name: nameOf(a, lang),
          })),
        ...(i === 0
          ? {
              markLine: marks([
                line(t.thresholds.highValue, 'xAxis', p.thresholds.highValue),
                line(t.thresholds.strong, 'yAxis', p.thresholds.strongPosition),
                line(t.thresholds.small, 'yAxis', p.thresholds.smallPosition),
              ]),
            }
          : {}),
      })),
    },
    columns: [c.account, c.tier, c.value, c.share, c.revenue],
    rows: active.map((a) => [
      nameOf(a, lang),
      t.tiers[a.tier],
      round(a.lifetimeValue),
      pct(a.shareOfWallet),
      round(a.expectedRevenue),
    ]),
  };
  const quadrants = Object.keys(t.quadrants);
  const monitoring = {
    id: 'monitoring',
    title: t.chartTitles.monitoring,
    option: {
      ...base(t.chartTitles.monitoring),
      legend: { data: quadrants.map((q) => t.quadrants[q]), top: 0 },
      xAxis: { type: 'value', name: t.axis.currentMargin, nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', name: t.axis.potentialMargin },
      series: quadrants.map((q, i) => ({
        type: 'scatter',
        name: t.quadrants[q],
        itemStyle: { color: QUADRANT_COLORS[q] },
        symbol: q === 'remove' ? 'triangle' : 'circle',
        symbolSize: q === 'remove' ? 18 : 12,
        label:
          q === 'remove'
            ? { show: true, position: 'right', formatter: (d) => `${d.name} · ${t.removeCandidate}` }
            : { show: false },
        data: active
          .filter((a) => a.quadrant === q)
          .map((a) => ({ value: [a.currentMargin, a.potentialMargin], id: a.id, name: nameOf(a, lang) })),
        ...(i === 0
          ? {
              markLine: marks([
                { xAxis: p.thresholds.highCurrentMargin },
                { yAxis: p.thresholds.highPotentialMargin },
              ]),
            }
          : {}),
      })),
    },
    columns: [c.account, c.quadrant, c.currentMargin, c.potentialMargin],
    rows: active.map((a) => [
      nameOf(a, lang),
      t.quadrants[a.quadrant],
      round(a.currentMargin),
      round(a.potentialMargin),
    ]),
  };
  const ranked = (key) => [...active].sort((x, y) => x[key] - y[key]);
  const bars = (id, key, axis, extra, more) => {
    const list = ranked(key);
    return {
      id,
      title: t.chartTitles[id],
      option: {
        ...base(t.chartTitles[id]),
        grid: { left: 10, right: 40, top: 20, bottom: 30, containLabel: true },
        xAxis: { type: 'value', name: t.axis[axis] },
        yAxis: { type: 'category', data: list.map((a) => nameOf(a, lang)) },
        series: [
          {
            type: 'bar',
            data: list.map((a) => ({
              value: round(a[key]),
              id: a.id,
              itemStyle: { color: TIER_COLORS[a.tier] },
            })),
            ...extra,
          },
        ],
      },
      columns: [c.account, c.tier, ...more.map(([column]) => column)],
      rows: [...list]
        .reverse()
        .map((a) => [nameOf(a, lang), t.tiers[a.tier], ...more.map(([, k]) => round(a[k]))]),
    };
  };
  // The profit target is measured on the profit with a dedicated team (the large-account list),
  // whatever team serves the account now: that is what is drawn against the line; the profit in
  // the mode in force is in the table beside it.
  const profit = bars(
    'profit',
    'dedicatedProfit',
    'dedicatedProfit',
    { markLine: marks([line(t.thresholds.target, 'xAxis', p.thresholds.profitTarget)]) },
    [
      [c.dedicatedProfit, 'dedicatedProfit'],
      [c.profit, 'expectedProfit'],
    ],
  );
  const clv = bars('clv', 'clv', 'clv', {}, [[c.clv, 'clv']]);
  return [matrix, monitoring, profit, clv];
}

/** The churn figures: risk now, its trend. */
export function churnFigures(p, t, lang) {
  const c = t.col;
  const scored = p.accounts
    .filter((a) => a.status === 'active' && a.churn)
    .sort((x, y) => x.churn.score - y.churn.score);
  const risk = {
    id: 'risk',
    title: t.chartTitles.risk,
    option: {
      ...base(t.chartTitles.risk),
      grid: { left: 10, right: 40, top: 20, bottom: 30, containLabel: true },
      xAxis: { type: 'value', name: t.axis.score, min: 0, max: 100 },
      yAxis: { type: 'category', data: scored.map((a) => nameOf(a, lang)) },
      series: [
        {
          type: 'bar',
          data: scored.map((a) => ({
            value: a.churn.score,
            id: a.id,
            itemStyle: { color: LEVEL_COLORS[a.churn.level] },
          })),
          markLine: marks([{ xAxis: p.thresholds.riskMedium }, { xAxis: p.thresholds.riskHigh }]),
        },
      ],
    },
    columns: [c.account, c.score, c.level, c.reasons],
    rows: [...scored]
      .reverse()
      .map((a) => [
        nameOf(a, lang),
        a.churn.score,
        t.riskLevels[a.churn.level],
        a.churn.reasons.map((r) => r.text[lang] ?? r.text.en).join('; '),
      ]),
  };
  const trend = {
    id: 'riskTrend',
    title: t.chartTitles.riskTrend,
    option: {
      ...base(t.chartTitles.riskTrend),
      tooltip: { trigger: 'axis' },
      legend: { data: [c.high, c.medium], top: 0 },
      xAxis: { type: 'category', data: p.riskTrend.map((w) => w.week) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'line',
          name: c.high,
          data: p.riskTrend.map((w) => w.high),
          itemStyle: { color: LEVEL_COLORS.high },
        },
        {
          type: 'line',
          name: c.medium,
          data: p.riskTrend.map((w) => w.medium),
          itemStyle: { color: LEVEL_COLORS.medium },
        },
      ],
    },
    columns: [c.week, c.high, c.medium],
    rows: p.riskTrend.map((w) => [w.week, w.high, w.medium]),
  };
  return [risk, trend];
}
