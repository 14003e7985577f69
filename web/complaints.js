// Complaints on the agent desktop: the form on the card, the list with live SLA countdowns,
// the detail view with history and transitions, and the follow-up outcome form.
import { el, fmtTime } from './dom.js';
import { offlineNote } from './live.js';

/**
 * One countdown format everywhere: "0:29:53 left" / "overdue 1:02:07" under a day, "2 d 05 h
 * left" from a day on (seconds are noise then); refreshed every second by tickCountdowns().
 */
export function countdown(dueIso, t) {
  const ms = Date.parse(dueIso) - Date.now();
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const clock =
    d > 0 ? t.daysHours(d, h) : `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return ms >= 0 ? t.leftFmt(clock) : t.overdueFmt(clock);
}

export function tickCountdowns(t) {
  for (const node of document.querySelectorAll('[data-due]')) {
    node.textContent = countdown(node.dataset.due, t);
    node.classList.toggle('overdue', Date.parse(node.dataset.due) < Date.now());
  }
}

function slaBadge(c, t) {
  return el(
    'span',
    { class: `sla sla-${c.sla.current}`, 'data-sla': c.sla.current },
    t.slaStates[c.sla.current] ?? c.sla.current,
  );
}

function dueSpan(c, t) {
  return c.sla.nextDueAt
    ? el('span', { class: 'countdown', 'data-due': c.sla.nextDueAt }, countdown(c.sla.nextDueAt, t))
    : null;
}

/** A compact line for a complaint: reference, category, status, SLA badge and countdown. */
export function complaintLine(c, ctx, onOpen, prefix = null) {
  const { t } = ctx;
  return el(
    'li',
    { class: 'complaint', 'data-complaint': c.id },
    prefix ? el('strong', {}, prefix, ' ') : null,
    el('button', { type: 'button', class: 'link', onclick: () => onOpen(c.id) }, `#${c.reference}`),
    ` ${t.categories[c.category]} · ${t.severities[c.severity]} · ${t.statuses[c.status]} `,
    slaBadge(c, t),
    ' ',
    dueSpan(c, t),
    c.escalationLevel > 0
      ? [
          ' ',
          el('span', { class: 'flag warn', 'data-escalation': c.escalationLevel }, `L${c.escalationLevel}`),
        ]
      : null,
  );
}

/**
 * The complaint being typed on a call's card: its values, whether its box is open, and its
 * Idempotency-Key. It lives on the call, so a redraw of the card (a delay acknowledged, the
 * language switched) rebuilds the form with what was typed and a retry sends the same key; once
 * the complaint is filed, the next one starts afresh.
 */
export function complaintDraft(card, call) {
  if (call.complaintDraft?.accountId !== card.account.id)
    call.complaintDraft = { accountId: card.account.id, key: crypto.randomUUID(), values: {}, open: false };
  return call.complaintDraft;
}

/** The complaint form on a popped card, prefilled from the call (account, contact, waybill). */
export function complaintForm(card, call, ctx, onCreated) {
  const { t, api } = ctx;
  const draft = complaintDraft(card, call);
  const key = draft.key;
  const waybills = card.shipments.map((s) => s.waybill);
  const prefilledWaybill = call.attributes?.waybill || card.shipments.find((s) => s.delayed)?.waybill || '';
  const status = el('p', { class: 'muted', role: 'status' });
  const keep = (e) => {
    if (e.target.name) draft.values[e.target.name] = e.target.value;
  };
  const form = el(
    'form',
    {
      class: 'complaint-form',
      id: 'complaint-form',
      oninput: keep,
      onchange: keep,
      onsubmit: async (e) => {
        e.preventDefault();
        const f = e.target.elements;
        const waybill = f.waybill.value.trim();
        // The card is re-read with the complaint only if no call rang during the request.
        const latest = ctx.takeTicket();
        try {
          const created = await api('/complaints', {
            method: 'POST',
            headers: { 'Idempotency-Key': key },
            body: JSON.stringify({
              accountId: card.account.id,
              ...(card.contact ? { contactId: card.contact.id } : {}),
              waybills: waybill ? [waybill] : [],
              category: f.category.value,
              severity: f.severity.value,
              channel: 'agent-phone',
              description: f.description.value,
              team: card.account.dedicatedTeam ?? card.account.serviceGroup,
            }),
          });
          status.textContent = t.complaintFiled(created.reference);
          call.complaintDraft = undefined;
          onCreated(created, latest);
        } catch (err) {
          status.textContent = err.message;
          status.className = 'error';
        }
      },
    },
    el('h3', {}, t.newComplaint),
    el('label', { for: 'cf-category' }, t.category),
    el(
      'select',
      { id: 'cf-category', name: 'category' },
      Object.entries(t.categories).map(([c, label]) => el('option', { value: c }, label)),
    ),
    el('label', { for: 'cf-severity' }, t.severity),
    el(
      'select',
      { id: 'cf-severity', name: 'severity' },
      Object.entries(t.severities).map(([s, label]) =>
        el('option', { value: s, selected: s === 'high' }, label),
      ),
    ),
    el('label', { for: 'cf-waybill' }, t.waybill),
    el('input', {
      id: 'cf-waybill',
      name: 'waybill',
      list: 'cf-waybills',
      value: prefilledWaybill,
      autocomplete: 'off',
    }),
    el(
      'datalist',
      { id: 'cf-waybills' },
      waybills.map((w) => el('option', { value: w })),
    ),
    el('label', { for: 'cf-description' }, t.description),
    el('textarea', {
      id: 'cf-description',
      name: 'description',
      rows: '3',
      required: true,
      maxlength: '2000',
    }),
    el('button', { type: 'submit', id: 'cf-submit' }, t.fileComplaint),
    status,
  );
  for (const [name, value] of Object.entries(draft.values)) form.elements[name].value = value;
  return form;
}

/** The complaint filters: id, label, and the query the desk feed asks with. */
function complaintFilters(t, team) {
  return [
    ['all', t.filterAll, ''],
    ['mine', t.filterMine, 'owner=me'],
    ['team', t.filterTeam, team ? `team=${encodeURIComponent(team)}` : ''],
    ['at-risk', t.filterAtRisk, 'sla=at-risk'],
    ['breached', t.filterBreached, 'sla=breached'],
  ];
}

/** The query of the agent's current complaint filter (the desk feed's `owner`, `team`, `sla`). */
export function complaintQuery(state, team) {
  return complaintFilters({}, team).find((f) => f[0] === (state.complaintFilter ?? 'all'))?.[2] ?? '';
}

/** The complaints panel: filters and the list (from the desk feed), most urgent first. */
export function renderComplaintPanel(panel, ctx, state, items = []) {
  const { t } = ctx;
  const filters = complaintFilters(t, ctx.team);
  const current = state.complaintFilter ?? 'all';
  const events = ctx.localEvents ?? [];
  panel.replaceChildren(
    ...[
      el('h2', {}, t.complaints),
      offlineNote(state, t, ctx.lang),
      el(
        'div',
        { class: 'filters', role: 'group', 'aria-label': t.complaints },
        filters.map(([id, label]) =>
          el(
            'button',
            {
              type: 'button',
              'data-filter': id,
              'aria-pressed': String(id === current),
              onclick: async () => {
                const before = state.complaintFilter;
                state.complaintFilter = id;
                // The feed did not answer: the list is still the earlier filter's, and says so.
                await ctx.refreshComplaints().catch(() => {
                  state.complaintFilter = before;
                  renderComplaintPanel(panel, ctx, state, state.desk?.complaints);
                });
              },
            },
            label,
          ),
        ),
      ),
      items.length
        ? el(
            'ul',
            { class: 'complaints', id: 'complaint-list' },
            items.map((c) => complaintLine(c, ctx, ctx.openComplaint, c.accountName)),
          )
        : el('p', { class: 'muted', id: 'complaint-list-empty' }, t.noComplaints),
      events.length
        ? el(
            'div',
            { class: 'events' },
            el('h3', {}, t.escalationFeed),
            el(
              'ul',
              { id: 'escalation-feed' },
              events
                .slice(0, 5)
                .map((e) =>
                  el('li', {}, `${fmtTime(e.at, ctx.lang, false)} · ${escalationText(e, t, ctx.lang)}`),
                ),
            ),
          )
        : null,
    ].filter(Boolean),
  );
}

/** The detail view: facts, SLA, history, allowed transitions and the follow-up outcome form. */
export function renderComplaintDetail(c, ctx, onChanged) {
  const { t, api } = ctx;
  const status = el('p', { class: 'muted', role: 'status', id: 'complaint-status' });
  const act = async (path, payload) => {
    // The answer is drawn only if nothing else asked for the detail panel meanwhile (app.js).
    const latest = ctx.takeTicket();
    try {
      const updated = await api(path, { method: 'POST', body: JSON.stringify(payload) });
      onChanged(updated, latest());
    } catch (err) {
      status.textContent = err.message;
      status.className = 'error';
    }
  };
  const note = el('input', { id: 'transition-note', placeholder: t.note, autocomplete: 'off' });
  return [
    el('h2', { id: 'complaint-title', tabindex: '-1' }, `${t.complaint} #${c.reference}`),
    el('p', {}, el('strong', {}, c.accountName), c.contactName ? ` · ${c.contactName}` : ''),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, t.status),
      el('dd', { id: 'complaint-state' }, t.statuses[c.status]),
      el('dt', {}, t.category),
      el('dd', {}, `${t.categories[c.category]} · ${t.severities[c.severity]}`),
      el('dt', {}, 'SLA'),
      el('dd', {}, slaBadge(c, t), ' ', dueSpan(c, t), ` (${c.clock === '24x7' ? '24×7' : t.businessHours})`),
      el('dt', {}, t.ackBy),
      el('dd', {}, fmtTime(c.ackDueAt, ctx.lang)),
      el('dt', {}, t.resolveBy),
      el('dd', {}, fmtTime(c.resolveDueAt, ctx.lang)),
      el('dt', {}, t.escalation),
      el('dd', { id: 'complaint-escalation' }, c.escalationLevel ? `L${c.escalationLevel}` : t.none),
      el('dt', {}, t.waybill),
      el('dd', {}, c.waybills.join(', ') || t.none),
      c.followUp ? el('dt', {}, t.followUp) : null,
      c.followUp
        ? el(
            'dd',
            { id: 'complaint-follow-up' },
            c.followUp.score
              ? t.followUpDone(c.followUp.score, c.followUp.accepted)
              : t.followUpScheduled(fmtTime(c.followUp.dueAt, ctx.lang)),
          )
        : null,
    ),
    el('p', {}, c.description),
    c.allowedTransitions.length
      ? el(
          'div',
          { class: 'transitions' },
          el('label', { for: 'transition-note', class: 'sr-only' }, t.note),
          note,
          c.allowedTransitions.map((to) =>
            el(
              'button',
              {
                type: 'button',
                'data-transition': to,
                onclick: () =>
                  act(`/complaints/${c.id}/transitions`, {
                    to,
                    version: c.version,
                    ...(note.value ? { note: note.value } : {}),
                  }),
              },
              t.transitionTo[to] ?? to,
            ),
          ),
        )
      : null,
    // Resolved, or closed by an agent while its 回访 still waited: the call's outcome is recorded.
    c.status === 'resolved' || (c.status === 'closed' && c.followUp && !c.followUp.at)
      ? el(
          'form',
          {
            class: 'follow-up',
            id: 'follow-up-form',
            onsubmit: (e) => {
              e.preventDefault();
              const f = e.target.elements;
              act(`/complaints/${c.id}/follow-up`, {
                score: Number(f.score.value),
                accepted: f.accepted.checked,
                version: c.version,
                ...(f.fnote.value ? { note: f.fnote.value } : {}),
              });
            },
          },
          el('h3', {}, t.followUpOutcome),
          el('label', { for: 'fu-score' }, t.score),
          el(
            'select',
            { id: 'fu-score', name: 'score' },
            [5, 4, 3, 2, 1].map((n) => el('option', { value: String(n) }, `${n}`)),
          ),
          el(
            'label',
            {},
            el('input', { type: 'checkbox', name: 'accepted', id: 'fu-accepted', checked: true }),
            ` ${t.accepted}`,
          ),
          el('input', { name: 'fnote', placeholder: t.note, autocomplete: 'off' }),
          el('button', { type: 'submit', id: 'fu-submit' }, t.recordFollowUp),
        )
      : null,
    status,
    el('h3', {}, t.historyTitle),
    el(
      'ol',
      { class: 'history', id: 'complaint-history' },
      (c.history ?? []).map((h) =>
        el(
          'li',
          {},
          `${fmtTime(h.at, ctx.lang)} · ${t.actors[h.by] ?? h.by} · ${t.historyActions[h.action] ?? h.action}`,
          // What the system recorded comes in both languages from the server's message catalog.
          h.text ? ` — ${h.text[ctx.lang === 'en' ? 'en' : 'zh-CN']}` : '',
          h.note ? ` — ${h.note}` : '',
        ),
      ),
    ),
  ];
}

/** An escalation event in the agent's language, from its payload (the SNS subject is English). */
function escalationText(e, t, lang) {
  const p = e.payload ?? {};
  if (!p.reference) return e.subject ?? '';
  const name = p.levelName?.[lang === 'en' ? 'en' : 'zh'];
  // The level's name may carry its number already ("L2 key-account manager"); never say it twice.
  const who = !name ? `L${p.level}` : name.startsWith(`L${p.level}`) ? name : `L${p.level} ${name}`;
  return t.escalatedTo(p.reference, who);
}
