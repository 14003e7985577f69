// The screen-pop card (known caller) and the unknown-caller card.

import { callBanner } from './call-banner.js';
import { dispositionForm } from './campaigns.js';
import { complaintDraft, complaintForm, complaintLine } from './complaints.js';
import { el, fmtTime as time } from './dom.js';
import { shipmentRow } from './shipment-row.js';

function counter(id, label, value, warn) {
  return el(
    'div',
    { class: `counter${warn ? ' warn' : ''}`, id },
    el('span', { class: 'value' }, value),
    el('span', { class: 'label' }, label),
  );
}

export function renderCallerCard(card, call, ctx) {
  const { t, lang, tierBadge, pct } = ctx;
  // A delay action that fails says so under the shipments; one that succeeds re-reads the card.
  const delayAlert = el('p', { class: 'error', role: 'alert', id: 'delay-alert', hidden: true });
  const delayAction = async (waybill, action, extra = {}) => {
    // The card is re-read only if no other call or view was asked for during the request.
    const latest = ctx.takeTicket();
    try {
      await ctx.api(`/shipments/${waybill}/delay`, {
        method: 'POST',
        body: JSON.stringify({ action, ...extra }),
      });
    } catch (err) {
      delayAlert.textContent = err.message;
      delayAlert.hidden = false;
      return;
    }
    ctx.popCard({ ...call, quiet: true }, latest);
  };
  const draft = complaintDraft(card, call);
  // The delayed counter counts the lines shown as delayed: one rule (the line's), never two.
  const delayed = card.shipments.filter((s) => s.delayed).length;
  const a = card.account;
  const c = card.contact;
  const k = card.kpis;
  return [
    callBanner(
      call,
      t,
      call.popMs !== undefined ? el('span', { class: 'muted', id: 'pop-time' }, t.popIn(call.popMs)) : null,
    ),
    el('h2', { id: 'card-name', tabindex: '-1' }, a.name, ' ', tierBadge(a.derived.tier)),
    a.nameEn ? el('p', { class: 'muted' }, a.nameEn) : null,
    churnNote(card.churn, ctx),
    call.attributes?.callbackId
      ? dispositionForm(call.attributes.callbackId, ctx, call.attributes.reason)
      : null,
    card.lookupStatus === 'ambiguous' ? ambiguityNote(card, call, ctx) : null,
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, t.team),
      el(
        'dd',
        { id: 'card-team' },
        ctx.teamName(card.routingQueue),
        a.dedicatedRep ? ` · ${a.dedicatedRep}` : '',
      ),
      el('dt', {}, t.contact),
      el('dd', { id: 'card-contact' }, c ? `${c.name}${c.role ? ` · ${c.role}` : ''}` : t.none),
      el('dt', {}, t.language),
      el('dd', { id: 'card-language' }, t.langNames[c?.language ?? call.attributes?.language] ?? t.none),
      el('dt', {}, t.colSegment),
      el('dd', {}, t.segments[a.segment]),
    ),
    el(
      'div',
      { class: 'counters' },
      counter(
        'card-open-complaints',
        t.openComplaints,
        card.openComplaints.count,
        card.openComplaints.count > 0,
      ),
      counter('card-delayed', t.delayedShipments, delayed, delayed > 0),
      counter('card-in-transit', t.inTransit, card.stats?.inTransitShipments ?? 0, false),
    ),
    el('h3', {}, t.actions),
    el(
      'ul',
      { class: 'actions', id: 'card-actions' },
      card.actions.length
        ? card.actions.map((x) =>
            el('li', { class: `urgency-${x.urgency}`, 'data-action': x.code }, lang === 'en' ? x.en : x.zh),
          )
        : el('li', { class: 'muted' }, t.none),
    ),
    el('h3', {}, t.openComplaintsTitle),
    call.filed
      ? el('p', { class: 'muted', role: 'status', id: 'card-filed' }, t.complaintFiled(call.filed))
      : null,
    card.openComplaints.items.length
      ? el(
          'ul',
          { class: 'complaints', id: 'card-complaints' },
          card.openComplaints.items.map((x) => complaintLine(x, ctx, ctx.openComplaint)),
        )
      : el('p', { class: 'muted' }, t.none),
    el(
      'details',
      {
        class: 'complaint-box',
        id: 'complaint-box',
        open: draft.open,
        ontoggle: (e) => {
          draft.open = e.target.open;
        },
      },
      el('summary', { id: 'new-complaint' }, t.newComplaint),
      // The card is read again with the new complaint; the call does not ring or announce again.
      complaintForm(card, call, ctx, (created, latest) =>
        ctx.popCard({ ...call, quiet: true, filed: created.reference }, latest),
      ),
    ),
    el('h3', {}, t.shipments),
    delayAlert,
    card.shipments.length
      ? el(
          'table',
          { class: 'shipments', id: 'card-shipments' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', {}, t.waybill),
              el('th', {}, t.lane),
              el('th', {}, t.eta),
              el('th', {}, t.delay),
            ),
          ),
          el(
            'tbody',
            {},
            card.shipments.map((s) => shipmentRow(s, ctx, delayAction)),
          ),
        )
      : el('p', { class: 'muted' }, t.noShipments),
    el('h3', {}, t.kpis),
    el(
      'dl',
      { class: 'facts', id: 'card-kpis' },
      el('dt', {}, t.onTimeRate),
      el(
        'dd',
        {},
        k?.onTimeRate == null ? t.none : `${pct(k.onTimeRate)} (${t.commitment} ${pct(a.onTimeCommitment)})`,
      ),
      el('dt', {}, t.perfectOrder),
      el(
        'dd',
        { id: 'card-perfect-order' },
        k?.perfectOrderRate == null ? t.none : pct(k.perfectOrderRate),
        k?.perfectOrderRate == null
          ? null
          : el(
              'div',
              { class: 'muted' },
              t.perfectOrderParts(
                pct(k.fillRate),
                pct(k.undamagedRate),
                pct(k.rightDestinationRate),
                pct(k.paperworkRate),
              ),
            ),
      ),
    ),
    card.serviceMetrics ? el('h3', {}, t.metricsTitle) : null,
    card.serviceMetrics
      ? el(
          'dl',
          { class: 'facts', id: 'card-service-metrics' },
          el('dt', {}, t.complaintRate),
          el('dd', {}, card.serviceMetrics.complaintRatePer1000 ?? t.none),
          el('dt', {}, t.slaCompliance),
          el(
            'dd',
            {},
            card.serviceMetrics.slaCompliance == null ? t.none : pct(card.serviceMetrics.slaCompliance),
          ),
          el('dt', {}, t.mtta),
          el(
            'dd',
            {},
            card.serviceMetrics.meanMinutesToAcknowledge == null
              ? t.none
              : t.minutes(card.serviceMetrics.meanMinutesToAcknowledge),
          ),
          el('dt', {}, t.mttr),
          el(
            'dd',
            {},
            card.serviceMetrics.meanMinutesToResolve == null
              ? t.none
              : t.minutes(card.serviceMetrics.meanMinutesToResolve),
          ),
          el('dt', {}, t.reopenRate),
          el('dd', {}, card.serviceMetrics.reopenRate == null ? t.none : pct(card.serviceMetrics.reopenRate)),
          el('dt', {}, t.fcr),
          el(
            'dd',
            {},
            card.serviceMetrics.firstContactResolution == null
              ? t.none
              : pct(card.serviceMetrics.firstContactResolution),
          ),
        )
      : null,
    el('h3', {}, t.alertsTitle),
    ...alertLines(card.notifications ?? [], t, lang),
    el('h3', {}, t.history),
    card.recentCalls.length
      ? el(
          'ul',
          { class: 'history', id: 'card-history' },
          card.recentCalls.map((h) =>
            el(
              'li',
              { 'data-direction': h.direction, ...(h.outcome ? { 'data-outcome': h.outcome } : {}) },
              time(h.at, lang),
              ' · ',
              h.contactName ?? t.none,
              ' · ',
              h.direction === 'outbound' ? t.outbound : t.inbound,
              h.reason ? ` · ${t.campaignTypes[h.reason] ?? h.reason}` : '',
              h.outcome === 'skipped'
                ? ` · ${t.notDialed(t.skipReasons[h.skipReason] ?? h.skipReason ?? '')}`
                : h.result
                  ? ` · ${t.callResults[h.result] ?? h.result}`
                  : '',
            ),
          ),
        )
      : el('p', { class: 'muted' }, t.noCalls),
  ];
}

/**
 * The card's alert log: the newest ten alerts that reached someone or did not, with the shipments
 * folded into a digest counted on one line rather than crowding out the digest itself, and the
 * latest day's daily reports beside them (each day's would otherwise push the alerts out).
 */
export function alertLines(notifications, t, lang) {
  if (!notifications.length) return [el('p', { class: 'muted' }, t.none)];
  const folded = notifications.filter((n) => n.status === 'in-digest').length;
  const reports = notifications.filter((n) => n.kind === 'daily-report');
  const lastDay = reports[0]?.at.slice(0, 10);
  const shown = [
    ...notifications.filter((n) => n.status !== 'in-digest' && n.kind !== 'daily-report').slice(0, 10),
    ...reports.filter((n) => n.at.slice(0, 10) === lastDay),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return [
    shown.length
      ? el(
          'ul',
          { class: 'history', id: 'card-notifications' },
          shown.map((n) =>
            el(
              'li',
              { 'data-status': n.status },
              time(n.at, lang),
              ' · ',
              t.channels[n.channel] ?? n.channel,
              ' · ',
              n.contactName,
              ' · ',
              n.kind === 'daily-report' ? t.dailyReport : n.waybill,
              ' · ',
              t.notificationStatuses[n.status] ?? n.status,
            ),
          ),
        )
      : null,
    folded ? el('p', { class: 'muted', id: 'card-folded' }, t.foldedIntoDigest(folded)) : null,
  ].filter(Boolean);
}

/**
 * Whom else the calling number names: another account's contact is a button that switches the
 * card to that account; another contact of this account (a switchboard) is a name to ask for.
 */
function ambiguityNote(card, call, ctx) {
  const { t } = ctx;
  const others = card.otherMatches;
  const ownOnly = others.every((m) => m.accountId === card.account.id);
  return el(
    'div',
    { class: 'ambiguous', id: 'card-ambiguous', role: 'note' },
    el('strong', {}, ownOnly ? t.ambiguousContacts : t.ambiguous),
    el(
      'div',
      {},
      others.map((m) =>
        m.accountId === card.account.id
          ? el('span', { class: 'shared-contact', 'data-contact': m.contactId }, m.contactName)
          : el(
              'button',
              {
                type: 'button',
                class: 'link',
                onclick: () =>
                  ctx.popCard({
                    ...call,
                    attributes: {
                      ...call.attributes,
                      known: 'true',
                      accountId: m.accountId,
                      accountName: m.accountName,
                    },
                  }),
              },
              `${t.switchTo} ${m.accountName}`,
            ),
      ),
    ),
  );
}

/** Today's churn risk, when it is not low, with its reasons in the agent's language. */
function churnNote(churn, ctx) {
  if (!churn || churn.level === 'low') return null;
  const { t, lang } = ctx;
  return el(
    'div',
    { class: `churn churn-${churn.level}`, id: 'card-churn', role: 'note', 'data-level': churn.level },
    el('strong', {}, t.churnRisk(t.riskLevels[churn.level], churn.score)),
    el(
      'ul',
      {},
      churn.reasons.map((r) => el('li', { 'data-signal': r.signal }, r.text[lang] ?? r.text.en)),
    ),
  );
}
