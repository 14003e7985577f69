/**
 * Shipment registration (booking), pure: the TMS tells Keyline of a shipment it booked (waybill,
 * account, lane, consignee, promise) before or beside its first scan. A new waybill becomes an
 * in-transit shipment with the account's tier, segment, delay tolerance and ranked service line
 * copied on it (`shipmentProfile`, the one derivation the demo loader uses too); a resend or a
 * re-promise of an open shipment updates the booking's fields and keeps what tracking recorded.
 */
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod';
import type { Account } from '../accounts/model.ts';
import { type RankedLine, rankOrderServicePriority } from '../accounts/order-priority.ts';
import { type FieldError, type Problem, ValidationError } from '../platform/errors.ts';
import { fieldError } from '../platform/messages/index.ts';
import { applyDetection, type Detection, detectDelay, Instant } from './delay.ts';
import { type DelaySeverity, Party, type Shipment, Shipment as ShipmentSchema, Waybill } from './model.ts';
import {
  datedOutOfBounds,
  expectedOutOfBounds,
  MAX_ETA_AFTER_SCAN_DAYS,
  MAX_ETA_BEFORE_SCAN_HOURS,
  MAX_SCAN_AGE_DAYS,
  MAX_SCAN_AHEAD_MINUTES,
} from './tracking.ts';

const S = ShipmentSchema.shape;

/** A booking as the HTTP route takes it: the waybill is the path's. */
export const ShipmentBookingBody = z
  .object({
    accountId: S.accountId,
    origin: S.origin,
    destination: S.destination,
    consignee: S.consignee,
    cargo: S.cargo,
    serviceLineId: z
      .string()
      .max(40)
      .optional()
      .meta({ description: "The id of one of the account's service lines (order service priority)" }),
    carrier: Party.optional(),
    driver: Party.optional(),
    temperatureRange: S.temperatureRange,
    // Kept as UTC instants, as tracking keeps its times: the promise orders the account's listing.
    promisedAt: Instant.meta({ description: 'The delivery time agreed with the client' }),
    eta: Instant.optional().meta({ description: 'Defaults to the promise' }),
    bookedAt: Instant.meta({ description: 'When the TMS booked (or re-promised) it' }),
  })
  .meta({ id: 'ShipmentBookingBody' });

export const ShipmentBooking = ShipmentBookingBody.extend({ waybill: Waybill }).meta({
  id: 'ShipmentBooking',
});
export type ShipmentBooking = z.output<typeof ShipmentBooking>;

/** What a booking reads of the account. */
export type BookingAccount = Pick<Account, 'id' | 'segment' | 'delayToleranceMinutes' | 'serviceLines'> & {
  derived: Pick<Account['derived'], 'tier'>;
};

/**
 * What a shipment copies of its account so that delay detection needs no extra read: the tier in
 * force, the segment (its playbook), the delay tolerance, and the account's service lines ranked
 * by order service priority (seed 002), the top-ranked first.
 */
export function shipmentProfile(a: Omit<BookingAccount, 'id'>) {
  return {
    profile: { tier: a.derived.tier, segment: a.segment, delayToleranceMinutes: a.delayToleranceMinutes },
    lines: rankOrderServicePriority(a.serviceLines).sort((x, y) => x.rank - y.rank) as RankedLine[],
  };
}

export type BookingOutcome =
  | { kind: 'created' | 'updated'; next: Shipment; detection?: Detection; announce?: DelaySeverity }
  | { kind: 'unchanged'; shipment: Shipment }
  | { kind: 'refused'; error: ValidationError };

/**
 * Why a booking's times are absurd, as tracking judges a scan's (tracking.ts `scanTimeRefused`,
 * its bounds): the booking dated ahead of its receipt or more than a year back, a promise or ETA
 * more than MAX_ETA_AFTER_SCAN_DAYS after the booking (2062 for 2026) or more than
 * MAX_ETA_BEFORE_SCAN_HOURS before it.
 */
export function bookingTimesRefused(b: ShipmentBooking, now: Date): FieldError[] {
  const receivedAt = now.toISOString();
  const dated = datedOutOfBounds(b.bookedAt, now);
  if (dated?.bound === 'ahead') {
    const p = { at: b.bookedAt, minutes: dated.minutes, receivedAt, max: MAX_SCAN_AHEAD_MINUTES };
    return [fieldError('bookedAt', 'booking.at-ahead', p)];
  }
  if (dated?.bound === 'too-old') {
    const p = { at: b.bookedAt, days: dated.days, receivedAt, max: MAX_SCAN_AGE_DAYS };
    return [fieldError('bookedAt', 'booking.at-too-old', p)];
  }
  const times = [['promisedAt', b.promisedAt] as const, ...(b.eta ? [['eta', b.eta] as const] : [])];
  return times.flatMap(([field, value]) => {
    const out = expectedOutOfBounds(value, b.bookedAt);
    if (out?.bound === 'too-far') {
      const p = { field, value, days: out.days, at: b.bookedAt, max: MAX_ETA_AFTER_SCAN_DAYS };
      return [fieldError(field, 'booking.time-too-far', p)];
    }
    if (out?.bound === 'before') {
      const p = { field, value, hours: out.hours, at: b.bookedAt, max: MAX_ETA_BEFORE_SCAN_HOURS };
      return [fieldError(field, 'booking.time-before', p)];
    }
    return [];
  });
}

/** The fields a booking sets on a shipment (an absent optional one is removed on an update). */
const BOOKED = [
  'origin',
  'destination',
  'consignee',
  'cargo',
  'serviceLine',
  'carrier',
  'driver',
  'temperatureRange',
  'promisedAt',
  'eta',
] as const;

/** The problem says the status: an unknown account 404; a waybill that is another's or delivered 409. */
const refused = (errors: FieldError[], problem?: Problem): BookingOutcome => ({
  kind: 'refused',
  error: new ValidationError(errors, 'The booking is refused', problem),
});

/**
 * The shipment a booking writes, or why not. New: in transit, no milestones, the account's
 * profile and the booked service line. Existing (the same account's, not delivered): the booking's
 * fields replace the booked ones; milestones, status, delay and the profile copied at creation
 * stay, and after a scan so do the ETA, carrier and driver tracking set. A booking older than the one applied, or one that changes nothing, is `unchanged`.
 */
export function book(
  existing: Shipment | undefined,
  b: ShipmentBooking,
  account: BookingAccount | undefined,
  now: Date,
): BookingOutcome {
  if (!account || account.id !== b.accountId)
    return refused(
      [fieldError('accountId', 'booking.account-unknown', { accountId: b.accountId })],
      'not-found',
    );
  if (existing && existing.accountId !== b.accountId)
    return refused(
      [fieldError('waybill', 'tracking.other-account', { waybill: b.waybill })],
      'already-exists',
    );
  const { profile, lines } = shipmentProfile(account);
  const serviceLine = b.serviceLineId === undefined ? undefined : lines.find((l) => l.id === b.serviceLineId);
  const errors = [
    ...(b.serviceLineId !== undefined && !serviceLine
      ? [
          fieldError('serviceLineId', 'booking.service-line-unknown', {
            id: b.serviceLineId,
            lines: lines.map((l) => l.id),
          }),
        ]
      : []),
    ...bookingTimesRefused(b, now),
  ];
  if (errors.length) return refused(errors);
  if (existing?.status === 'delivered')
    return refused(
      [fieldError('waybill', 'booking.delivered', { waybill: b.waybill })],
      'illegal-transition',
    );
  // Once a scan is applied, the ETA and who has the goods are tracking's news, newer than any
  // booking: a resend must not put back the planned ETA over a carrier's late one (hiding a delay).
  const scanned = existing?.lastEventAt !== undefined;
  const booked = {
    origin: b.origin,
    destination: b.destination,
    consignee: b.consignee,
    cargo: b.cargo,
    serviceLine,
    carrier: scanned ? (existing?.carrier ?? b.carrier) : b.carrier,
    driver: scanned ? (existing?.driver ?? b.driver) : b.driver,
    temperatureRange: b.temperatureRange,
    promisedAt: b.promisedAt,
    eta: scanned && existing ? existing.eta : (b.eta ?? b.promisedAt),
  };
  const defined = Object.fromEntries(Object.entries(booked).filter(([, v]) => v !== undefined));
  if (!existing) {
    const next: Shipment = {
      waybill: b.waybill,
      accountId: b.accountId,
      ...(defined as Pick<Shipment, 'origin' | 'destination' | 'consignee' | 'promisedAt' | 'eta'>),
      status: 'in-transit',
      milestones: [],
      ...profile,
      bookedAt: b.bookedAt,
      version: 1,
      updatedAt: now.toISOString(),
    };
    return { kind: 'created', next, ...detected(next, now) };
  }
  const older = existing.bookedAt !== undefined && Date.parse(b.bookedAt) < Date.parse(existing.bookedAt);
  const same = BOOKED.every((k) => isDeepStrictEqual(existing[k], booked[k]));
  if (older || same) return { kind: 'unchanged', shipment: existing };
  const next: Shipment = { ...existing };
  for (const k of BOOKED) delete next[k];
  // Analytics keeps counting it in the first promise's week (facts.ts).
  if (existing.promisedAt !== b.promisedAt) next.firstPromisedAt ??= existing.promisedAt;
  Object.assign(next, defined, {
    bookedAt: b.bookedAt,
    version: existing.version + 1,
    updatedAt: now.toISOString(),
  });
  return { kind: 'updated', next, ...detected(next, now) };
}

/**
 * A booking late already (its ETA past the promise, or a re-promise before tracking's ETA) is a
 * delay as a scan with that ETA would make it: recorded on `next` and announced when new or worse.
 * A booking never clears a delay (scans, delivery or the agent do).
 */
function detected(next: Shipment, now: Date): { detection?: Detection; announce?: DelaySeverity } {
  const detection = detectDelay(next, next.tier ?? 'loyal', now, next.delayToleranceMinutes);
  if (!detection.delayed) return {};
  const { delay, announce } = applyDetection(next.delay, detection, now);
  if (delay) next.delay = delay;
  return { detection, ...(announce ? { announce } : {}) };
}
