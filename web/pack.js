// The quarterly project review pack (季度项目复盘) of a key account: a page to go through with the
// client, printable (the browser saves it as PDF).
import { el, fmtTime } from './dom.js';

const counts = (m, names) =>
  Object.entries(m)
    .map(([k, n]) => `${names[k] ?? k} ${n}`)
    .join(' · ');

export function renderPack(pack, account, ctx) {
  const { t, pct, lang } = ctx;
  const k = pack.kpis;
  const rate = (r) => (r == null ? t.none : pct(r));
  return [
    el('h2', { id: 'pack-title', tabindex: '-1' }, t.packTitle(account.name, pack.quarter)),
    el(
      'div',
      { class: 'actions no-print' },
      el('button', { type: 'button', id: 'pack-print', onclick: () => window.print() }, t.printPack),
      el(
        'button',
        { type: 'button', class: 'link', onclick: () => ctx.selectAccount(account.id) },
        t.backToAccount,
      ),
    ),
    el('h3', {}, t.packKpis),
    el(
      'dl',
      { class: 'facts', id: 'pack-kpis' },
      el('dt', {}, t.onTimeRate),
      el('dd', {}, `${rate(k.onTimeRate)} (${t.commitment} ${pct(pack.onTimeCommitment)})`),
      el('dt', {}, t.perfectOrder),
      el(
        'dd',
        {},
        rate(k.perfectOrderRate),
        ' · ',
        t.perfectOrderParts(
          rate(k.fillRate),
          rate(k.undamagedRate),
          rate(k.rightDestinationRate),
          rate(k.paperworkRate),
        ),
      ),
      el('dt', {}, t.packDelivered),
      el('dd', {}, String(k.delivered)),
    ),
    el('h3', {}, t.packComplaints),
    el(
      'dl',
      { class: 'facts', id: 'pack-complaints' },
      el('dt', {}, t.packTotal),
      el('dd', {}, String(pack.complaints.total)),
      el('dt', {}, t.category),
      el('dd', {}, counts(pack.complaints.byCategory, t.categories) || t.none),
      el('dt', {}, t.packSeverity),
      el('dd', {}, counts(pack.complaints.bySeverity, t.severities) || t.none),
      el('dt', {}, t.packSlaMissed),
      el('dd', {}, String(pack.complaints.slaMissed)),
    ),
    el('h3', {}, t.packOpenIssues),
    pack.openIssues.length
      ? el(
          'table',
          { id: 'pack-issues' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              [t.packIssue, t.packWhat, t.packSeverity, t.packDue].map((h) => el('th', {}, h)),
            ),
          ),
          el(
            'tbody',
            {},
            pack.openIssues.map((i) =>
              el(
                'tr',
                {},
                el('td', {}, `${t.packKinds[i.kind]} ${i.ref}`),
                el(
                  'td',
                  {},
                  t.categories[i.what] ?? t.exceptionReasons?.[i.what] ?? i.what,
                  i.remedy ? ` · ${t.remedies[i.remedy]}` : '',
                ),
                el('td', {}, t.severities[i.severity] ?? i.severity),
                el('td', {}, fmtTime(i.dueAt, lang)),
              ),
            ),
          ),
        )
      : el('p', { class: 'muted' }, t.none),
    el('h3', {}, t.followUps),
    el(
      'p',
      { id: 'pack-satisfaction' },
      pack.satisfaction.average == null
        ? t.noFollowUps
        : `${t.satisfaction} ${pack.satisfaction.average} (${pack.satisfaction.scores.length}) · ${t.trends[pack.satisfaction.trend]}`,
    ),
  ];
}
