import { type AccountWithContacts, callNumber, callZone } from '../accounts/model.ts';
import type { Accounts } from '../accounts/service.ts';
import { poolMap } from '../platform/pool.ts';
import { countReasons } from './campaign.ts';
import { callBlocker } from './consent.ts';
import type { Audience, CampaignType, Exclusion, Target } from './model.ts';

/** Whether an account matches a segment filter (an explicit account list always matches). */
export function matchesAudience(account: AccountWithContacts, a: Audience): boolean {
  if (a.accountIds?.includes(account.id)) return true;
  const hasFilter = Boolean(
    a.tiers?.length || a.segments?.length || a.regions?.length || a.quadrants?.length || a.tags?.length,
  );
  if (!hasFilter) return false;
  if (a.tiers?.length && !a.tiers.includes(account.derived.tier)) return false;
  if (a.segments?.length && !a.segments.includes(account.segment)) return false;
  if (a.quadrants?.length && !a.quadrants.includes(account.derived.reviewQuadrant)) return false;
  if (a.regions?.length && !account.regions.some((r) => a.regions?.includes(r))) return false;
  if (a.tags?.length && !account.tags.some((t) => a.tags?.includes(t))) return false;
  return true;
}

/**
 * The targets of a campaign and the contacts excluded, with the reason: the call rule
 * (campaigns/consent.ts) as it stands today, and contacts without a number. The dialer applies
 * the same rule again at the moment of each call. Key accounts come first, then by priority score.
 */
export function selectTargets(
  accounts: AccountWithContacts[],
  a: Audience,
  type: CampaignType,
): { targets: Target[]; excluded: Exclusion[] } {
  const targets: Target[] = [];
  const excluded: Exclusion[] = [];
  const ordered = accounts
    .filter((acc) => matchesAudience(acc, a))
    .sort((x, y) => y.derived.priorityScore - x.derived.priorityScore);
  for (const account of ordered) {
    let taken = false;
    for (const contact of account.contacts) {
      if (a.onePerAccount && taken) break;
      const phone = callNumber(contact);
      const reason = callBlocker(account, contact, { type }) ?? (phone ? undefined : 'no-phone');
      if (reason || !phone) {
        excluded.push({ accountId: account.id, contactId: contact.id, reason: reason ?? 'no-phone' });
        continue;
      }
      targets.push({
        account,
        contact,
        phone,
        timeZone: callZone(contact, account.timeZone, phone),
      });
      taken = true;
    }
  }
  return { targets, excluded };
}

/** Resolves an audience against the registry: the matching accounts with their contacts. */
export async function resolveAudience(accounts: Accounts, audience: Audience, type: CampaignType) {
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
  // Bounded: a whole book at once would queue a thousand requests behind the SDK's 50 sockets.
  const full = (await poolMap(candidates, 16, (a) => accounts.get(a.id))).filter((a) => a !== undefined);
  return selectTargets(full, audience, type);
}

/** The audience-size preview: targets, accounts, exclusions by reason, and a sample. */
export async function previewAudience(accounts: Accounts, audience: Audience, type: CampaignType) {
  const { targets, excluded } = await resolveAudience(accounts, audience, type);
  return {
    targets: targets.length,
    accounts: new Set(targets.map((t) => t.account.id)).size,
    excluded: countReasons(excluded),
    sample: targets.slice(0, 8).map((t) => ({
      accountName: t.account.name,
      contactName: t.contact.name,
      tier: t.account.derived.tier,
    })),
  };
}
