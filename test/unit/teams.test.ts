import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { TEAMS } from '#shared/accounts/teams.ts';

describe('the teams list', () => {
  it('names every team and service group the demo book routes to, in both languages, once', () => {
    const ids = TEAMS.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of DEMO_ACCOUNTS) {
      expect(ids).toContain(a.serviceGroup);
      if (a.dedicatedTeam) expect(ids).toContain(a.dedicatedTeam);
    }
    for (const t of TEAMS) {
      expect(t.name['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(t.name.en).toMatch(/^[A-Z]/);
    }
  });
});
