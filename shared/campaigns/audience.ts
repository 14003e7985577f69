import { type Audience, selectTargets } from '../domain/campaign.ts';
import type { AccountStore } from '../store/accounts.ts';

/** Resolves an audience against the registry: the matching accounts with their contacts. */
export async function resolveAudience(accounts: AccountStore, audience: Audience) {
  const listed = await accounts.list();
  const ids = new Set(audience.accountIds ?? []);
  const candidates = listed.filter(
    (a) =>
      ids.has(a.id) ||
      ((!audience.tiers?.length || audience.tiers.includes(a.tier)) &&
        (!audience.segments?.length || audience.segments.includes(a.segment)) &&
        (!audience.quadrants?.length || audience.quadrants.includes(a.reviewQuadrant)) &&
        (!audience.regions?.length || a.regions.some((r) => audience.regions?.includes(r)))),
  );
  const full = (await Promise.all(candidates.map((a) => accounts.get(a.id)))).filter((a) => a !== undefined);
  return selectTargets(full, audience);
}
