/**
 * The regular account review (seed 000, "Monitoring"): the review chart and the monitoring
 * quadrant propose each account's tier and service mode; a key-account manager accepts the
 * proposal or amends it with a reason; only the decision moves the account (tier, team, routing
 * and SLA), and every decision is kept. Pure: (account, command, now) → next account and record.
 */
import * as z from 'zod';
import { accept, type Decision, type FieldError, reject, ValidationError } from '../platform/errors.ts';
import { fieldError } from '../platform/messages/index.ts';
import { type Account, type AccountReviewState, DedicatedTeam } from './model.ts';
import {
  DEFAULT_POLICY,
  derivePrioritization,
  MODE_REASONS,
  type PrioritizationPolicy,
  QUADRANTS,
  SERVICE_MODES,
  type ServiceMode,
  TIERS,
  type Tier,
} from './prioritization.ts';
import { staleVersion } from './registry.ts';
import { routingQueueOf } from './routing.ts';
import { DEDICATED_TEAM_IDS } from './teams.ts';

/** What the manager must look at before accepting. */
export const REVIEW_CONFLICTS = ['key-in-remove', 'remove-from-list', 'no-dedicated-team'] as const;
export type ReviewConflict = (typeof REVIEW_CONFLICTS)[number];

const Place = {
  tier: z.enum(TIERS),
  serviceMode: z.enum(SERVICE_MODES),
  queue: z.string().meta({ description: 'The team (queue) that takes its calls' }),
};
export type ServicePlace = { tier: Tier; serviceMode: ServiceMode; queue: string };

export const ReviewProposal = z
  .object({
    ...Place,
    reason: z.enum(MODE_REASONS),
    quadrant: z.enum(QUADRANTS),
    chart: z
      .object({ contributionMeetsTarget: z.boolean(), potentialHigh: z.boolean(), strategic: z.boolean() })
      .meta({ description: "The review chart's three questions" }),
    conflicts: z.array(z.enum(REVIEW_CONFLICTS)),
    current: z
      .object({ ...Place, source: z.enum(['review', 'rules']) })
      .meta({ description: 'What is in force now, and whether a review or the rules put it there' }),
    changes: z.array(z.enum(['tier', 'serviceMode', 'queue'])),
    nextReviewDue: z.string(),
    due: z.boolean(),
  })
  .meta({ id: 'ReviewProposal' });
export type ReviewProposal = z.output<typeof ReviewProposal>;
export type ReviewChart = ReviewProposal['chart'];

/** When an account is next due: its last review's date, or at once if it was never reviewed. */
export function nextReviewDue(a: Pick<Account, 'review' | 'createdAt'>): string {
  return a.review?.nextReviewDue ?? a.createdAt;
}

/**
 * The proposal: the rules' tier and mode (value × position, the serving decision), then the review
 * chart: a dedicated team stays only where the contribution meets its target, the potential is
 * high, or the account is of strategic value for others; otherwise a shared team. Conflicts are
 * flagged, not resolved: a key account the quadrant would remove, a remove candidate still given
 * a team, a dedicated service with no team named.
 */
export function proposeReview(
  a: Account,
  now: Date,
  policy: PrioritizationPolicy = DEFAULT_POLICY,
): ReviewProposal {
  const rules = a.derived.rules;
  const e = a.economics;
  const chart: ReviewChart = {
    contributionMeetsTarget: e.currentMargin >= (e.contributionTarget ?? policy.defaultContributionTarget),
    potentialHigh: e.potentialMargin >= policy.highPotentialMargin,
    strategic: a.strategic !== undefined,
  };
  let serviceMode = rules.serviceMode;
  let reason = rules.reason;
  if (
    serviceMode === 'dedicated' &&
    !chart.contributionMeetsTarget &&
    !chart.potentialHigh &&
    !chart.strategic
  ) {
    serviceMode = 'shared';
    reason = 'review-chart';
  }
  const quadrant = a.derived.reviewQuadrant;
  const conflicts: ReviewConflict[] = [];
  if (quadrant === 'remove' && rules.tier === 'key') conflicts.push('key-in-remove');
  else if (quadrant === 'remove' && (serviceMode === 'dedicated' || serviceMode === 'shared'))
    conflicts.push('remove-from-list');
  if (serviceMode === 'dedicated' && !a.dedicatedTeam) conflicts.push('no-dedicated-team');
  const queue = routingQueueOf({ ...a, derived: { serviceMode } });
  const current = {
    tier: a.derived.tier,
    serviceMode: a.derived.serviceMode,
    queue: routingQueueOf(a),
    source: a.review ? ('review' as const) : ('rules' as const),
  };
  const changes = (['tier', 'serviceMode', 'queue'] as const).filter(
    (k) => current[k] !== { tier: rules.tier, serviceMode, queue }[k],
  );
  const due = nextReviewDue(a);
  return {
    tier: rules.tier,
    serviceMode,
    queue,
    reason,
    quadrant,
    chart,
    conflicts,
    current,
    changes,
    nextReviewDue: due,
    due: due <= now.toISOString(),
  };
}

/** A manager's decision on the proposal. */
export const ReviewCommand = z
  .object({
    version: z
      .number()
      .int()
      .positive()
      .meta({ description: 'The account version the proposal was read at' }),
    decision: z.enum(['accept', 'amend']),
    tier: z.enum(TIERS).optional(),
    serviceMode: z.enum(SERVICE_MODES).optional(),
    dedicatedTeam: DedicatedTeam.optional(),
    reason: z.string().trim().min(3).max(500).optional(),
  })
  .meta({ id: 'ReviewCommand' });
export type ReviewCommand = z.output<typeof ReviewCommand>;

/** One decision, kept in the account's history. */
export const ReviewRecord = z
  .object({
    id: z.string(),
    accountId: z.string(),
    decision: z.enum(['accepted', 'amended']),
    decidedAt: z.string(),
    decidedBy: z.string(),
    reason: z.string().optional(),
    proposal: ReviewProposal.pick({
      tier: true,
      serviceMode: true,
      queue: true,
      reason: true,
      quadrant: true,
      conflicts: true,
    }),
    before: z.object(Place),
    after: z.object({ ...Place, dedicatedTeam: z.string().optional() }),
    version: z.number().int().meta({ description: 'The account version the decision produced' }),
  })
  .meta({ id: 'ReviewRecord' });
export type ReviewRecord = z.output<typeof ReviewRecord>;

export interface ReviewContext {
  now: Date;
  by: string;
  id: string;
  policy?: PrioritizationPolicy;
}

/**
 * Applies a decision: the tier and mode it sets hold until the next review (quarterly by
 * default), the team named for a dedicated service becomes the account's, and the routing follows.
 */
export function decideReview(
  a: Account,
  cmd: ReviewCommand,
  ctx: ReviewContext,
): Decision<{ account: Account; record: ReviewRecord }> {
  if (cmd.version !== a.version) return reject(staleVersion(a.id, cmd.version, a.version));
  const policy = ctx.policy ?? DEFAULT_POLICY;
  const proposal = proposeReview(a, ctx.now, policy);
  const amend = cmd.decision === 'amend';
  const tier = (amend && cmd.tier) || proposal.tier;
  const serviceMode = (amend && cmd.serviceMode) || proposal.serviceMode;
  const dedicatedTeam = cmd.dedicatedTeam ?? a.dedicatedTeam;
  const issues: FieldError[] = [];
  if (!amend && (cmd.tier || cmd.serviceMode)) issues.push(fieldError('decision', 'review.accept-as-is'));
  if (amend && !cmd.tier && !cmd.serviceMode && !cmd.dedicatedTeam)
    issues.push(fieldError('decision', 'review.amend-changes-nothing'));
  if (amend && !cmd.reason) issues.push(fieldError('reason', 'review.amend-needs-reason'));
  if (!amend && proposal.conflicts.length > 0 && !cmd.reason)
    issues.push(fieldError('reason', 'review.conflicts-need-reason', { conflicts: proposal.conflicts }));
  if (cmd.dedicatedTeam && serviceMode !== 'dedicated')
    issues.push(fieldError('dedicatedTeam', 'review.team-only-dedicated'));
  if (serviceMode === 'dedicated' && !dedicatedTeam)
    issues.push(
      fieldError('dedicatedTeam', 'review.dedicated-needs-team', { teams: [...DEDICATED_TEAM_IDS] }),
    );
  if (issues.length > 0) return reject(new ValidationError(issues));
  const decidedAt = ctx.now.toISOString();
  const review: AccountReviewState = {
    id: ctx.id,
    decision: amend ? 'amended' : 'accepted',
    tier,
    serviceMode,
    decidedAt,
    decidedBy: ctx.by,
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    nextReviewDue: new Date(ctx.now.getTime() + policy.reviewIntervalDays * 86_400_000).toISOString(),
  };
  const derived = derivePrioritization(
    a.economics,
    { strategic: a.strategic !== undefined, decided: review },
    policy,
  );
  // A dedicated service keeps (or gets) its team; any other mode releases it.
  const { dedicatedTeam: _released, ...rest } = a;
  const account: Account = {
    ...rest,
    ...(serviceMode === 'dedicated' && dedicatedTeam ? { dedicatedTeam } : {}),
    review,
    derived,
    version: a.version + 1,
    updatedAt: decidedAt,
  };
  const record: ReviewRecord = {
    id: ctx.id,
    accountId: a.id,
    decision: review.decision,
    decidedAt,
    decidedBy: ctx.by,
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    proposal: {
      tier: proposal.tier,
      serviceMode: proposal.serviceMode,
      queue: proposal.queue,
      reason: proposal.reason,
      quadrant: proposal.quadrant,
      conflicts: proposal.conflicts,
    },
    before: {
      tier: proposal.current.tier,
      serviceMode: proposal.current.serviceMode,
      queue: proposal.current.queue,
    },
    after: {
      tier,
      serviceMode,
      queue: routingQueueOf(account),
      ...(account.dedicatedTeam ? { dedicatedTeam: account.dedicatedTeam } : {}),
    },
    version: account.version,
  };
  return accept({ account, record });
}
