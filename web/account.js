// The account record the desktop shows when an account is opened from the book or a search.
import { el } from './dom.js';

function facts(pairs, t) {
  return el(
    'dl',
    { class: 'facts' },
    pairs.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? t.none)]),
  );
}

/** The economics, for key-account managers (the API sends them to no one else). */
function economics(a, ctx) {
  const { t, pct, cny } = ctx;
  const d = a.derived;
  return [
    el('h3', {}, t.economics),
    facts(
      [
        [t.matrix, `${t.tiers[d.tier]} · ${t.positions[d.position]} (${pct(a.economics.shareOfWallet)})`],
        [t.lifetimeValue, `${cny(d.lifetimeValue)} · ${d.highValue ? t.highValue : t.lowValue}`],
        [t.largeAccount, d.largeAccount ? t.onList : t.offList],
        [t.serviceMode, `${t.serviceModes[d.serviceMode]} · ${t.modeReasons[d.serviceModeReason]}`],
        a.strategic ? [t.strategic, a.strategic.reason] : null,
        d.serviceMode === 'dedicated' && !a.dedicatedTeam
          ? [t.team, el('span', { class: 'flag warn' }, t.noTeam)]
          : null,
        [t.costToServe, cny(d.costToServe)],
        [t.expectedRevenue, cny(d.expectedRevenue)],
        [t.expectedProfit, cny(d.expectedProfit)],
        [t.breakEven, d.breakEvenRevenue === null ? t.never : cny(d.breakEvenRevenue)],
        [t.targetRevenue, d.targetRevenue === null ? t.never : cny(d.targetRevenue)],
        d.serviceMode === 'dedicated'
          ? null
          : [t.dedicatedTarget, d.dedicatedTargetRevenue === null ? t.never : cny(d.dedicatedTargetRevenue)],
        d.largeAccount || d.largeAccountRevenue == null
          ? null
          : [t.largeAccountRevenue, cny(d.largeAccountRevenue)],
        [t.clv, cny(d.clv)],
        [t.colQuadrant, t.quadrants[d.reviewQuadrant]],
        [t.priorityScore, d.priorityScore],
        [t.routing, d.routingPriority],
      ].filter(Boolean),
      t,
    ),
  ];
}

/** What an agent or a team lead sees instead: how the account is served and routed. */
function service(a, ctx) {
  const { t } = ctx;
  const d = a.derived;
  return [
    el('h3', {}, t.serviceSide),
    facts(
      [
        [t.serviceMode, t.serviceModes[d.serviceMode]],
        [t.routing, d.routingPriority],
      ],
      t,
    ),
  ];
}

/** An account's record: profile, economics (managers only) and contacts. */
export function renderAccount(a, ctx) {
  const { t, tierBadge, pct, teamName } = ctx;
  const d = a.derived;
  return [
    el('h2', { id: 'detail-name', tabindex: '-1' }, a.name, ' ', tierBadge(d.tier)),
    a.nameEn ? el('p', { class: 'muted' }, a.nameEn) : null,
    el('h3', {}, t.profile),
    facts(
      [
        [t.colSegment, t.segments[a.segment]],
        [t.regions, a.regions.join('、')],
        [t.serviceGroup, teamName(a.serviceGroup)],
        [t.team, a.dedicatedTeam ? teamName(a.dedicatedTeam) : undefined],
        [t.accountManager, a.accountManager],
        [t.dedicatedRep, a.dedicatedRep],
        [t.onTime, pct(a.onTimeCommitment)],
        [t.version, a.version],
      ],
      t,
    ),
    a.tags.length
      ? el(
          'div',
          { class: 'tags' },
          a.tags.map((tag) => el('span', { class: 'flag' }, tag)),
        )
      : null,
    a.economics ? economics(a, ctx) : service(a, ctx),
    el('h3', {}, `${t.contacts} (${a.contacts.length})`),
    a.contacts.map((c) =>
      el(
        'div',
        { class: 'contact', 'data-contact': c.id },
        el('strong', {}, c.name),
        c.role ? ` · ${c.role}` : '',
        el('div', {}, c.phones.map((p) => p.e164).join(' / ') || t.none),
        c.email ? el('div', { class: 'muted' }, c.email) : null,
        el(
          'div',
          { class: 'flags' },
          el('span', { class: 'flag' }, `${t.lang}: ${t.langNames[c.language] ?? c.language}`),
          c.timeZone ? el('span', { class: 'flag' }, `${t.tz}: ${c.timeZone}`) : null,
          c.doNotCall ? el('span', { class: 'flag warn' }, t.dnc) : null,
          c.consent.calls ? null : el('span', { class: 'flag warn' }, t.noConsent),
        ),
      ),
    ),
  ];
}
