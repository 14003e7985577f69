import type * as z from 'zod';
import { ValidationError } from '#shared/platform/errors.ts';
import { fieldError } from '#shared/platform/messages/index.ts';
import type { Role } from '#shared/platform/roles.ts';
import { type Account, AccountEconomicsSchema, AccountWithContacts, Derived } from './model.ts';
import { AccountSummary } from './summary.ts';

/**
 * What of an account only key-account managers see: its economics and everything derived from
 * them (value, revenue, profit, margins, share-of-wallet position, CLV, the monitoring quadrant,
 * the rules' proposal), its credit, its strategic flag and its review. Agents and team leads see
 * the account's service side: tier, service mode, team, routing and priority.
 */
const MANAGER_ONLY_DERIVED = {
  expectedRevenue: true,
  marginRate: true,
  lifetimeValue: true,
  highValue: true,
  position: true,
  largeAccount: true,
  serviceModeReason: true,
  rules: true,
  costToServe: true,
  expectedProfit: true,
  breakEvenRevenue: true,
  targetRevenue: true,
  dedicatedTargetRevenue: true,
  largeAccountRevenue: true,
  reviewQuadrant: true,
  clv: true,
  // Tier base plus CLV and margin: an agent could read the economics back out of it.
  priorityScore: true,
} as const satisfies Partial<Record<keyof z.output<typeof Derived>, true>>;

const MANAGER_ONLY = ['economics', 'credit', 'strategic', 'review'] as const;

const managersOnly = <S extends z.ZodType>(s: S) =>
  s.optional().meta({ description: 'Key-account managers only' });

/** An account as the API returns it: economics present for managers, absent for other roles. */
export const AccountView = AccountWithContacts.extend({
  economics: managersOnly(AccountEconomicsSchema),
  derived: Derived.partial(MANAGER_ONLY_DERIVED).meta({
    id: 'DerivedView',
    description: 'Economic fields are present for key-account managers only',
  }),
}).meta({ id: 'AccountView' });

export const AccountSummaryView = AccountSummary.partial({
  largeAccount: true,
  reviewQuadrant: true,
  clv: true,
  priorityScore: true,
}).meta({
  id: 'AccountSummaryView',
  description:
    'largeAccount, reviewQuadrant, clv and priorityScore are present for key-account managers only',
});

export const seesEconomics = (role: Role) => role === 'account-manager';

/**
 * The account as `role` may see it. The type stays the caller's: an `AccountView` (where these
 * fields are optional) is what the routes declare.
 */
export function accountFor<A extends Pick<Account, 'derived'> | z.output<typeof AccountView>>(
  role: Role,
  account: A,
): A {
  if (seesEconomics(role)) return account;
  const out: Record<string, unknown> = { ...account };
  for (const k of MANAGER_ONLY) delete out[k];
  const derived: Record<string, unknown> = { ...account.derived };
  for (const k of Object.keys(MANAGER_ONLY_DERIVED)) delete derived[k];
  out.derived = derived;
  return out as A;
}

/** A listing's line as `role` may see it. */
export function summaryFor(role: Role, s: AccountSummary): z.output<typeof AccountSummaryView> {
  if (seesEconomics(role)) return s;
  const { largeAccount: _l, reviewQuadrant: _q, clv: _c, priorityScore: _p, ...rest } = s;
  return rest;
}

/** A campaign as `role` may see it: an audience chosen by quadrant says which accounts sit where. */
export function campaignFor<C extends { audience: { quadrants?: readonly string[] } }>(role: Role, c: C): C {
  if (seesEconomics(role) || !c.audience.quadrants) return c;
  const { quadrants: _q, ...audience } = c.audience;
  return { ...c, audience };
}

/** The churn reasons `role` may read: the share-of-wallet one speaks of the account's economics. */
export function reasonsFor<R extends { signal: string }>(role: Role, reasons: readonly R[]): R[] {
  return seesEconomics(role) ? [...reasons] : reasons.filter((r) => r.signal !== 'share-of-wallet');
}

/**
 * A campaign audience chosen by monitoring quadrant reveals the accounts' margins: only a manager
 * may choose by it.
 */
export function checkAudienceFor(role: Role, audience: { quadrants?: readonly string[] }): void {
  if (audience.quadrants?.length && !seesEconomics(role)) {
    throw new ValidationError([fieldError('body.audience.quadrants', 'audience.quadrants-managers-only')]);
  }
}
