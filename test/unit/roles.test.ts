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
