// One search box for anything an agent is told on a call: a phone number, a waybill, a complaint
// reference or an account name (Chinese or English). Each result opens the account or complaint.
import { $, el } from './dom.js';

/** What `q` can be, asked of the API side by side; answers `{ kind, label, open }` results. */
async function find(q, ctx) {
  const { t, api } = ctx;
  const compact = q.replace(/[\s()-]/g, '');
  const asks = [];
  if (/^\+?\d{7,15}$/.test(compact)) {
    asks.push(
      api(`/screen-pop?phone=${encodeURIComponent(q)}`).then((card) =>
        card.account
          ? [
              {
                kind: t.findKinds.phone,
                label: `${q} → ${card.account.name}`,
                open: () => ctx.selectAccount(card.account.id),
              },
            ]
          : [],
      ),
    );
  }
  if (/^[A-Za-z0-9]{6,20}$/.test(compact)) {
    const waybill = compact.toUpperCase();
    asks.push(
      // The shipment names its account by id: the agent reads the account's name.
      api(`/shipments/${encodeURIComponent(waybill)}`).then(async (s) => [
        {
          kind: t.findKinds.waybill,
          label: `${s.waybill} → ${(await api(`/accounts/${encodeURIComponent(s.accountId)}`)).name}`,
          open: () => ctx.selectAccount(s.accountId),
        },
      ]),
    );
  }
  if (/^\d{10}$/.test(compact)) {
    asks.push(
      api(`/complaints?reference=${compact}`).then((r) =>
        r.items
          .filter((c) => c.reference === compact)
          .map((c) => ({
            kind: t.findKinds.complaint,
            label: `#${c.reference} ${c.accountName}`,
            open: () => ctx.openComplaint(c.id),
          })),
      ),
    );
  }
  if (!/^\+?\d+$/.test(compact)) {
    asks.push(
      api(`/accounts?q=${encodeURIComponent(q)}`).then((r) =>
        r.items.slice(0, 8).map((a) => ({
          kind: t.findKinds.account,
          label: a.nameEn ? `${a.name} · ${a.nameEn}` : a.name,
          open: () => ctx.selectAccount(a.id),
        })),
      ),
    );
  }
  // A number that is not a waybill answers 404: what is not found is simply not a result. Any
  // other failure (the API down) means "no match" would be untrue: `failed` says so.
  const settled = await Promise.allSettled(asks);
  const found = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
  found.failed = settled.some((s) => s.status === 'rejected' && s.reason?.status !== 404);
  return found;
}

/** Wires the header's search form; `context()` gives the current language and actions. */
export function mountFind(context) {
  const form = $('find');
  const results = $('find-results');
  // "/" anywhere but in a field jumps to the search box (as in Zendesk and GitHub); Esc leaves it.
  document.addEventListener('keydown', (e) => {
    const typing = e.target.closest?.('input, textarea, select, [contenteditable="true"]');
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      $('find-q').focus();
      $('find-q').select();
    }
  });
  $('find-q').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      $('find-q').value = '';
      results.replaceChildren();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ctx = context();
    const q = $('find-q').value.trim();
    if (!q) return results.replaceChildren();
    const found = await find(q, ctx);
    const line = (r) =>
      el(
        'li',
        {},
        el(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              results.replaceChildren();
              r.open();
            },
          },
          el('span', { class: 'flag' }, r.kind),
          ' ',
          r.label,
        ),
      );
    // A lookup that failed is said, with a retry; "no match" only when every lookup answered.
    const failed = found.failed
      ? el(
          'li',
          { class: 'error', role: 'alert' },
          ctx.t.findFailed,
          ' ',
          el(
            'button',
            { type: 'button', class: 'link', id: 'find-retry', onclick: () => form.requestSubmit() },
            ctx.t.findRetry,
          ),
        )
      : null;
    results.replaceChildren(
      ...found.map(line),
      ...(failed ? [failed] : found.length ? [] : [el('li', { class: 'muted' }, ctx.t.findNone)]),
    );
    results.querySelector('button')?.focus();
  });
}

/** Searches for `q` as if the agent had typed it (a journal call with no account: its number). */
export function findText(q) {
  $('find-q').value = q;
  $('find').requestSubmit();
  $('find-q').focus();
}
