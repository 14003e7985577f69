import { describe, expect, it } from 'vitest';
import { atLeast, capabilitiesOf, groupsOf, roleOf } from '#shared/platform/roles.ts';

describe('roles from the token’s groups', () => {
  it.each([
    // API Gateway's HTTP API flattens the array claim into one string.
    ['[account-managers]', ['account-managers']],
    ['[team-leads agents]', ['team-leads', 'agents']],
    [
      ['agents', 'team-leads'],
      ['agents', 'team-leads'],
    ],
    ['["team-leads","agents"]', ['team-leads', 'agents']],
    ['', []],
    [undefined, []],
    [42, []],
  ])('reads %j as %j', (claim, groups) => {
    expect(groupsOf(claim)).toEqual(groups);
  });

  it.each([
    [[], 'agent'],
    [['agents'], 'agent'],
    [['unknown-group'], 'agent'],
    [['agents', 'team-leads'], 'team-lead'],
    [['account-managers', 'agents'], 'account-manager'],
    [['team-leads', 'account-managers'], 'account-manager'],
  ] as const)('%j → %s: the highest group, and an agent without one', (groups, role) => {
    expect(roleOf(groups)).toBe(role);
  });

  it('orders the roles and says what each may see', () => {
    expect(atLeast('team-lead')).toEqual(['team-lead', 'account-manager']);
    expect(capabilitiesOf('agent')).toEqual({
      economics: false,
      portfolio: false,
      analytics: false,
      editAccounts: false,
    });
    expect(capabilitiesOf('team-lead')).toMatchObject({ economics: false, analytics: true });
    expect(capabilitiesOf('account-manager')).toEqual({
      economics: true,
      portfolio: true,
      analytics: true,
      editAccounts: true,
    });
  });
});

describe('what each role may read of an account', () => {
  it('keeps the share-of-wallet churn reason, a quadrant audience and the priority score for managers', async () => {
    const { campaignFor, reasonsFor, summaryFor } = await import('#shared/accounts/visibility.ts');
    const reasons = [
      { signal: 'volume', points: 30 },
      { signal: 'share-of-wallet', points: 10 },
    ];
    expect(reasonsFor('agent', reasons).map((r) => r.signal)).toEqual(['volume']);
    expect(reasonsFor('team-lead', reasons).map((r) => r.signal)).toEqual(['volume']);
    expect(reasonsFor('account-manager', reasons)).toHaveLength(2);
    const campaign = { id: 'c1', audience: { quadrants: ['remove'], tiers: ['key'] } };
    expect(campaignFor('team-lead', campaign).audience).toEqual({ tiers: ['key'] });
    expect(campaignFor('account-manager', campaign)).toBe(campaign);
    const summary: import('#shared/accounts/summary.ts').AccountSummary = {
      id: 'a',
      name: 'A',
      segment: 'fmcg',
      regions: ['华北'],
      serviceGroup: 'g',
      accountManager: 'm',
      tier: 'key',
      serviceMode: 'dedicated',
      largeAccount: true,
      reviewQuadrant: 'grow',
      priorityScore: 812,
      clv: 1e8,
      version: 1,
    };
    expect(Object.keys(summaryFor('agent', summary))).not.toContain('priorityScore');
    expect(summaryFor('account-manager', summary).priorityScore).toBe(812);
  });
});
