// The caller journal: the last day's inbound calls, missed and abandoned ones not yet called back
// first, each with a one-click callback; a call's name opens its account (or searches its number).
import { $, el, fmtTime } from './dom.js';
import { offlineNote } from './live.js';

/** Draws the journal panel from the desk feed's calls; a booking in flight keeps its button's state. */
export function renderJournal(ctx, state, items = []) {
  const panel = $('journal-panel');
  if (!panel) return;
  const { t } = ctx;
  const waiting = items.filter((c) => c.needsCallback).length;
  // Keyboard focus survives the redraw: the focused row's button is focused again after it.
  const focused = document.activeElement?.closest?.('[data-call]')?.dataset.call;
  panel.replaceChildren(
    el('h2', { id: 'journal-title' }, t.journalTitle),
    ...[offlineNote(state, t, ctx.lang)].filter(Boolean),
    el('p', { class: 'muted', id: 'journal-count' }, t.journalCount(items.length, waiting)),
    items.length
      ? el(
          'ul',
          { class: 'journal', id: 'journal-list', 'aria-labelledby': 'journal-title' },
          items.map((c) => line(c, ctx, state)),
        )
      : el('p', { class: 'muted' }, t.journalEmpty),
  );
  if (focused) panel.querySelector(`[data-call="${CSS.escape(focused)}"] button`)?.focus();
}

function who(c, t) {
  if (c.accountName) return `${c.accountName} · ${c.contactName ?? ''}`.replace(/ · $/, '');
  return c.e164 ?? t.withheldCaller;
}

function line(c, ctx, state) {
  const { t } = ctx;
  const open = () => {
    if (c.accountId) ctx.selectAccount(c.accountId);
    else if (c.e164) ctx.findText(c.e164);
  };
  const booking = state.journalBooking?.[c.contactId];
  return el(
    'li',
    {
      'data-call': c.contactId,
      'data-outcome': c.outcome,
      class: c.needsCallback ? 'needs-callback' : '',
    },
    el('span', { class: `outcome outcome-${c.outcome}` }, t.callOutcomes[c.outcome] ?? c.outcome),
    ' ',
    el('time', { datetime: c.at }, fmtTime(c.at, ctx.lang)),
    ' ',
    c.accountId || c.e164
      ? el('button', { type: 'button', class: 'link', onclick: open }, who(c, t))
      : el('span', {}, who(c, t)),
    c.tier ? [' ', ctx.tierBadge(c.tier)] : null,
    c.calledAgain ? el('span', { class: 'muted' }, ` · ${t.calledAgain}`) : null,
    c.callbackId ? el('span', { class: 'muted' }, ` · ${t.journalCallbackBooked}`) : null,
    // A number not in the book cannot be booked: its link searches it (attach it from the card).
    c.needsCallback && !c.accountId && c.e164
      ? el('span', { class: 'muted' }, ` · ${t.journalFindFirst}`)
      : null,
    c.needsCallback && c.e164 && c.accountId
      ? [
          ' ',
          el(
            'button',
            {
              type: 'button',
              class: 'book-callback',
              disabled: booking === 'busy',
              'aria-label': `${t.bookCallback}: ${who(c, t)}`,
              onclick: () => book(c, ctx, state),
            },
            booking === 'busy' ? t.booking : t.bookCallback,
          ),
        ]
      : null,
    state.journalErrors?.[c.contactId]
      ? el('p', { class: 'error', role: 'alert' }, refusal(state.journalErrors[c.contactId], t))
      : null,
  );
}

async function book(c, ctx, state) {
  state.journalBooking = { ...state.journalBooking, [c.contactId]: 'busy' };
  state.journalErrors = { ...state.journalErrors, [c.contactId]: undefined };
  renderJournal(ctx, state, state.desk?.calls);
  try {
    const r = await ctx.api(`/calls/${encodeURIComponent(c.contactId)}/callback`, { method: 'POST' });
    ctx.announce(ctx.t.callbackBookedFor(who(c, ctx.t), fmtTime(r.callback.dueAt, ctx.lang)));
    await Promise.all([ctx.refreshCampaigns(), ctx.refreshCalls()]);
  } catch (err) {
    // Kept as the server said it, worded at each redraw in the agent's language of the moment.
    state.journalErrors[c.contactId] = { reason: err.body?.reason, message: err.message };
  } finally {
    delete state.journalBooking[c.contactId];
    renderJournal(ctx, state, state.desk?.calls);
  }
}

function refusal(err, t) {
  return t.journalRefused[err.reason] ?? t.failed + err.message;
}
