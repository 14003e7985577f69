// The local stack's call panel: simulated inbound calls (through the real screen-pop Lambda and
// contact events), an IVR callback request and a weather incident. In Connect mode, the CCP.
import { $, el } from './dom.js';

/** Simulated calls rung so far: the agent is on the latest, whichever screen pop answers first. */
let rung = 0;

async function simulate(from, ctx) {
  const call = ++rung;
  const res = await fetch('/local/connect/inbound-call', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, ending: $('sim-ending')?.value || 'answered' }),
  });
  const sim = await res.json();
  ctx.refreshCalls();
  if (call !== rung) return;
  const phone = ['', 'anonymous'].includes(from.trim()) ? '' : from;
  await ctx.popCard({
    contactId: sim.contactId,
    phone,
    attributes: sim.attributes,
    lookupMs: sim.elapsedMs,
    source: 'simulator',
  });
}

/**
 * The call panel: the CCP in Connect mode, the local simulator of calls and incidents in the local
 * stack, and a plain note in a deployment without Connect (mode `hosted`).
 */
export function renderSimulator(panel, ctx, state) {
  const t = () => ctx.t;
  if (state.config.mode === 'connect') {
    panel.replaceChildren(el('h2', {}, t().ccp), el('div', { id: 'ccp', class: 'ccp' }));
    return;
  }
  // Deployed without a Connect instance: there is no CCP, and the simulator's /local routes do
  // not exist in AWS.
  if (state.config.mode !== 'local') {
    panel.replaceChildren(
      el('h2', {}, t().callPanel),
      el('p', { class: 'muted', id: 'no-connect' }, t().noConnect),
    );
    return;
  }
  panel.replaceChildren(
    el('h2', {}, t().simulate),
    el('p', { class: 'muted' }, t().simulateHint),
    el(
      'p',
      {},
      el('label', { for: 'sim-ending' }, t().simEnding, ' '),
      el(
        'select',
        { id: 'sim-ending', onchange: (e) => (state.simEnding = e.target.value) },
        Object.entries(t().simEndings).map(([v, label]) =>
          el('option', { value: v, selected: v === state.simEnding }, label),
        ),
      ),
    ),
    el(
      'div',
      { class: 'callers' },
      state.config.callers.map((c) =>
        el(
          'button',
          { type: 'button', 'data-caller': c.id, onclick: () => simulate(c.from, ctx) },
          state.lang === 'en' ? c.en : c.zh,
        ),
      ),
    ),
    el(
      'form',
      {
        class: 'dial',
        onsubmit: (e) => {
          e.preventDefault();
          simulate($('dial-number').value, ctx);
        },
      },
      el('label', { for: 'dial-number', class: 'sr-only' }, t().numberPlaceholder),
      el('input', {
        id: 'dial-number',
        type: 'tel',
        placeholder: t().numberPlaceholder,
        autocomplete: 'off',
      }),
      el('button', { type: 'submit', id: 'dial-button' }, t().callButton),
    ),
    el(
      'button',
      {
        type: 'button',
        id: 'ivr-callback-button',
        onclick: async () => {
          const from = $('dial-number').value || '+8613910012002';
          const r = await fetch('/local/connect/ivr-callback', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ from }),
          }).then((x) => x.json());
          $('ivr-callback-result').textContent = r.attributes.prompt;
          ctx.refreshCampaigns();
        },
      },
      t().requestCallback,
    ),
    el('p', { id: 'ivr-callback-result', class: 'muted', role: 'status' }),
    el(
      'button',
      {
        type: 'button',
        id: 'incident-button',
        onclick: async () => {
          const r = await fetch('/local/incident', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ region: '华北' }),
          }).then((x) => x.json());
          $('incident-result').textContent = t().incidentResult(r.events, r.report?.delaysAnnounced ?? 0);
        },
      },
      t().simulateIncident,
    ),
    el('p', { id: 'incident-result', class: 'muted', role: 'status' }),
    el('div', { id: 'outbox' }),
  );
}
