// The account review on the account view: what is in force, the proposal with its conflicts, a
// manager's decision (accept, or amend with a reason), and the decisions so far.
import { el, fmtDate, fmtTime } from './dom.js';

const place = (p, ctx) =>
  `${ctx.t.tiers[p.tier]} · ${ctx.t.serviceModes[p.serviceMode]} · ${ctx.teamName(p.queue)}`;

function select(id, label, options) {
  return [
    el('label', { for: id }, label),
    el(
      'select',
      { id, name: id },
      options.map(([value, text]) => el('option', { value }, text)),
    ),
  ];
}

/** The review section; `onDecided` reloads the account once a decision is stored. */
export function renderReview(a, review, ctx, onDecided) {
  const { t } = ctx;
  if (!review) return null;
  const p = review.proposal;
  const status = el('p', { role: 'status', id: 'review-status', class: 'muted' });
  const dedicatedTeams = Object.entries(ctx.teams ?? {}).filter(([, v]) => v.kind === 'dedicated');
  const decide = async (payload) => {
    try {
      await ctx.api(`/accounts/${encodeURIComponent(a.id)}/review`, {
        method: 'POST',
        body: JSON.stringify({ version: a.version, ...payload }),
      });
      ctx.announce?.(t.reviewSaved);
      onDecided();
    } catch (err) {
      status.textContent = err.message;
      status.className = 'error';
    }
  };
  const form = el(
    'form',
    {
      id: 'review-form',
      class: 'review-form',
      onsubmit: (e) => {
        e.preventDefault();
        const f = e.target.elements;
        const reason = f['review-reason'].value.trim();
        const amendment = {
          ...(f['review-tier'].value ? { tier: f['review-tier'].value } : {}),
          ...(f['review-mode'].value ? { serviceMode: f['review-mode'].value } : {}),
          ...(f['review-team'].value ? { dedicatedTeam: f['review-team'].value } : {}),
        };
        const amend = e.submitter?.value === 'amend';
        // Accepting takes the proposal as it is, with the team chosen for a dedicated service.
        const team = f['review-team'].value ? { dedicatedTeam: f['review-team'].value } : {};
        decide({
          decision: amend ? 'amend' : 'accept',
          ...(amend ? amendment : team),
          ...(reason ? { reason } : {}),
        });
      },
    },
    el('label', { for: 'review-reason' }, t.reviewReason),
    el('input', {
      id: 'review-reason',
      name: 'review-reason',
      autocomplete: 'off',
      placeholder: t.reviewReasonHint,
    }),
    select('review-tier', t.amendTier, [['', t.asProposed], ...Object.entries(t.tiers)]),
    select('review-mode', t.amendMode, [['', t.asProposed], ...Object.entries(t.serviceModes)]),
    select('review-team', t.amendTeam, [
      ['', t.asProposed],
      ...dedicatedTeams.map(([id]) => [id, ctx.teamName(id)]),
    ]),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', value: 'accept', id: 'review-accept' }, t.acceptProposal),
      el('button', { type: 'submit', value: 'amend', id: 'review-amend' }, t.amend),
    ),
  );
  const yes = (b) => (b ? t.yes : t.no);
  const credit = a.credit;
  return [
    el('h3', { id: 'credit-title' }, t.credit),
    el(
      'dl',
      { class: 'facts', id: 'credit-facts', 'data-credit-state': review.creditState },
      el('dt', {}, t.creditRating),
      el('dd', {}, credit ? `${credit.rating} · ${t.creditLimit} ${ctx.cny(credit.limit)}` : t.unrated),
      el('dt', {}, t.creditReview),
      el(
        'dd',
        {},
        credit ? credit.reviewDue : t.none,
        review.creditState === 'ok'
          ? null
          : [' ', el('span', { class: 'flag warn' }, t.creditStates[review.creditState])],
      ),
      credit?.note ? el('dt', {}, t.creditNote) : null,
      credit?.note ? el('dd', {}, credit.note) : null,
    ),
    el('h3', { id: 'review-title' }, t.review),
    el(
      'dl',
      { class: 'facts', id: 'review-facts' },
      el('dt', {}, t.inForce),
      el(
        'dd',
        { id: 'review-in-force' },
        place(p.current, ctx),
        ` (${p.current.source === 'review' ? t.byReview : t.byRules})`,
      ),
      el('dt', {}, t.proposed),
      el('dd', { id: 'review-proposed' }, `${place(p, ctx)} · ${t.modeReasons[p.reason]}`),
      el('dt', {}, t.reviewChart),
      el(
        'dd',
        {},
        t.chartAnswers(
          yes(p.chart.contributionMeetsTarget),
          yes(p.chart.potentialHigh),
          yes(p.chart.strategic),
        ),
      ),
      el('dt', {}, t.nextReview),
      el(
        'dd',
        {},
        fmtDate(p.nextReviewDue, ctx.lang),
        p.due ? [' ', el('span', { class: 'flag warn' }, t.reviewDue)] : null,
      ),
    ),
    p.conflicts.length
      ? el(
          'div',
          { class: 'flags', id: 'review-conflicts' },
          p.conflicts.map((c) => el('span', { class: 'flag warn' }, t.reviewConflicts[c])),
        )
      : null,
    p.changes.length
      ? el(
          'p',
          { id: 'review-changes' },
          t.wouldChange(p.changes.map((c) => t.changeNames[c]).join(t.listJoin)),
        )
      : null,
    form,
    status,
    el('h4', {}, t.reviewHistory),
    review.history.length
      ? el(
          'ol',
          { class: 'history', id: 'review-history' },
          review.history.map((r) =>
            el(
              'li',
              {},
              `${fmtTime(r.decidedAt, ctx.lang)} ${r.decidedBy} · ${t.reviewDecisions[r.decision]}: ${place(r.before, ctx)} → ${place(r.after, ctx)}`,
              r.reason ? el('div', { class: 'muted' }, r.reason) : null,
            ),
          ),
        )
      : el('p', { class: 'muted' }, t.noReviews),
  ];
}

/** The account's scheduled follow-up calls (回访): the latest outcomes and the satisfaction trend. */
export function renderFollowUps(f, ctx, account) {
  const { t } = ctx;
  if (!f) return null;
  return [
    el('h3', { id: 'follow-ups-title' }, t.followUps, ' ', el('span', { class: 'flag' }, t.trends[f.trend])),
    account && ctx.can?.analytics
      ? el('button', { type: 'button', id: 'open-pack', onclick: () => ctx.openPack(account) }, t.openPack)
      : null,
    f.items.length
      ? el(
          'ul',
          { class: 'history', id: 'follow-ups' },
          f.items
            .slice(0, 6)
            .map((i) =>
              el(
                'li',
                {},
                `${fmtTime(i.at, ctx.lang)} ${i.contactName ?? ''} · ${t.dispositions[i.disposition] ?? i.disposition}`,
                i.satisfaction ? ` · ${t.satisfaction} ${i.satisfaction}` : '',
                i.notes ? el('div', { class: 'muted' }, i.notes) : null,
              ),
            ),
        )
      : el('p', { class: 'muted' }, t.noFollowUps),
  ];
}
