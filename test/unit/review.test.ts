/**
 * The account review: the proposal (the rules, then the review chart), the flagged conflicts,
 * and the decision that alone moves an account.
 */
import { describe, expect, it } from 'vitest';
import { type Account, AccountInput, buildAccount } from '#shared/accounts/model.ts';
import { planSave } from '#shared/accounts/registry.ts';
import { decideReview, proposeReview, type ReviewCommand } from '#shared/accounts/review.ts';
import { routingQueueOf } from '#shared/accounts/routing.ts';
import { lastBookedBy, satisfactionTrend } from '#shared/campaigns/follow-ups.ts';
import { quarterOf, quarterRange, reviewPack } from '#shared/complaints/review-pack.ts';
import { accountBody } from '../support/fixtures.ts';
// The refusals' words, as the HTTP layer and the import install them.
import '#shared/platform/plain-errors.ts';

const NOW = new Date('2026-11-27T02:00:00Z');
const account = (
  o: Parameters<typeof accountBody>[0] = {},
  e: Partial<ReturnType<typeof accountBody>['economics']> = {},
) => {
  const body = accountBody(o);
  return buildAccount(
    'acc-review',
    AccountInput.parse({ ...body, economics: { ...body.economics, ...e } }),
    3,
    NOW,
    '2026-01-05T00:00:00.000Z',
  );
};
const ctx = { now: NOW, by: '王经理', id: 'rev-1' };
const cmd = (o: Partial<ReviewCommand> = {}): ReviewCommand => ({ version: 3, decision: 'accept', ...o });

describe('the review proposal', () => {
  it('proposes what the rules say, changes nothing for an account already there, and is due when never reviewed', () => {
    const p = proposeReview(account({ dedicatedTeam: 'ka-grain-oil' }), NOW);
    expect(p).toMatchObject({
      tier: 'key',
      serviceMode: 'dedicated',
      queue: 'ka-grain-oil',
      reason: 'large-account',
      conflicts: [],
      changes: [],
      current: { source: 'rules' },
      due: true,
      nextReviewDue: '2026-01-05T00:00:00.000Z',
    });
  });

  it.each([
    // The review chart: a dedicated team stays where the contribution meets its target …
    [{}, { contributionTarget: 1_000_000, potentialMargin: 1_000_000 }, 'dedicated', 'large-account'],
    // … or the potential is high …
    [{}, { contributionTarget: 50_000_000, potentialMargin: 9_000_000 }, 'dedicated', 'large-account'],
    // … or the account is of strategic value for others;
    [
      { strategic: { reason: '行业标杆' } },
      { contributionTarget: 50_000_000, potentialMargin: 1_000_000 },
      'dedicated',
      'large-account',
    ],
    // otherwise a shared team.
    [{}, { contributionTarget: 50_000_000, potentialMargin: 1_000_000 }, 'shared', 'review-chart'],
  ] as const)('follows the review chart (%j, %j) → %s', (o, e, mode, reason) => {
    const p = proposeReview(account({ dedicatedTeam: 'ka-grain-oil', ...o }, e), NOW);
    expect(p).toMatchObject({ serviceMode: mode, reason });
  });

  it('flags a key account the monitoring quadrant would remove, and a dedicated service with no team', () => {
    // Strong and high value, so key; a thin margin under its target, so "remove".
    const thin = account(
      {},
      { currentMargin: 1_000_000, contributionTarget: 2_000_000, potentialMargin: 1_000_000 },
    );
    expect(thin.derived.reviewQuadrant).toBe('remove');
    expect(proposeReview(thin, NOW)).toMatchObject({ tier: 'key', conflicts: ['key-in-remove'] });
    expect(proposeReview(account({ dedicatedTeam: undefined }), NOW).conflicts).toEqual([
      'no-dedicated-team',
    ]);
  });
});

describe('the review decision', () => {
  it('accepting puts the proposal in force until the next quarter, and keeps the record', () => {
    const r = decideReview(account({ dedicatedTeam: 'ka-grain-oil' }), cmd(), ctx);
    if (!r.ok) throw r.error;
    expect(r.next.account).toMatchObject({
      version: 4,
      review: {
        id: 'rev-1',
        decision: 'accepted',
        tier: 'key',
        serviceMode: 'dedicated',
        decidedBy: '王经理',
        nextReviewDue: '2027-02-26T02:00:00.000Z',
      },
      derived: { tier: 'key', serviceMode: 'dedicated', serviceModeReason: 'review' },
    });
    expect(r.next.record).toMatchObject({
      accountId: 'acc-review',
      decision: 'accepted',
      before: { queue: 'ka-grain-oil' },
      after: { queue: 'ka-grain-oil' },
      version: 4,
    });
    expect(proposeReview(r.next.account, NOW)).toMatchObject({ due: false, current: { source: 'review' } });
  });

  it('an amendment moves the account, its team and its routing, with the reason kept', () => {
    const before = account({ dedicatedTeam: undefined, serviceGroup: 'fmcg-service' });
    expect(routingQueueOf(before)).toBe('fmcg-service');
    const r = decideReview(
      before,
      cmd({ decision: 'amend', dedicatedTeam: 'ka-fmcg-national', reason: '年度评审：指定快消大客户组' }),
      ctx,
    );
    if (!r.ok) throw r.error;
    expect(r.next.account.dedicatedTeam).toBe('ka-fmcg-national');
    expect(routingQueueOf(r.next.account)).toBe('ka-fmcg-national');
    expect(r.next.record).toMatchObject({
      decision: 'amended',
      reason: '年度评审：指定快消大客户组',
      before: { queue: 'fmcg-service' },
      after: { queue: 'ka-fmcg-national', dedicatedTeam: 'ka-fmcg-national' },
    });
    const shared = decideReview(
      account({ dedicatedTeam: 'ka-grain-oil' }),
      cmd({ decision: 'amend', tier: 'loyal', serviceMode: 'shared', reason: '份额下降，改共享团队' }),
      ctx,
    );
    if (!shared.ok) throw shared.error;
    expect(shared.next.account.derived).toMatchObject({
      tier: 'loyal',
      serviceMode: 'shared',
      routingPriority: 3,
    });
    expect(routingQueueOf(shared.next.account)).toBe('fmcg-service');
  });

  it.each([
    ['an amendment without its reason', cmd({ decision: 'amend', serviceMode: 'shared' }), 'reason'],
    ['an amendment that changes nothing', cmd({ decision: 'amend', reason: '没有变化' }), 'decision'],
    ['accepting with changes', cmd({ serviceMode: 'shared' }), 'decision'],
    [
      'a dedicated service with no team',
      cmd({ decision: 'amend', serviceMode: 'dedicated', reason: '重点培养' }),
      'dedicatedTeam',
    ],
  ] as const)('refuses %s, naming the field', (_name, c, path) => {
    const r = decideReview(account({ dedicatedTeam: undefined }), c, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(JSON.stringify(r.error)).toContain(`"path":"${path}"`);
  });

  it('wants a reason to accept a proposal with conflicts, and a current version', () => {
    const thin = account(
      { dedicatedTeam: 'ka-grain-oil' },
      { currentMargin: 1_000_000, contributionTarget: 2_000_000, potentialMargin: 1_000_000 },
    );
    expect(decideReview(thin, cmd(), ctx).ok).toBe(false);
    expect(decideReview(thin, cmd({ reason: '战略客户，下季度再评' }), ctx).ok).toBe(true);
    const stale = decideReview(thin, cmd({ version: 2, reason: 'x'.repeat(5) }), ctx);
    expect(stale.ok || stale.error.problem).toBe('version-conflict');
  });

  it('stays in force through later saves: new figures change what the rules say, not the account', () => {
    const r = decideReview(
      account({ dedicatedTeam: 'ka-grain-oil' }),
      cmd({ decision: 'amend', tier: 'loyal', serviceMode: 'shared', reason: '季度评审' }),
      ctx,
    );
    if (!r.ok) throw r.error;
    const current = { ...(r.next.account as Account), contacts: [] };
    const saved = planSave(current, 'acc-review', AccountInput.parse(accountBody({ version: 4 })), {
      now: NOW,
      newId: () => 'c-1',
    });
    if (!saved.ok) throw saved.error;
    expect(saved.next.account.derived).toMatchObject({
      tier: 'loyal',
      serviceMode: 'shared',
      rules: { tier: 'key', serviceMode: 'dedicated' },
    });
    expect(saved.next.account.review?.id).toBe('rev-1');
  });
});

describe('scheduled follow-ups (回访)', () => {
  it.each([
    [[], 'unknown'],
    [[5, 5, 5], 'unknown'],
    [[5, 5, 4, 3, 3, 4], 'rising'],
    [[2, 3, 2, 4, 5, 4], 'falling'],
    [[4, 4, 4, 4, 4, 5], 'steady'],
  ] as const)('the trend of %j (newest first) is %s', (scores, trend) => {
    expect(satisfactionTrend([...scores])).toBe(trend);
  });

  it('is due again `days` after the date of the last booking in Shanghai, whatever the hour of the run', () => {
    // 06:00 in Shanghai on 3 December, and 23:30 the same day: calls booked up to 3 November.
    expect(lastBookedBy(new Date('2026-12-02T22:00:00Z'), 30)).toBe('2026-11-03');
    expect(lastBookedBy(new Date('2026-12-03T15:30:00Z'), 30)).toBe('2026-11-03');
    // No fixed periods: the next morning the bound moves by a day, not by thirty.
    expect(lastBookedBy(new Date('2026-12-03T22:00:00Z'), 30)).toBe('2026-11-04');
  });
});

describe('what the review owns', () => {
  it('gives a team only to a dedicated service, and a decision for another mode releases it', () => {
    const a = account({ dedicatedTeam: 'ka-grain-oil' });
    const refused = decideReview(
      a,
      cmd({ decision: 'amend', serviceMode: 'shared', dedicatedTeam: 'ka-fmcg-national', reason: '改共享' }),
      ctx,
    );
    expect(refused.ok ? undefined : JSON.stringify(refused.error)).toContain('"path":"dedicatedTeam"');
    const shared = decideReview(
      a,
      cmd({ decision: 'amend', serviceMode: 'shared', reason: '改共享团队' }),
      ctx,
    );
    if (!shared.ok) throw shared.error;
    expect(shared.next.account.dedicatedTeam).toBeUndefined();
    expect(shared.next.record.after).toEqual({ tier: 'key', serviceMode: 'shared', queue: 'fmcg-service' });
  });

  it('keeps the reviewed team through a save that leaves it out, and refuses a team that does not exist', () => {
    const r = decideReview(account({ dedicatedTeam: 'ka-grain-oil' }), cmd(), ctx);
    if (!r.ok) throw r.error;
    const current = { ...(r.next.account as Account), contacts: [] };
    const input = AccountInput.parse(accountBody({ version: 4 }));
    expect(input.dedicatedTeam).toBeUndefined();
    const saved = planSave(current, 'acc-review', input, { now: NOW, newId: () => 'c-1' });
    if (!saved.ok) throw saved.error;
    expect(saved.next.account.dedicatedTeam).toBe('ka-grain-oil');
    const bogus = AccountInput.safeParse(accountBody({ dedicatedTeam: 'ka-bogus' }));
    expect(bogus.success).toBe(false);
    expect(bogus.error?.issues[0]?.message).toContain('must be a dedicated team');
  });
});

describe('the quarterly project review pack', () => {
  it('names quarters and their bounds', () => {
    expect(quarterOf(new Date('2026-11-27T02:00:00Z'))).toBe('2026-Q4');
    expect(quarterRange('2026-Q4')).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-12-31T23:59:59.999Z',
    });
    expect(quarterRange('2027-Q1').from).toBe('2027-01-01T00:00:00.000Z');
  });

  it('counts only the quarter, and lists open issues soonest first', () => {
    const complaint = (createdAt: string, status: string, resolveDueAt: string, category = 'delay') =>
      ({
        id: createdAt,
        reference: `R-${createdAt.slice(5, 10)}`,
        createdAt,
        status,
        category,
        severity: 'high',
        ackDueAt: createdAt,
        ackAtRiskAt: createdAt,
        acknowledgedAt: createdAt,
        resolveAtRiskAt: resolveDueAt,
        resolveDueAt,
      }) as never;
    const pack = reviewPack(
      {
        account: { id: 'acc-x', onTimeCommitment: 0.98, delayToleranceMinutes: 60 },
        quarter: '2026-Q4',
        delivered: [],
        open: [],
        complaints: [
          complaint('2026-10-05T00:00:00Z', 'open', '2026-12-20T00:00:00Z'),
          complaint('2026-11-20T00:00:00Z', 'in-progress', '2026-12-01T00:00:00Z', 'damage'),
          complaint('2026-07-01T00:00:00Z', 'closed', '2026-07-05T00:00:00Z'),
        ],
        followUps: [
          {
            accountId: 'acc-x',
            callbackId: 'a',
            at: '2026-11-01T00:00:00Z',
            disposition: 'reached',
            satisfaction: 4,
          },
          {
            accountId: 'acc-x',
            callbackId: 'b',
            at: '2026-08-01T00:00:00Z',
            disposition: 'reached',
            satisfaction: 2,
          },
        ],
      },
      NOW,
    );
    expect(pack.complaints).toMatchObject({
      total: 2,
      byCategory: { delay: 1, damage: 1 },
      bySeverity: { high: 2 },
    });
    expect(pack.openIssues.map((i) => i.ref)).toEqual(['R-11-20', 'R-10-05']);
    expect(pack.satisfaction).toEqual({ scores: [4], average: 4, trend: 'unknown' });
  });
});
