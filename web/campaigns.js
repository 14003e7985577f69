// Outbound campaigns on the agent desktop: the list with live progress, a new campaign from a
// segment with an audience preview, the simulated dialer's calls, and the disposition form.
import { el, fmtTime } from './dom.js';
import { offlineNote } from './live.js';

/**
 * A campaign's name as the agent reads it: the standing campaigns (created by the system) are
 * named "中文 · English", shown in the agent's language; an agent's campaign as it was typed.
 */
export function campaignName(c, lang) {
  const parts = c.createdBy === 'system' ? c.name.split(' · ') : [];
  return parts.length === 2 ? parts[lang === 'en' ? 1 : 0] : c.name;
}

function progress(c, t) {
  const k = c.counts;
  const done = k.completed + k.failed + k.expired + k.cancelled + (k.skipped ?? 0);
  const pct = k.targets ? Math.round((done / k.targets) * 100) : 0;
  return el(
    'div',
    { class: 'progress', 'data-campaign': c.id },
    el(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': c.name,
        'aria-valuenow': String(pct),
        'aria-valuemin': '0',
        'aria-valuemax': '100',
      },
      el('span', { style: `width:${pct}%` }),
    ),
    el(
      'span',
      { class: 'muted figures' },
      t.campaignFigures({
        targets: k.targets,
        excluded: Object.values(k.excluded ?? {}).reduce((a, b) => a + b, 0),
        dialed: k.dialed,
        reached: k.reached,
        completed: k.completed,
        failed: k.failed,
        reach: c.reachRate == null ? '—' : `${Math.round(c.reachRate * 100)}%`,
      }),
    ),
    k.skipped
      ? el(
          'span',
          { class: 'muted figures', 'data-skipped': String(k.skipped) },
          t.campaignSkipped(
            k.skipped,
            Object.entries(k.skippedBy ?? {})
              .map(([reason, n]) => `${t.skipReasons[reason] ?? reason} ${n}`)
              .join('，'),
          ),
        )
      : null,
  );
}

/** The campaigns panel, from the desk feed's campaigns; the new-campaign form is a kept node. */
export function renderCampaignPanel(panel, ctx, state, items = []) {
  const { t, api } = ctx;
  const dials = ctx.localDials ?? [];
  // Team leads and managers set up and steer campaigns; an agent works their calls.
  const steer = ctx.can?.campaigns !== false;
  // Moving the kept form node drops focus: put it back where the agent was typing.
  const active = document.activeElement;
  const typing = state.campaignForm?.node.contains(active)
    ? { el: active, start: active.selectionStart, end: active.selectionEnd }
    : undefined;
  panel.replaceChildren(
    ...[
      el('h2', {}, t.campaigns),
      offlineNote(state, t, ctx.lang),
      // An action the API refused (the campaign finished meanwhile), until the next one succeeds.
      state.campaignAlert
        ? el('p', { class: 'error', role: 'alert', id: 'campaign-alert' }, state.campaignAlert)
        : null,
      el(
        'ul',
        { class: 'campaigns', id: 'campaign-list' },
        items.map((c) =>
          el(
            'li',
            { 'data-campaign-id': c.id, 'data-status': c.status },
            el('strong', {}, campaignName(c, ctx.lang)),
            // A standing campaign's name is its type already.
            c.createdBy === 'system' ? ' · ' : ` · ${t.campaignTypes[c.type] ?? c.type} · `,
            el('span', { class: `status status-${c.status}` }, t.campaignStatuses[c.status] ?? c.status),
            ' ',
            steer && ['draft', 'paused'].includes(c.status)
              ? el(
                  'button',
                  {
                    type: 'button',
                    'data-action': c.status === 'draft' ? 'start' : 'resume',
                    onclick: () => control(c.id, c.status === 'draft' ? 'start' : 'resume'),
                  },
                  t.campaignActions[c.status === 'draft' ? 'start' : 'resume'],
                )
              : null,
            steer && c.status === 'running'
              ? el(
                  'button',
                  { type: 'button', 'data-action': 'pause', onclick: () => control(c.id, 'pause') },
                  t.campaignActions.pause,
                )
              : null,
            steer && ['draft', 'running', 'paused'].includes(c.status)
              ? el(
                  'button',
                  { type: 'button', 'data-action': 'cancel', onclick: () => control(c.id, 'cancel') },
                  t.campaignActions.cancel,
                )
              : null,
            progress(c, t),
          ),
        ),
      ),
      ctx.can?.campaigns === false
        ? null
        : el(
            'details',
            { class: 'campaign-box', id: 'campaign-box', open: state.campaignFormOpen ? true : undefined },
            el(
              'summary',
              {
                id: 'new-campaign',
                onclick: () => {
                  state.campaignFormOpen = !state.campaignFormOpen;
                },
              },
              t.newCampaign,
            ),
            campaignForm(ctx, state),
          ),
      dials.length
        ? el(
            'div',
            { class: 'events' },
            el('h3', {}, t.outboundCalls),
            el(
              'ul',
              { id: 'dial-feed' },
              dials.slice(0, 6).map((d) =>
                el(
                  'li',
                  { 'data-dial': d.callbackId, 'data-dial-status': d.status },
                  `${fmtTime(d.at, ctx.lang, false)} → ${d.phone} · ${t.campaignTypes[d.attributes.reason] ?? d.attributes.reason} · ${t.dialStatuses[d.status]} `,
                  d.status === 'connected' || d.status === 'ended'
                    ? el(
                        'button',
                        {
                          type: 'button',
                          class: 'link',
                          'data-open-outbound': d.callbackId,
                          onclick: () =>
                            ctx.popCard({
                              contactId: d.contactId,
                              phone: d.phone,
                              direction: 'outbound',
                              attributes: {
                                known: 'true',
                                accountId: d.attributes.accountId,
                                callbackId: d.callbackId,
                                reason: d.attributes.reason,
                                campaignId: d.attributes.campaignId,
                              },
                            }),
                        },
                        t.openCard,
                      )
                    : null,
                ),
              ),
            ),
          )
        : null,
    ].filter(Boolean),
  );
  if (typing && document.contains(typing.el)) {
    typing.el.focus({ preventScroll: true });
    if (typeof typing.start === 'number') typing.el.setSelectionRange?.(typing.start, typing.end);
  }

  async function control(id, action) {
    try {
      await api(`/campaigns/${id}/actions`, { method: 'POST', body: JSON.stringify({ action }) });
      state.campaignAlert = undefined;
    } catch (err) {
      state.campaignAlert = err.message;
    }
    await ctx.refreshCampaigns().catch(() => renderCampaignPanel(panel, ctx, state, items));
  }
}

/**
 * The new-campaign form, built once and kept across the panel's refreshes (the same node is put
 * back), so a half-typed form keeps its values and focus. Its Idempotency-Key belongs to the
 * submission: a double click or a retry sends the same key; after a campaign is created the next
 * form gets a new one.
 */
function campaignForm(ctx, state) {
  if (state.campaignForm?.lang === ctx.lang) return state.campaignForm.node;
  const node = buildCampaignForm(ctx, state);
  state.campaignForm = { lang: ctx.lang, node };
  return node;
}

function buildCampaignForm(ctx, state) {
  const { t, api } = ctx;
  const preview = el('p', { class: 'muted', id: 'campaign-preview', role: 'status' });
  const audience = (f) => ({
    tiers: Object.keys(t.tiers).filter((x) => f[`tier-${x}`].checked),
    segments: Object.keys(t.segments).filter((x) => f[`seg-${x}`].checked),
    onePerAccount: f.onePerAccount.checked,
  });
  const body = (f) => ({
    name: f.cname.value,
    type: f.ctype.value,
    audience: audience(f),
    window: { days: [1, 2, 3, 4, 5, 6, 7], start: f.wstart.value, end: f.wend.value, holidays: [] },
    pacing: {
      dialsPerMinute: Number(f.perMinute.value),
      maxConcurrent: Number(f.concurrent.value),
    },
    retry: { delayMinutes: Number(f.retryDelay.value), maxAttempts: Number(f.maxAttempts.value) },
    startNow: true,
  });
  const key = crypto.randomUUID();
  return el(
    'form',
    {
      class: 'campaign-form',
      id: 'campaign-form',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const c = await api('/campaigns', {
            method: 'POST',
            headers: { 'Idempotency-Key': key },
            body: JSON.stringify(body(e.target.elements)),
          });
          preview.textContent = t.campaignCreated(c.name, c.counts.targets);
          state.campaignFormOpen = false;
          state.campaignForm = undefined;
          document.activeElement?.blur();
          ctx.refreshCampaigns();
        } catch (err) {
          preview.textContent = err.message;
          preview.className = 'error';
        }
      },
    },
    el('label', { for: 'cname' }, t.campaignName),
    el('input', { id: 'cname', name: 'cname', required: true, value: t.defaultCampaignName }),
    el('label', { for: 'ctype' }, t.campaignType),
    el(
      'select',
      { id: 'ctype', name: 'ctype' },
      Object.entries(t.campaignTypes).map(([x, label]) => el('option', { value: x }, label)),
    ),
    el('span', {}, t.colTier),
    el(
      'div',
      {},
      Object.keys(t.tiers).map((x) =>
        el(
          'label',
          {},
          el('input', { type: 'checkbox', name: `tier-${x}`, id: `tier-${x}`, checked: x === 'key' }),
          ` ${t.tiers[x]} `,
        ),
      ),
    ),
    el('span', {}, t.colSegment),
    el(
      'div',
      {},
      Object.keys(t.segments).map((x) =>
        el(
          'label',
          {},
          el('input', { type: 'checkbox', name: `seg-${x}`, id: `seg-${x}` }),
          ` ${t.segments[x]} `,
        ),
      ),
    ),
    el('span', {}, ''),
    el(
      'label',
      {},
      el('input', { type: 'checkbox', name: 'onePerAccount', checked: true }),
      ` ${t.onePerAccount}`,
    ),
    el('label', { for: 'wstart' }, t.window),
    el(
      'div',
      {},
      el('input', { id: 'wstart', name: 'wstart', type: 'time', value: '00:00' }),
      ' – ',
      el('input', { id: 'wend', name: 'wend', type: 'time', value: '23:59' }),
    ),
    el('label', { for: 'perMinute' }, t.dialsPerMinute),
    el('input', { id: 'perMinute', name: 'perMinute', type: 'number', min: '1', max: '600', value: '30' }),
    el('label', { for: 'concurrent' }, t.maxConcurrent),
    el('input', { id: 'concurrent', name: 'concurrent', type: 'number', min: '1', max: '500', value: '5' }),
    el('label', { for: 'retryDelay' }, t.retryDelay),
    el('input', { id: 'retryDelay', name: 'retryDelay', type: 'number', min: '1', value: '1' }),
    el('label', { for: 'maxAttempts' }, t.maxAttempts),
    el('input', { id: 'maxAttempts', name: 'maxAttempts', type: 'number', min: '1', max: '10', value: '3' }),
    el(
      'button',
      {
        type: 'button',
        id: 'campaign-preview-button',
        onclick: async (e) => {
          const f = e.target.form.elements;
          const p = await api('/campaigns/preview', {
            method: 'POST',
            body: JSON.stringify({ audience: audience(f) }),
          }).catch((err) => {
            preview.textContent = err.message;
            preview.className = 'error';
          });
          if (!p) return;
          preview.className = 'muted';
          const excluded = Object.entries(p.excluded)
            .map(([reason, n]) => `${t.exclusionReasons[reason] ?? reason} ${n}`)
            .join('，');
          preview.textContent = t.previewText(p.targets, p.accounts, excluded || '0');
        },
      },
      t.preview,
    ),
    el('button', { type: 'submit', id: 'campaign-create' }, t.createAndStart),
    preview,
  );
}

/** The disposition form on an outbound call's card. */
export function dispositionForm(callbackId, ctx, reason) {
  const { t, api } = ctx;
  // A follow-up call (回访) asks the client's satisfaction, 1–5, for the account's trend.
  const asksScore = reason === 'account-review';
  const status = el('p', { class: 'muted', role: 'status', id: 'disposition-status' });
  return el(
    'form',
    {
      class: 'disposition',
      id: 'disposition-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const f = e.target.elements;
        try {
          await api(`/callbacks/${callbackId}/disposition`, {
            method: 'POST',
            body: JSON.stringify({
              disposition: f.disposition.value,
              ...(f.dnotes.value ? { notes: f.dnotes.value } : {}),
              ...(asksScore && f.satisfaction.value ? { satisfaction: Number(f.satisfaction.value) } : {}),
            }),
          });
          status.textContent = t.dispositionSaved;
        } catch (err) {
          status.textContent = err.message;
          status.className = 'error';
        }
      },
    },
    el('h3', {}, t.disposition),
    el(
      'select',
      { name: 'disposition', id: 'disposition-select' },
      Object.entries(t.dispositions).map(([d, label]) => el('option', { value: d }, label)),
    ),
    el('input', { name: 'dnotes', placeholder: t.note, autocomplete: 'off', 'aria-label': t.note }),
    asksScore
      ? [
          el('label', { for: 'disposition-satisfaction' }, t.satisfaction),
          el(
            'select',
            { name: 'satisfaction', id: 'disposition-satisfaction' },
            ['', '5', '4', '3', '2', '1'].map((v) => el('option', { value: v }, v || t.none)),
          ),
        ]
      : null,
    el('button', { type: 'submit', id: 'disposition-submit' }, t.saveDisposition),
    status,
  );
}
