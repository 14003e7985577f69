/** An account as the book's listing shows it. */
import * as z from 'zod';
import { type Account, AccountId, SEGMENTS } from './model.ts';
import { QUADRANTS, SERVICE_MODES, TIERS } from './prioritization.ts';

export const AccountSummary = z
  .object({
    id: AccountId,
    name: z.string(),
    nameEn: z.string().optional(),
    segment: z.enum(SEGMENTS),
    regions: z.array(z.string()),
    serviceGroup: z.string(),
    accountManager: z.string(),
    dedicatedRep: z.string().optional(),
    tier: z.enum(TIERS),
    serviceMode: z.enum(SERVICE_MODES),
    largeAccount: z.boolean(),
    reviewQuadrant: z.enum(QUADRANTS),
    priorityScore: z.number().int(),
    clv: z.number(),
    version: z.number().int(),
  })
  .meta({ id: 'AccountSummary' });
export type AccountSummary = z.output<typeof AccountSummary>;

/** An account as a listing shows it. */
export function summaryOf(a: Account): AccountSummary {
  return {
    id: a.id,
    name: a.name,
    ...(a.nameEn ? { nameEn: a.nameEn } : {}),
    segment: a.segment,
    regions: a.regions,
    serviceGroup: a.serviceGroup,
    accountManager: a.accountManager,
    ...(a.dedicatedRep ? { dedicatedRep: a.dedicatedRep } : {}),
    tier: a.derived.tier,
    serviceMode: a.derived.serviceMode,
    largeAccount: a.derived.largeAccount,
    reviewQuadrant: a.derived.reviewQuadrant,
    priorityScore: a.derived.priorityScore,
    clv: a.derived.clv,
    version: a.version,
  };
}
