// One in-transit shipment on the caller's card: lane, ETA, delay and what to do about it (the
// industry playbook's remedies and who must hear of it), the product line's order service
// priority, and the driver to call.
import { el, fmtTime as time } from './dom.js';

function delayText(s, { t }) {
  if (!s.delayed) return t.onSchedule;
  // A delay recorded while not (yet) late: its next milestone was due and nothing was scanned.
  if (s.delayReason === 'none') return t.reasonNoScan;
  const reason =
    s.delayReason === 'exception'
      ? `${t.reasonException}${s.exceptionReason ? `: ${t.exceptionReasons[s.exceptionReason] ?? s.exceptionReason}` : ''}`
      : s.delayReason === 'eta-beyond-promise'
        ? t.reasonEta
        : t.reasonOverdue;
  return `${t.late(s.minutesLate)} · ${reason}`;
}

const name = (line, lang) => (lang === 'en' ? (line.nameEn ?? line.name) : line.name);

/** The remedy picker of an open delay: the playbook's remedies, recorded on the delay. */
function remedyForm(s, ctx, delayAction) {
  const { t } = ctx;
  const id = `remedy-${s.waybill}`;
  return el(
    'form',
    {
      class: 'remedy',
      'data-remedy-form': s.waybill,
      onsubmit: (e) => {
        e.preventDefault();
        delayAction(s.waybill, 'remedy', { remedy: e.target.elements[id].value });
      },
    },
    el('label', { for: id, class: 'sr-only' }, t.remedy),
    el(
      'select',
      { id, name: id },
      s.playbook.remedies.map((r) => el('option', { value: r }, t.remedies[r])),
    ),
    el('button', { type: 'submit', class: 'link' }, t.recordRemedy),
  );
}

export function shipmentRow(s, ctx, delayAction) {
  const { t, lang } = ctx;
  const open = s.delayState && s.delayState !== 'cleared';
  return el(
    'tr',
    { class: s.delayed ? 'delayed' : '', 'data-waybill': s.waybill, 'data-delayed': String(s.delayed) },
    el(
      'td',
      {},
      s.waybill,
      s.temperatureRange ? el('span', { class: 'en' }, s.temperatureRange) : null,
      s.serviceLine
        ? el(
            'span',
            { class: 'en', 'data-service-rank': String(s.serviceLine.rank) },
            t.serviceLine(name(s.serviceLine, lang), s.serviceLine.rank),
          )
        : null,
    ),
    el(
      'td',
      {},
      `${s.origin} → ${s.destination}`,
      s.lastLocation ? el('span', { class: 'en' }, s.lastLocation) : null,
      s.driver
        ? el(
            'span',
            { class: 'en' },
            `${t.driver}: ${s.driver.name}`,
            s.driver.phone ? [' ', el('a', { href: `tel:${s.driver.phone}` }, s.driver.phone)] : null,
          )
        : null,
    ),
    el('td', {}, time(s.eta, lang)),
    el(
      'td',
      {},
      delayText(s, ctx),
      s.stockOutRisk
        ? [' ', el('span', { class: 'flag warn', 'data-stock-out': s.waybill }, t.stockOutRisk)]
        : null,
      s.delayState
        ? el(
            'span',
            { class: 'en', 'data-delay-state': s.delayState },
            t.delayStates[s.delayState] ?? s.delayState,
          )
        : null,
      s.remedy
        ? el(
            'span',
            { class: 'en', 'data-remedy': s.remedy.code },
            `${t.remedy}: ${t.remedies[s.remedy.code]}`,
          )
        : null,
      s.delayState === 'detected' || s.delayState === 'notified'
        ? el(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-ack': s.waybill,
              onclick: () => delayAction(s.waybill, 'acknowledge'),
            },
            t.acknowledgeDelay,
          )
        : null,
      open && s.playbook ? remedyForm(s, ctx, delayAction) : null,
      open && s.playbook
        ? el(
            'span',
            { class: 'en' },
            `${t.tell}: ${s.playbook.tell.map((a) => t.audiences[a]).join(t.listJoin)}`,
          )
        : null,
      open
        ? el(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-clear': s.waybill,
              onclick: () => delayAction(s.waybill, 'clear'),
            },
            t.clearDelay,
          )
        : null,
    ),
  );
}
