import * as z from 'zod';
import { AccountId, SEGMENTS } from '../accounts/model.ts';
import { RankedLine } from '../accounts/order-priority.ts';
import { TIERS } from '../accounts/prioritization.ts';
import { worded } from '../platform/worded-patterns.ts';
import { REMEDIES } from './remedies.ts';

export const MILESTONES = [
  'picked-up',
  'departed',
  'arrived-at-hub',
  'customs',
  'out-for-delivery',
  'delivered',
  'exception',
] as const;
export type Milestone = (typeof MILESTONES)[number];
export const EXCEPTION_REASONS = [
  'accident',
  'weather',
  'vehicle-breakdown',
  'customs-hold',
  'address-issue',
  'damage',
  'loss',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];
export const SHIPMENT_STATUSES = ['in-transit', 'delivered', 'exception'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const Waybill = z
  .string()
  .regex(worded(/^[A-Z0-9]{6,20}$/, 'use 6–20 digits or capital letters', '应为 6–20 位数字或大写字母'))
  .meta({ id: 'Waybill', example: '7100012345' });

export const MilestoneEvent = z
  .object({
    milestone: z.enum(MILESTONES),
    at: z.iso.datetime({ offset: true }),
    location: z.string().trim().min(1).max(80),
    reason: z.enum(EXCEPTION_REASONS).optional(),
  })
  .meta({ id: 'MilestoneEvent' });
export type MilestoneEvent = z.output<typeof MilestoneEvent>;

/**
 * How the goods arrived, for the perfect order (seed 002: on time, complete, undamaged, at the
 * right destination, with complete and correct papers). `errorFree` is the last three at once;
 * deliveries recorded before the components were (November 2026) have only it.
 */
export const DeliveryOutcome = z.object({
  deliveredAt: z.iso.datetime({ offset: true }),
  complete: z.boolean(),
  errorFree: z.boolean(),
  undamaged: z.boolean().optional(),
  rightDestination: z.boolean().optional(),
  paperworkComplete: z.boolean().optional(),
  /** The proof of delivery's reference (a signed POD scan, an e-POD id). */
  podReference: z.string().optional(),
});
export type DeliveryOutcome = z.output<typeof DeliveryOutcome>;

export const DELAY_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type DelaySeverity = (typeof DELAY_SEVERITIES)[number];
export const DELAY_STATES = ['detected', 'notified', 'acknowledged', 'cleared'] as const;

/** A remedy customer service arranged for a delay. */
const Remedy = z.object({
  code: z.enum(REMEDIES),
  note: z.string().optional(),
  by: z.string(),
  at: z.string(),
});

/** A shipment's delay and where it stands: detected → notified → acknowledged → cleared. */
export const Delay = z.object({
  state: z.enum(DELAY_STATES),
  severity: z.enum(DELAY_SEVERITIES),
  trigger: z.string(),
  reason: z.string().optional(),
  minutesLate: z.number(),
  detectedAt: z.string(),
  /** The highest severity announced so far: the same severity never notifies twice. */
  announcedSeverity: z.enum(DELAY_SEVERITIES).optional(),
  clearedAt: z.string().optional(),
  /** The client may run out of stock (its industry's playbook): a critical one is called whatever the tier. */
  stockOutRisk: z.boolean().optional(),
  /** The remedy customer service arranged, from the playbook's list. */
  remedy: Remedy.optional(),
  /** Remedies arranged before the current one, newest first (at most ten). */
  earlierRemedies: z.array(Remedy).optional(),
});
export type Delay = z.output<typeof Delay>;

/** A carrier or driver: a name, and a number to reach them on the road. */
export const Party = z.object({
  name: z.string().trim().min(1).max(80),
  phone: z.string().trim().min(5).max(32).optional(),
});

export const Shipment = z
  .object({
    waybill: Waybill,
    accountId: AccountId,
    origin: z.string().trim().min(1).max(80),
    destination: z.string().trim().min(1).max(80),
    consignee: z.object({
      name: z.string().trim().min(1).max(120),
      address: z.string().trim().max(200).optional(),
    }),
    cargo: z.string().trim().max(120).optional(),
    /** The product line or lane, with its order service priority among the account's lines. */
    serviceLine: RankedLine.optional(),
    /** Who moves it, reachable while it is on the road (daily in-transit monitoring). */
    carrier: Party.optional(),
    driver: Party.optional(),
    temperatureRange: z.string().trim().max(20).optional(),
    promisedAt: z.iso.datetime({ offset: true }),
    eta: z.iso.datetime({ offset: true }),
    status: z.enum(SHIPMENT_STATUSES),
    /** Newest last; bounded so an item stays small. */
    milestones: z.array(MilestoneEvent).max(50),
    nextMilestoneDueAt: z.iso.datetime({ offset: true }).optional(),
    /** The account's tier and delay tolerance, copied on the shipment so detection needs no extra read. */
    tier: z.enum(TIERS).optional(),
    segment: z.enum(SEGMENTS).optional(),
    delayToleranceMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .optional(),
    /** When the TMS booked it or last re-promised it (registration): an older booking changes nothing. */
    /**
     * The promise it was first booked with, once a re-promise moved `promisedAt`: analytics counts a
     * shipment's facts in this promise's week, so a re-promise does not split them over two weeks.
     */
    firstPromisedAt: z.iso.datetime({ offset: true }).optional(),
    bookedAt: z.iso.datetime({ offset: true }).optional(),
    /** Time of the newest event applied: an older event never overwrites a newer state. */
    lastEventAt: z.iso.datetime({ offset: true }).optional(),
    delay: Delay.optional(),
    /**
     * When the shipment was first seen open past its promise plus tolerance (a scan or the
     * watchdog): from then on it counts as not on time in its promise week, before it arrives.
     */
    overdueAt: z.iso.datetime({ offset: true }).optional(),
    delivery: DeliveryOutcome.optional(),
    version: z.number().int().positive(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Shipment' });
export type Shipment = z.output<typeof Shipment>;

/** Minutes past the promise a shipment may run before it counts as late (account tolerance). */
export const DEFAULT_DELAY_TOLERANCE_MINUTES = 60;

export interface DelayView {
  delayed: boolean;
  /** Minutes the ETA (or, once past the promise, now) runs beyond the promised time. */
  minutesLate: number;
  reason: 'exception' | 'eta-beyond-promise' | 'overdue' | 'none';
  exceptionReason?: ExceptionReason;
}

export function lastMilestone(s: Pick<Shipment, 'milestones'>): MilestoneEvent | undefined {
  return s.milestones.at(-1);
}

/**
 * The delay flag of a shipment now. A delivered shipment is judged on its delivery time; an
 * open one is late when its last milestone is an exception, its ETA runs past the promise plus
 * tolerance, or the promise has passed without delivery. The tolerance is the one the account
 * copied onto the shipment unless given.
 */
export function delayOf(
  s: Shipment,
  now: Date,
  toleranceMinutes = s.delayToleranceMinutes ?? DEFAULT_DELAY_TOLERANCE_MINUTES,
): DelayView {
  const promised = Date.parse(s.promisedAt);
  const minutes = (t: number) => Math.max(0, Math.round((t - promised) / 60_000));
  if (s.status === 'delivered') {
    const at = Date.parse(s.delivery?.deliveredAt ?? s.eta);
    const late = minutes(at);
    return {
      delayed: late > toleranceMinutes,
      minutesLate: late,
      reason: late > toleranceMinutes ? 'overdue' : 'none',
    };
  }
  const last = lastMilestone(s);
  const etaLate = minutes(Date.parse(s.eta));
  const nowLate = minutes(now.getTime());
  const late = Math.max(etaLate, nowLate);
  if (last?.milestone === 'exception' || s.status === 'exception') {
    return {
      delayed: true,
      minutesLate: late,
      reason: 'exception',
      ...(last?.reason ? { exceptionReason: last.reason } : {}),
    };
  }
  if (etaLate > toleranceMinutes) return { delayed: true, minutesLate: late, reason: 'eta-beyond-promise' };
  if (nowLate > toleranceMinutes) return { delayed: true, minutesLate: late, reason: 'overdue' };
  return { delayed: false, minutesLate: 0, reason: 'none' };
}

/**
 * The moment an open shipment runs late for its promise: the first whole minute past the promise
 * plus tolerance (minutes late are whole minutes; late is more than the tolerance), from which
 * `delayOf` says `overdue`. The tolerance is the one the account copied onto the shipment.
 */
export function promiseRunsOutAt(
  s: Pick<Shipment, 'promisedAt' | 'delayToleranceMinutes'>,
  toleranceMinutes = s.delayToleranceMinutes ?? DEFAULT_DELAY_TOLERANCE_MINUTES,
): number {
  return Date.parse(s.promisedAt) + (toleranceMinutes + 1) * 60_000;
}

/** An open shipment with a delay not yet cleared, or (before any detection) running late now. */
export function isOpenAndDelayed(s: Shipment, now: Date): boolean {
  if (s.status === 'delivered') return false;
  return s.delay ? s.delay.state !== 'cleared' : delayOf(s, now).delayed;
}

/** The perfect-order KPIs (DESIGN §1): each component, and all of them at once. */
export const DeliveryKpis = z.object({
  /** Delivered shipments the figures are computed over. */
  delivered: z.number(),
  onTimeRate: z.number().nullable(),
  fillRate: z.number().nullable(),
  undamagedRate: z.number().nullable(),
  rightDestinationRate: z.number().nullable(),
  paperworkRate: z.number().nullable(),
  /** Undamaged, at the right destination and with complete papers. */
  errorFreeRate: z.number().nullable(),
  /** On time, complete and error-free at once. */
  perfectOrderRate: z.number().nullable(),
});
export type DeliveryKpis = z.output<typeof DeliveryKpis>;

/** A delivery's components; one recorded before they were has only `errorFree` to go by. */
const part = (d: DeliveryOutcome, k: 'undamaged' | 'rightDestination' | 'paperworkComplete') =>
  d[k] ?? d.errorFree;

export function deliveryKpis(
  delivered: Shipment[],
  toleranceMinutes = DEFAULT_DELAY_TOLERANCE_MINUTES,
): DeliveryKpis {
  const done = delivered.filter((s) => s.status === 'delivered' && s.delivery);
  if (done.length === 0)
    return {
      delivered: 0,
      onTimeRate: null,
      fillRate: null,
      undamagedRate: null,
      rightDestinationRate: null,
      paperworkRate: null,
      errorFreeRate: null,
      perfectOrderRate: null,
    };
  const rate = (pred: (d: DeliveryOutcome, s: Shipment) => boolean) =>
    Math.round((done.filter((s) => s.delivery && pred(s.delivery, s)).length / done.length) * 1000) / 1000;
  // The account's own tolerance, as delay detection uses it (a shipment may carry its own).
  const onTime = (s: Shipment) =>
    !delayOf(s, new Date(0), s.delayToleranceMinutes ?? toleranceMinutes).delayed;
  return {
    delivered: done.length,
    onTimeRate: rate((_d, s) => onTime(s)),
    fillRate: rate((d) => d.complete),
    undamagedRate: rate((d) => part(d, 'undamaged')),
    rightDestinationRate: rate((d) => part(d, 'rightDestination')),
    paperworkRate: rate((d) => part(d, 'paperworkComplete')),
    errorFreeRate: rate((d) => d.errorFree),
    perfectOrderRate: rate((d, s) => onTime(s) && d.complete && d.errorFree),
  };
}
