// The cards for a caller the screen pop could not place: one Keyline does not know (search the
// book and attach the number), and one whose lookup failed (retry, search; never attach: the
// caller may well be a key account).
import { callBanner } from './call-banner.js';
import { el } from './dom.js';

/** Accounts matching a name (Chinese or English) or a phone number, as `{ id, name, tier }`. */
async function findAccounts(api, q) {
  const digits = q.replace(/[\s()+-]/g, '');
  if (/^\d{5,}$/.test(digits)) {
    const card = await api(`/screen-pop?phone=${encodeURIComponent(q)}`);
    return card.account
      ? [{ id: card.account.id, name: card.account.name, tier: card.account.derived.tier }]
      : [];
  }
  return (await api(`/accounts?q=${encodeURIComponent(q)}`)).items;
}

/** The search form and its results; `onPick(account)` runs when a result is chosen. */
function searchBox(ctx, results, status, onPick) {
  const { t } = ctx;
  async function search(q) {
    const accounts = await findAccounts(ctx.api, q);
    results.replaceChildren(
      accounts.length
        ? el(
            'ul',
            { class: 'choices' },
            accounts.map((a) =>
              el(
                'li',
                {},
                el(
                  'button',
                  { type: 'button', class: 'link', 'data-account': a.id, onclick: () => onPick(a) },
                  a.name,
                ),
                ' ',
                ctx.tierBadge(a.tier),
              ),
            ),
          )
        : el('p', { class: 'muted' }, t.noResults),
    );
  }
  return el(
    'form',
    {
      class: 'dial',
      onsubmit: (e) => {
        e.preventDefault();
        search(e.target.elements.q.value.trim()).catch((err) => {
          status.textContent = err.message;
        });
      },
    },
    el('label', { for: 'unknown-search', class: 'sr-only' }, t.searchCaller),
    el('input', {
      id: 'unknown-search',
      name: 'q',
      type: 'search',
      placeholder: t.searchCaller,
      autocomplete: 'off',
    }),
    el('button', { type: 'submit' }, t.find),
  );
}

/**
 * The screen pop answered lookupStatus=error (DynamoDB slow or down): the caller may be a key
 * account. The card says so, retries the lookup once by itself and on demand, and offers search
 * that opens an account, never the form that attaches the number to a contact.
 */
export function renderLookupFailedCard(call, ctx) {
  const { t } = ctx;
  const results = el('div', { id: 'unknown-results', 'aria-live': 'polite' });
  const status = el('p', { class: 'muted', id: 'lookup-status', role: 'status' });
  let retrying = false;
  async function retry() {
    if (retrying) return;
    retrying = true;
    status.textContent = t.lookupRetrying;
    // The lookup's answer is drawn only if no other call or view was asked for meanwhile.
    const latest = ctx.takeTicket();
    try {
      const card = await ctx.api(`/screen-pop?phone=${encodeURIComponent(call.phone)}`);
      const known = card.lookupStatus !== 'unknown' && card.account;
      await ctx.popCard(
        {
          ...call,
          quiet: true,
          attributes: {
            ...call.attributes,
            known: known ? 'true' : 'false',
            lookupStatus: card.lookupStatus,
            accountId: known ? card.account.id : '',
            accountName: known ? card.account.name : '',
          },
        },
        latest,
      );
    } catch (err) {
      status.textContent = t.lookupStillFailing(err.message);
    } finally {
      retrying = false;
    }
  }
  // One automatic retry, soon: a slow table often answers the second time.
  setTimeout(() => {
    if (document.getElementById('lookup-failed-card')) retry();
  }, 1_500);
  return [
    callBanner(call, t),
    el('h2', { id: 'lookup-failed-card', tabindex: '-1' }, t.lookupFailed),
    el('p', { id: 'unknown-phone' }, call.phone),
    el('p', { class: 'warning', role: 'alert', id: 'lookup-failed-hint' }, t.lookupFailedHint),
    el('p', {}, el('button', { type: 'button', id: 'lookup-retry', onclick: retry }, t.lookupRetry)),
    el('p', { class: 'muted' }, t.lookupSearchHint),
    searchBox(ctx, results, status, (a) => ctx.selectAccount(a.id)),
    results,
    status,
  ];
}

export function renderUnknownCard(call, ctx) {
  const { t, api } = ctx;
  const results = el('div', { id: 'unknown-results', 'aria-live': 'polite' });
  const status = el('p', { class: 'muted', id: 'unknown-status', role: 'status' });

  /** A refused or failed request, said where the agent looks (as an alert). */
  const failed = (err) => {
    status.className = 'error';
    status.textContent = err.message;
  };

  async function showContacts(accountId) {
    let account;
    try {
      account = await api(`/accounts/${encodeURIComponent(accountId)}`);
    } catch (err) {
      failed(err);
      return;
    }
    results.replaceChildren(
      el('p', {}, el('strong', {}, account.name), ' — ', t.chooseContact),
      el(
        'ul',
        { class: 'choices' },
        account.contacts.map((c) =>
          el(
            'li',
            {},
            `${c.name}${c.role ? ` · ${c.role}` : ''} `,
            call.phone
              ? el(
                  'button',
                  {
                    type: 'button',
                    'data-attach': c.id,
                    onclick: async () => {
                      // The card is drawn only if no other call or view was asked for meanwhile.
                      const latest = ctx.takeTicket();
                      try {
                        await api(
                          `/accounts/${encodeURIComponent(accountId)}/contacts/${encodeURIComponent(c.id)}/phones`,
                          { method: 'POST', body: JSON.stringify({ number: call.phone }) },
                        );
                      } catch (err) {
                        failed(err);
                        return;
                      }
                      status.className = 'muted';
                      status.textContent = t.attached;
                      const card = {
                        ...call,
                        quiet: true,
                        attributes: {
                          ...call.attributes,
                          known: 'true',
                          accountId,
                          accountName: account.name,
                        },
                      };
                      await ctx.popCard(card, latest);
                    },
                  },
                  t.attach,
                )
              : null,
          ),
        ),
      ),
    );
    results.querySelector('button')?.focus();
  }

  return [
    callBanner(call, t),
    el('h2', { id: 'unknown-card', tabindex: '-1' }, call.phone ? t.unknownCaller : t.withheldCaller),
    call.phone ? el('p', { id: 'unknown-phone' }, call.phone) : null,
    el('p', { class: 'muted' }, t.unknownHint),
    searchBox(ctx, results, status, (a) => showContacts(a.id)),
    results,
    status,
  ];
}

/**
 * The card of a known caller that did not load (the API slow or down): who is calling, from the
 * call's attributes (Connect's screen pop named the account and its tier), why the card is
 * missing, a complaint just filed (its reference, so it is not filed twice), and a retry.
 */
export function renderCardFailed(call, error, ctx) {
  const { t } = ctx;
  const a = call.attributes ?? {};
  return [
    callBanner(call, t),
    el(
      'h2',
      { id: 'card-failed-name', tabindex: '-1' },
      a.accountName || t.cardFailed,
      ' ',
      a.tier ? ctx.tierBadge(a.tier) : null,
    ),
    a.contactName ? el('p', { class: 'muted' }, a.contactName) : null,
    call.filed
      ? el('p', { class: 'muted', role: 'status', id: 'card-filed' }, t.complaintFiled(call.filed))
      : null,
    el('p', { class: 'error', role: 'alert', id: 'card-error' }, t.failed + error),
    el(
      'p',
      {},
      el(
        'button',
        { type: 'button', id: 'card-retry', onclick: () => ctx.popCard({ ...call, quiet: true }) },
        t.cardRetry,
      ),
    ),
  ];
}
