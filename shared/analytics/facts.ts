/**
 * What a stored item adds to the weekly aggregates: the facts of the service (a shipment due, a
 * delivery on time or not, a complaint and its breach, a call, an alert, a follow-up score, a
 * callback's outcome), each with an id of its own so it counts once however often the item is
 * written or its stream record redelivered. Pure: an item's image in, facts out.
 */
import { DateTime } from 'luxon';
import type { Item } from '../platform/dynamo/entity.ts';
import { ENTITY } from '../platform/dynamo/keys.ts';
import { deliveryKpis, type Shipment } from '../shipments/model.ts';
import { regionOfNumber } from './regions.ts';
import { BOOK_ZONE, weekOf } from './weeks.ts';

/** The counters of an account's week. Dimensions are flat attributes: `hour_09`, `cat_damage`. */
export const COUNTERS = [
  'shipments',
  'delivered',
  /**
   * Shipments due this week still on the road past their promise plus tolerance: not on time
   * (nor perfect) from the moment that is known; their delivery takes them off. The on-time and
   * perfect-order rates are over `delivered + overdue`.
   */
  'overdue',
  'onTime',
  'perfect',
  'complaints',
  'breaches',
  'resolved',
  'resolvedInSla',
  'inboundCalls',
  /** Inbound calls that chose at least one IVR option (a call may choose several). */
  'reasonedCalls',
  'outboundDialed',
  'outboundReached',
  'contacts',
  'alerts',
  'followUps',
  'satisfactionSum',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** The dimension prefixes, and what each breaks down. */
export const DIMENSIONS = {
  hour: 'inbound calls by hour of day (book time)',
  from: 'inbound calls by where the number is from',
  cat: 'complaints by category',
  sev: 'complaints by severity',
  out: 'outbound calls by reason (campaign type)',
  alert: 'alerts sent by channel',
  cb: 'callback outcomes by disposition',
  reason: 'inbound calls by the IVR option chosen (tracking, complaint, callback)',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface Fact {
  /** Unique per fact: counted once. */
  id: string;
  accountId: string;
  week: string;
  add: Record<string, number>;
  /**
   * When the fact became known, where that may be after its week (a delivery, a passed promise,
   * a breach, all dated in an earlier week): the backtest reads a week as it was known then.
   */
  knownAt?: string;
}

/** The share of wallet an account's profile records, set (not added) on its week. */
export interface Snapshot {
  accountId: string;
  week: string;
  set: { shareOfWallet: number; tier: string; quadrant: string; status: string };
}

/** The facts that move a churn score: the aggregator rescores the accounts they touch. */
export const CHURN_FACTS = /^(delivered|overdue|complaint|breach|followup|complaint-followup)#/;

/** The entities whose items carry facts: the stream filter of the aggregator. */
export const FACT_ENTITIES = [
  'Shipment',
  'Complaint',
  'Call',
  'Notification',
  'AccountFollowUp',
  'Callback',
  'Account',
  'InboundCall',
] as const;

const dim = (d: Dimension, value: string) => `${d}_${value.replace(/[^A-Za-z0-9-]/g, '_')}`;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** The latest of some instants (ISO, any offset), as written. */
const latest = (...at: (string | undefined)[]) =>
  at
    .filter((x): x is string => x !== undefined)
    .reduce<string | undefined>(
      (a, b) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a),
      undefined,
    );

function shipmentFacts(s: Shipment): Fact[] {
  // The week of the promise first booked: a re-promise does not move facts counted once per id.
  const base = { accountId: s.accountId, week: weekOf(s.firstPromisedAt ?? s.promisedAt) };
  const facts: Fact[] = [{ ...base, id: `ship#${s.waybill}`, add: { shipments: 1 } }];
  // Seen open past its promise (a scan or the watchdog, once): not on time in its promise week
  // from then on. A delivered image still carries it, so its delivery takes it off again whichever
  // of the two facts is counted first.
  if (s.overdueAt)
    facts.push({ ...base, id: `overdue#${s.waybill}`, add: { overdue: 1 }, knownAt: s.overdueAt });
  if (s.status === 'delivered' && s.delivery) {
    const k = deliveryKpis([s]);
    // Known when Keyline learnt of the delivery: the write that recorded it (a feed behind reports
    // a delivery after the scan's own time), never before the scan, nor before the overdue record
    // its `overdue: -1` takes off (the backtest would replay that week with a negative count).
    const knownAt = latest(s.delivery.deliveredAt, s.updatedAt, s.overdueAt) ?? s.delivery.deliveredAt;
    facts.push({
      ...base,
      id: `delivered#${s.waybill}`,
      add: {
        delivered: 1,
        ...(s.overdueAt ? { overdue: -1 } : {}),
        onTime: k.onTimeRate ?? 0,
        perfect: k.perfectOrderRate ?? 0,
      },
      knownAt,
    });
  }
  return facts;
}

function complaintFacts(c: Item, writtenAt?: string): Fact[] {
  const accountId = str(c.accountId);
  const id = str(c.id);
  const createdAt = str(c.createdAt);
  if (!accountId || !id || !createdAt) return [];
  const facts: Fact[] = [
    {
      id: `complaint#${id}`,
      accountId,
      week: weekOf(createdAt),
      add: {
        complaints: 1,
        [dim('cat', String(c.category))]: 1,
        [dim('sev', String(c.severity))]: 1,
      },
    },
  ];
  const due = str(c.resolveDueAt);
  const resolvedAt = str(c.resolvedAt);
  // When the item was last written: the escalation job's write at the breach carries no new
  // `updatedAt`, the stream record's own time does.
  const updated = [str(c.updatedAt), writtenAt]
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  const seenAt = resolvedAt ?? updated;
  if (due && seenAt && seenAt > due) {
    facts.push({ id: `breach#${id}`, accountId, week: weekOf(due), add: { breaches: 1 }, knownAt: seenAt });
  }
  // One resolution and one follow-up per resolution episode (the reopens before it); the first
  // keeps the id it had before episodes were counted. A reopened image still carries the follow-up
  // of the resolution the reopen withdrew: it belongs to the episode before.
  const reopens = typeof c.reopenCount === 'number' ? c.reopenCount : 0;
  const unresolved = !resolvedAt || !(c.status === 'resolved' || c.status === 'closed');
  const episode = (n: number) => (n > 0 ? `#${n}` : '');
  // The complaint's own follow-up call (回访 after resolution), with the client's score.
  const followUp = c.followUp as { score?: unknown; at?: unknown } | undefined;
  if (typeof followUp?.score === 'number' && typeof followUp.at === 'string') {
    facts.push({
      id: `complaint-followup#${id}${episode(Math.max(0, reopens - (unresolved ? 1 : 0)))}`,
      accountId,
      week: weekOf(followUp.at),
      add: { followUps: 1, satisfactionSum: followUp.score },
    });
  }
  // SLA compliance is the complaint's own view (model.ts slaView): its standing resolution against
  // its one resolution due time, which a reopen does not move. A reopen withdraws the resolution it
  // undid, in that resolution's week, from the time of the reopen.
  const withdrawn = str(c.reopenedFrom);
  if (due && withdrawn && reopens > 0)
    facts.push({
      id: `reopened#${id}${episode(reopens)}`,
      accountId,
      week: weekOf(withdrawn),
      add: { resolved: -1, resolvedInSla: withdrawn <= due ? -1 : 0 },
      ...(updated ? { knownAt: updated } : {}),
    });
  // A complaint reopened by the previous release (no `reopenedFrom`) keeps its first resolution.
  if (due && resolvedAt && !unresolved && (reopens === 0 || withdrawn))
    facts.push({
      id: `resolved#${id}${episode(reopens)}`,
      accountId,
      week: weekOf(resolvedAt),
      add: { resolved: 1, resolvedInSla: resolvedAt <= due ? 1 : 0 },
    });
  return facts;
}

function callFacts(c: Item): Fact[] {
  const accountId = str(c.accountId);
  const at = str(c.at);
  const ref = str(c.connectContactId) ?? str(c.callbackId);
  if (!accountId || !at || !ref) return [];
  const week = weekOf(at);
  if (c.direction === 'inbound') {
    const hour = DateTime.fromISO(at, { zone: BOOK_ZONE }).toFormat('HH');
    return [
      {
        id: `call#${ref}`,
        accountId,
        week,
        add: {
          inboundCalls: 1,
          contacts: 1,
          [dim('hour', hour)]: 1,
          [dim('from', regionOfNumber(String(c.e164)))]: 1,
        },
      },
    ];
  }
  if (c.outcome !== 'dialed') return [];
  const facts: Fact[] = [
    {
      id: `dial#${ref}`,
      accountId,
      week,
      add: { outboundDialed: 1, [dim('out', str(c.reason) ?? 'other')]: 1 },
    },
  ];
  if (c.result === 'connected' || c.result === 'completed')
    facts.push({ id: `reached#${ref}`, accountId, week, add: { outboundReached: 1, contacts: 1 } });
  return facts;
}

/**
 * The facts an item's new image carries (none for an entity that carries none); `writtenAt` is
 * when the image was written (the stream record's time), for facts no attribute dates.
 */
export function factsOf(item: Item, writtenAt?: string): Fact[] {
  switch (item[ENTITY]) {
    case 'Shipment':
      return shipmentFacts(item as unknown as Shipment);
    case 'Complaint':
      return complaintFacts(item, writtenAt);
    case 'Call':
      return callFacts(item);
    case 'Notification': {
      const [id, accountId, at] = [str(item.id), str(item.accountId), str(item.at)];
      // The daily report's outcome lines share the log (shipments/report.ts): no delay alert.
      if (item.kind === 'daily-report') return [];
      if (item.status !== 'sent' || !id || !accountId || !at) return [];
      return [
        {
          id: `alert#${id}`,
          accountId,
          week: weekOf(at),
          add: { alerts: 1, [dim('alert', String(item.channel))]: 1 },
        },
      ];
    }
    case 'AccountFollowUp': {
      const [id, accountId, at] = [str(item.callbackId), str(item.accountId), str(item.at)];
      if (!id || !accountId || !at || typeof item.satisfaction !== 'number') return [];
      return [
        {
          id: `followup#${id}`,
          accountId,
          week: weekOf(at),
          add: { followUps: 1, satisfactionSum: item.satisfaction },
        },
      ];
    }
    case 'InboundCall': {
      // The IVR options the caller chose, noted on the call's journal line (`reason_<option>`).
      const [id, accountId, at] = [str(item.contactId), str(item.accountId), str(item.at)];
      // One mark per option, and the call itself once however many it chose (a caller back at the
      // menu after the tracking prompt may press 2 for a complaint): "straight to an agent" is
      // inbound calls minus these calls, not minus the marks.
      if (!id || !accountId || !at) return [];
      const week = weekOf(at);
      const marks: Fact[] = Object.keys(item)
        .filter((k) => k.startsWith('reason_'))
        .map((k) => ({ id: `ivr#${id}#${k.slice(7)}`, accountId, week, add: { [k]: 1 } }));
      return marks.length ? [...marks, { id: `ivr#${id}`, accountId, week, add: { reasonedCalls: 1 } }] : [];
    }
    case 'Callback': {
      const [id, accountId, at] = [
        str(item.id),
        str(item.accountId),
        str(item.disposedAt) ?? str(item.completedAt),
      ];
      const disposition = str(item.disposition);
      if (!id || !accountId || !at || !disposition) return [];
      return [{ id: `callback#${id}`, accountId, week: weekOf(at), add: { [dim('cb', disposition)]: 1 } }];
    }
    default:
      return [];
  }
}

/** What an account's profile sets on its week: the share of wallet, the tier, the quadrant, the status. */
export function snapshotOf(item: Item): Snapshot | undefined {
  if (item[ENTITY] !== 'Account') return undefined;
  const economics = item.economics as { shareOfWallet?: unknown } | undefined;
  const derived = item.derived as { tier?: unknown; reviewQuadrant?: unknown } | undefined;
  const [accountId, at] = [str(item.id), str(item.updatedAt)];
  if (!accountId || !at || typeof economics?.shareOfWallet !== 'number') return undefined;
  return {
    accountId,
    week: weekOf(at),
    set: {
      shareOfWallet: economics.shareOfWallet,
      tier: String(derived?.tier ?? ''),
      quadrant: String(derived?.reviewQuadrant ?? ''),
      status: String(item.status ?? 'active'),
    },
  };
}
