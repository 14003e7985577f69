// The card for a caller Keyline does not know: search the book and attach the number.
import { el } from './dom.js';

export function renderUnknownCard(call, ctx) {
  const { t, api } = ctx;
  const results = el('div', { id: 'unknown-results', 'aria-live': 'polite' });
  const status = el('p', { class: 'muted', id: 'unknown-status', role: 'status' });

  async function showContacts(accountId) {
    const account = await api(`/accounts/${encodeURIComponent(accountId)}`);
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
                      await api(
                        `/accounts/${encodeURIComponent(accountId)}/contacts/${encodeURIComponent(c.id)}/phones`,
                        {
                          method: 'POST',
                          body: JSON.stringify({ number: call.phone }),
                        },
                      );
                      status.textContent = t.attached;
                      const card = {
                        ...call,
                        attributes: {
                          ...call.attributes,
                          known: 'true',
                          accountId,
                          accountName: account.name,
                        },
                      };
                      await ctx.popCard(card);
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

  async function search(q) {
    const digits = q.replace(/[\s()+-]/g, '');
    let accounts = [];
    if (/^\d{5,}$/.test(digits)) {
      const card = await api(`/screen-pop?phone=${encodeURIComponent(q)}`);
      if (card.account)
        accounts = [{ id: card.account.id, name: card.account.name, tier: card.account.derived.tier }];
    } else {
      accounts = (await api(`/accounts?q=${encodeURIComponent(q)}`)).items;
    }
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
                  { type: 'button', class: 'link', 'data-account': a.id, onclick: () => showContacts(a.id) },
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

  return [
    el(
      'div',
      { class: 'call-banner', role: 'status' },
      el('strong', {}, t.incoming(call.phone || t.withheldCaller)),
    ),
    el('h2', { id: 'unknown-card', tabindex: '-1' }, call.phone ? t.unknownCaller : t.withheldCaller),
    call.phone ? el('p', { id: 'unknown-phone' }, call.phone) : null,
    el('p', { class: 'muted' }, t.unknownHint),
    el(
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
    ),
    results,
    status,
  ];
}
