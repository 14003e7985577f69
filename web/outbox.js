// The local stack's outbox: the SMS and e-mails the simulated senders sent (local mode only).
import { $, el } from './dom.js';

/** The local SMS / e-mail outbox panel: the newest eight, or all the server keeps on request. */
export function renderOutbox(state, t) {
  const o = state.desk?.outbox;
  if (state.config.mode !== 'local' || !$('outbox') || !o) return;
  const items = [
    ...o.sms.map((m) => ({ ...m, kind: 'sms', what: m.text })),
    ...o.email.map((m) => ({ ...m, kind: 'email', what: m.subject })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const total = (o.totals?.sms ?? o.sms.length) + (o.totals?.email ?? o.email.length);
  const shown = state.outboxAll ? items : items.slice(0, 8);
  $('outbox').replaceChildren(
    ...(items.length
      ? [
          el('h3', {}, t().outboxTitle),
          el(
            'p',
            { class: 'muted', id: 'outbox-count' },
            t().outboxCount(shown.length, total),
            ' ',
            items.length > 8
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    id: 'outbox-more',
                    onclick: () => {
                      state.outboxAll = !state.outboxAll;
                      renderOutbox(state, t);
                    },
                  },
                  state.outboxAll ? t().showFewer : t().showAll,
                )
              : null,
          ),
          el(
            'ul',
            { class: 'history', id: 'outbox-list' },
            shown.map((m) =>
              el('li', { 'data-kind': m.kind }, `${t().channels[m.kind]} → ${m.to}: ${m.what}`),
            ),
          ),
        ]
      : []),
  );
}
