/**
 * The agent's screen-pop card: a read model over the account, its contacts, shipments,
 * complaints and calls, with the next actions for the agent. Nothing here writes.
 */
import * as z from 'zod';
import { ChurnRisk } from '../accounts/churn.ts';
import { Contact } from '../accounts/model.ts';
import { RankedLine } from '../accounts/order-priority.ts';
import { TIERS } from '../accounts/prioritization.ts';
import { routingQueueOf } from '../accounts/routing.ts';
import type { Accounts } from '../accounts/service.ts';
import { AccountView, accountFor, reasonsFor } from '../accounts/visibility.ts';
import type { WeeklyAggregates } from '../analytics/aggregates.ts';
import { addWeeks, weekOf } from '../analytics/weeks.ts';
import { complaintMetrics, ServiceMetrics } from '../complaints/metrics.ts';
import { UNRESOLVED } from '../complaints/model.ts';
import type { Complaints } from '../complaints/service.ts';
import { byUrgency, ComplaintView, complaintView } from '../complaints/views.ts';
import { logger } from '../platform/observability/index.ts';
import type { Role } from '../platform/roles.ts';
import {
  delayOf,
  deliveryKpis,
  isOpenAndDelayed,
  lastMilestone,
  Party,
  type Shipment,
} from '../shipments/model.ts';
import { AUDIENCES, playbookOf } from '../shipments/playbooks.ts';
import { REMEDIES } from '../shipments/remedies.ts';
import type { Shipments } from '../shipments/service.ts';
import type { CallLog } from './directory.ts';
import { CallRecord } from './model.ts';
import { NextAction, nextActions } from './next-actions.ts';

export const ShipmentLine = z.object({
  waybill: z.string(),
  origin: z.string(),
  destination: z.string(),
  cargo: z.string().optional(),
  temperatureRange: z.string().optional(),
  status: z.string(),
  promisedAt: z.string(),
  eta: z.string(),
  delayed: z.boolean(),
  minutesLate: z.number(),
  delayReason: z.string(),
  exceptionReason: z.string().optional(),
  lastMilestone: z.string().optional(),
  lastLocation: z.string().optional(),
  lastScanAt: z.string().optional(),
  delayState: z.string().optional(),
  delaySeverity: z.string().optional(),
  /** The product line or lane and its order service priority among the account's lines. */
  serviceLine: RankedLine.optional(),
  carrier: Party.optional(),
  driver: Party.optional(),
  stockOutRisk: z.boolean().optional(),
  remedy: z
    .object({ code: z.enum(REMEDIES), note: z.string().optional(), by: z.string(), at: z.string() })
    .optional(),
  /** The industry playbook: the remedies to offer and who must hear of a delay. */
  playbook: z.object({ remedies: z.array(z.enum(REMEDIES)), tell: z.array(z.enum(AUDIENCES)) }).optional(),
});
export type ShipmentLine = z.output<typeof ShipmentLine>;

const Stats = z.object({
  openComplaints: z.number(),
  delayedShipments: z.number(),
  inTransitShipments: z.number(),
});
const Kpis = z.object({
  windowDays: z.number(),
  delivered: z.number(),
  onTimeRate: z.number().nullable(),
  fillRate: z.number().nullable(),
  undamagedRate: z.number().nullable(),
  rightDestinationRate: z.number().nullable(),
  paperworkRate: z.number().nullable(),
  errorFreeRate: z.number().nullable(),
  perfectOrderRate: z.number().nullable(),
});

export const ScreenPopCard = z
  .object({
    lookupStatus: z.enum(['ok', 'ambiguous', 'unknown']),
    phone: z.string().optional(),
    account: AccountView.optional(),
    routingQueue: z.string().optional(),
    contact: Contact.optional(),
    otherMatches: z.array(
      z.object({
        accountId: z.string(),
        accountName: z.string(),
        tier: z.enum(TIERS),
        contactName: z.string(),
        contactId: z.string(),
      }),
    ),
    stats: Stats.optional(),
    kpis: Kpis.optional(),
    openComplaints: z.object({ count: z.number(), items: z.array(ComplaintView) }),
    serviceMetrics: ServiceMetrics.optional(),
    shipments: z.array(ShipmentLine),
    recentCalls: z.array(CallRecord),
    actions: z.array(NextAction),
    churn: ChurnRisk.omit({ week: true })
      .optional()
      .meta({ description: "Today's churn risk and its reasons (the daily score, or an event's)" }),
  })
  .meta({ id: 'ScreenPopCard' });
export type ScreenPopCard = z.output<typeof ScreenPopCard>;

/** The card as `role` may see it: the account without its economics for agents and team leads. */
/** Whom else the number names: other accounts, else other contacts of this account, else nobody. */
function ambiguityOf(
  matches: { accountId: string; contactId: string }[],
  accountId: string,
): 'accounts' | 'contacts' | undefined {
  if (new Set(matches.map((m) => m.accountId)).size > 1) return 'accounts';
  const own = matches.filter((m) => m.accountId === accountId);
  return new Set(own.map((m) => m.contactId)).size > 1 ? 'contacts' : undefined;
}

export function cardFor(role: Role, card: ScreenPopCard): ScreenPopCard {
  const churn = card.churn ? { churn: { ...card.churn, reasons: reasonsFor(role, card.churn.reasons) } } : {};
  return card.account
    ? { ...card, account: accountFor(role, card.account), ...churn }
    : { ...card, ...churn };
}

export interface CardDeps {
  accounts: Accounts;
  /** The weekly aggregates, where today's churn score is kept (absent: no risk shown). */
  aggregates?: WeeklyAggregates;
  shipments: Shipments;
  calls: CallLog;
  complaints: Complaints;
}

const KPI_WINDOW_DAYS = 90;

/**
 * The weeks that hold the account's churn score: this one and the last. An extra on the card: a
 * read that fails (a throttled week's partition) shows no risk rather than failing the card.
 */
async function churnWeeks(deps: CardDeps, accountId: string, now: Date) {
  const thisWeek = weekOf(now);
  try {
    return await deps.aggregates?.accountWeeks([accountId], [thisWeek, addWeeks(thisWeek, -1)]);
  } catch (err) {
    logger.warn("screen-pop card: the account's churn risk could not be read", {
      accountId,
      error: err as Error,
    });
    return undefined;
  }
}

/** The full screen-pop card for an account (and, when known, the calling number). */
export async function accountCard(
  deps: CardDeps,
  accountId: string,
  phone: string | undefined,
  now = new Date(),
): Promise<ScreenPopCard | undefined> {
  const since = new Date(now.getTime() - KPI_WINDOW_DAYS * 86_400_000).toISOString();
  const [account, matches, open, delivered, stats, recentCalls, complaints, week] = await Promise.all([
    deps.accounts.get(accountId),
    phone ? deps.accounts.findByPhone(phone) : Promise.resolve([]),
    deps.shipments.listByAccount(accountId, 'open'),
    deps.shipments.listByAccount(accountId, 'delivered', since),
    deps.shipments.stats(accountId),
    // Enough lines that a day of our own dials does not hide the account's calls in (repeat calling).
    deps.calls.recent(accountId, 30),
    deps.complaints.listByAccount(accountId),
    churnWeeks(deps, accountId, now),
  ]);
  if (!account) return undefined;
  // Today's score, else the last one of last week (a week's first hours, before the daily run).
  const thisWeek = weekOf(now);
  const scored =
    week?.find((w) => w.week === thisWeek)?.churn ?? week?.find((w) => w.week !== thisWeek)?.churn;
  const churn = account.status === 'active' ? scored : undefined;
  const match = matches.find((m) => m.accountId === accountId);
  const contact = match ? account.contacts.find((c) => c.id === match.contactId) : undefined;
  const lines = open
    .map((s) => shipmentLine(s, now))
    // Late first; then by the line's order service priority (seed 002), then by how late.
    .sort(
      (a, b) =>
        Number(b.delayed) - Number(a.delayed) ||
        (a.serviceLine?.rank ?? 99) - (b.serviceLine?.rank ?? 99) ||
        b.minutesLate - a.minutesLate,
    );
  // On time by the account's own tolerance, as delay detection judges it.
  const kpis = { ...deliveryKpis(delivered, account.delayToleranceMinutes), windowDays: KPI_WINDOW_DAYS };
  // Several accounts, or several contacts of this one (a switchboard): the agent confirms who calls.
  const ambiguity = ambiguityOf(matches, accountId);
  const reopenWindow = deps.complaints.policy.reopenWindowMinutes;
  const openItems = complaints
    .filter((c) => c.status !== 'closed')
    .map((c) => complaintView(c, now, reopenWindow))
    .sort(byUrgency);
  const shipmentsInWindow = delivered.length + open.length;
  return {
    lookupStatus: ambiguity ? 'ambiguous' : 'ok',
    ...(phone ? { phone } : {}),
    account,
    routingQueue: routingQueueOf(account),
    ...(contact ? { contact } : {}),
    otherMatches: matches
      .filter((m) => m.accountId !== accountId || m.contactId !== match?.contactId)
      .map(({ accountId: id, accountName, tier, contactName, contactId }) => ({
        accountId: id,
        accountName,
        tier,
        contactName,
        contactId,
      })),
    // The delayed counter counts the lines the card shows delayed (the stored counter was
    // judged when each shipment was last written; a shipment runs late without a write).
    stats: { ...stats, delayedShipments: lines.filter((l) => l.delayed).length },
    kpis,
    openComplaints: { count: stats.openComplaints, items: openItems },
    serviceMetrics: {
      ...complaintMetrics(
        complaints.filter((c) => c.createdAt >= since),
        shipmentsInWindow,
      ),
      shipments: shipmentsInWindow,
    },
    shipments: lines,
    recentCalls: recentCalls.slice(0, 10),
    ...(churn ? { churn } : {}),
    actions: nextActions({
      tier: account.derived.tier,
      ambiguity,
      contactLanguage: contact?.language,
      doNotCall: contact?.doNotCall,
      onTimeCommitment: account.onTimeCommitment,
      onTimeRate: kpis.onTimeRate,
      openComplaints: openItems
        .filter((c) => UNRESOLVED.includes(c.status))
        .map((c) => ({
          slaState:
            c.sla.current === 'breached' ? 'breached' : c.sla.current === 'at-risk' ? 'at-risk' : 'on-track',
        })),
      delayedShipments: lines
        .filter((l) => l.delayed)
        .map((l) => ({
          waybill: l.waybill,
          minutesLate: l.minutesLate,
          exception: l.delayReason === 'exception',
        })),
      // Calls from the account: our own dials and skipped callbacks are no repeat calling.
      callsLast24h: recentCalls.filter(
        (c) => c.direction === 'inbound' && Date.parse(c.at) >= now.getTime() - 86_400_000,
      ).length,
    }),
  };
}

/** The card for a calling number: the highest-priority account it belongs to, or "unknown". */
export async function phoneCard(deps: CardDeps, phone: string, now = new Date()): Promise<ScreenPopCard> {
  const best = (await deps.accounts.findByPhone(phone))[0];
  if (!best) {
    return {
      lookupStatus: 'unknown',
      phone,
      otherMatches: [],
      openComplaints: { count: 0, items: [] },
      shipments: [],
      recentCalls: [],
      actions: [],
    };
  }
  const card = await accountCard(deps, best.accountId, phone, now);
  if (!card) throw new Error(`phone lookup points at a missing account ${best.accountId}`);
  return card;
}

function playbookLine(s: Shipment) {
  const p = playbookOf(s.segment);
  return { remedies: [...p.remedies], tell: [...p.tell] };
}

export function shipmentLine(s: Shipment, now: Date): ShipmentLine {
  const d = delayOf(s, now);
  const last = lastMilestone(s);
  return {
    waybill: s.waybill,
    origin: s.origin,
    destination: s.destination,
    ...(s.cargo ? { cargo: s.cargo } : {}),
    ...(s.temperatureRange ? { temperatureRange: s.temperatureRange } : {}),
    status: s.status,
    promisedAt: s.promisedAt,
    eta: s.eta,
    // The account's delayed counter's rule (isOpenAndDelayed): a delay the agent or a scan
    // cleared is back on schedule, one recorded without lateness (no scan) is delayed.
    delayed: isOpenAndDelayed(s, now),
    minutesLate: d.minutesLate,
    delayReason: d.reason,
    ...(d.exceptionReason ? { exceptionReason: d.exceptionReason } : {}),
    ...(last ? { lastMilestone: last.milestone, lastLocation: last.location, lastScanAt: last.at } : {}),
    ...(s.delay ? { delayState: s.delay.state, delaySeverity: s.delay.severity } : {}),
    ...(s.serviceLine ? { serviceLine: s.serviceLine } : {}),
    ...(s.carrier ? { carrier: s.carrier } : {}),
    ...(s.driver ? { driver: s.driver } : {}),
    ...(s.delay?.stockOutRisk ? { stockOutRisk: true } : {}),
    ...(s.delay?.remedy && s.delay.state !== 'cleared' ? { remedy: s.delay.remedy } : {}),
    ...(d.delayed ? { playbook: playbookLine(s) } : {}),
  };
}
