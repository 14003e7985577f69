import { type AccountStats, readStats } from '../accounts/stats.ts';
import { batchGet } from '../platform/dynamo/batch.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { TransactionCancelled } from '../platform/dynamo/transact.ts';
import { ConflictError, decided, NotFoundError } from '../platform/errors.ts';
import { retry } from '../platform/retry.ts';
import { book, type ShipmentBooking } from './booking.ts';
import { type DelayCommand, delayAction, delayDetected, type TrackingEvent } from './delay.ts';
import type { DelaySeverity, Shipment } from './model.ts';
import { ShipmentRepo } from './repo.ts';
import { applyScan, stagnationCheck } from './tracking.ts';

export interface IngestResult {
  result: 'applied' | 'stale' | 'duplicate' | 'unknown-waybill' | 'wrong-account';
  shipment?: Shipment;
  /** A new or more severe delay, announced through the outbox. */
  announced?: DelaySeverity;
}

/** What a booking did. */
export type BookingOutcomeKind = 'created' | 'updated' | 'unchanged';

/** A concurrent writer moved the shipment on: the event is applied again on the fresh state. */
class StaleShipment extends Error {}

/** Attempts at applying one event while other writers keep moving the shipment on. */
const APPLY_ATTEMPTS = 5;

/**
 * Checks failing in a row after which a watchdog run stops (DynamoDB down, say): the shipments
 * left stay in the due index for the next run.
 */
export const WATCHDOG_MAX_CONSECUTIVE_FAILURES = 5;

/** What one watchdog run did. */
export interface WatchdogRun {
  stagnant: number;
  announced: number;
  /** The waybills whose check failed; each stays due and is looked at again next run. */
  failed: string[];
  /** The run stopped after WATCHDOG_MAX_CONSECUTIVE_FAILURES checks failed in a row. */
  stopped: boolean;
}

/**
 * Shipments as the functions use them: tracking (tracking.ts) and the delay lifecycle
 * (delay.ts) decide, the repository writes each decision with its event, outbox entry and counters.
 */
export class Shipments {
  readonly repo: ShipmentRepo;

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {
    this.repo = new ShipmentRepo(db, tableName);
  }

  get(waybill: string, abortSignal?: AbortSignal): Promise<Shipment | undefined> {
    return this.repo.get(waybill, abortSignal);
  }

  /**
   * Whose each stored waybill is (waybill → accountId), in one BatchGetItem per 100 waybills
   * (projected to those two); an unknown waybill is absent from the answer.
   */
  async owners(waybills: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(waybills)];
    if (!unique.length) return new Map();
    const items = await batchGet(
      this.db,
      this.tableName,
      unique.map((w) => keys.shipment.item(w)),
      { projection: '#w, accountId', names: { '#w': 'waybill' } },
    );
    return new Map(items.map((i) => [String(i.waybill), String(i.accountId)]));
  }

  /** The shipment as it stands now (a strongly consistent read), for a rule checked at the act. */
  async current(waybill: string): Promise<Shipment | undefined> {
    return (await this.repo.getRaw(waybill, true))?.shipment;
  }

  /**
   * Registers a shipment the TMS booked (booking.ts): created, updated (a resend, a re-promise) or
   * unchanged; a refusal is thrown as the rule worded it. The write is guarded like a tracking
   * event's: a create by the waybill's absence, an update by the version read; a concurrent writer
   * makes it re-read and decide again, a bounded number of times.
   */
  async book(
    b: ShipmentBooking,
    now = new Date(),
  ): Promise<{ outcome: BookingOutcomeKind; shipment: Shipment }> {
    return retry(() => this.bookOnce(b, now), {
      attempts: APPLY_ATTEMPTS,
      baseDelayMs: 10,
      maxDelayMs: 200,
      retryIf: (err) => err instanceof StaleShipment,
    });
  }

  private async bookOnce(b: ShipmentBooking, now: Date) {
    const [before, account] = await Promise.all([
      this.repo.getRaw(b.waybill),
      this.repo.bookingAccount(b.accountId),
    ]);
    const d = book(before?.shipment, b, account, now);
    if (d.kind === 'refused') throw d.error;
    if (d.kind === 'unchanged') return { outcome: d.kind, shipment: d.shipment };
    // Late already: announced as a scan's delay is (booking.ts `detected`).
    const announce =
      d.announce && d.detection
        ? {
            id: keys.outbox.delayDetectedId(
              d.next.waybill,
              d.announce,
              d.next.delay?.detectedAt ?? now.toISOString(),
            ),
            event: delayDetected(d.next, d.announce, d.detection, d.next.origin, now),
          }
        : undefined;
    try {
      await this.repo.write(d.next, before, now, announce ? { announce } : {});
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      throw new StaleShipment(`shipment ${b.waybill} changed while it was booked`, { cause: err });
    }
    return { outcome: d.kind, shipment: d.next };
  }

  /** A new shipment as it is (tests); an existing waybill is refused. The TMS books through `book`. */
  async create(s: Shipment, now = new Date()): Promise<void> {
    await this.repo.write(s, undefined, now);
  }

  /** Creates the shipments that do not exist yet, in bulk; answers how many it created. */
  createMany(shipments: Shipment[], now = new Date()): Promise<number> {
    return this.repo.createMany(shipments, now);
  }

  listByAccount(accountId: string, which: 'open' | 'delivered', since?: string): Promise<Shipment[]> {
    return this.repo.listByAccount(accountId, which, since);
  }

  stats(accountId: string): Promise<AccountStats> {
    return readStats(this.db, this.tableName, accountId);
  }

  /**
   * Applies a tracking event: idempotent per event id, out-of-order safe (an older event, or one
   * after the delivery, is kept as history), detecting delays. Two DynamoDB requests for an ordinary scan. A concurrent
   * writer makes it re-read and re-apply, a bounded number of times.
   */
  async applyEvent(e: TrackingEvent, now = new Date()): Promise<IngestResult> {
    return retry(() => this.applyOnce(e, now), {
      attempts: APPLY_ATTEMPTS,
      baseDelayMs: 10,
      maxDelayMs: 200,
      retryIf: (err) => err instanceof StaleShipment,
    });
  }

  private async applyOnce(e: TrackingEvent, now: Date): Promise<IngestResult> {
    const before = await this.repo.getRaw(e.waybill);
    if (!before) return { result: 'unknown-waybill' };
    const current = before.shipment;
    if (current.accountId !== e.accountId) return { result: 'wrong-account' };
    const event = { e, receivedAt: now.toISOString() };
    const d = applyScan(current, e, now);
    try {
      if (d.kind === 'stale') {
        await this.repo.keepEvent(e, event.receivedAt);
        return { result: 'stale', shipment: current };
      }
      const announce = d.announce
        ? {
            id: keys.outbox.delayDetectedId(
              d.next.waybill,
              d.announce,
              d.next.delay?.detectedAt ?? now.toISOString(),
            ),
            event: delayDetected(d.next, d.announce, d.detection, e.location, now),
          }
        : undefined;
      await this.repo.write(d.next, before, now, { event, ...(announce ? { announce } : {}) });
      return { result: 'applied', shipment: d.next, ...(d.announce ? { announced: d.announce } : {}) };
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      if (err.failedOn('event')) return { result: 'duplicate', shipment: current };
      throw new StaleShipment(`shipment ${e.waybill} changed while the event was applied`, { cause: err });
    }
  }

  /** Open shipments whose next milestone is overdue or whose promise ran out (tracking.ts `watchdogDueAt`). */
  stagnant(now: Date, limitPerShard?: number): Promise<Shipment[]> {
    return this.repo.stagnant(now, limitPerShard);
  }

  /**
   * The watchdog's check of one shipment it found due: detects the delay (announcing it when new
   * or worse) and moves its next check on. Returns the severity announced, if any.
   */
  async checkStagnation(waybill: string, now = new Date()): Promise<DelaySeverity | undefined> {
    const before = await this.repo.getRaw(waybill);
    const d = before ? stagnationCheck(before.shipment, now) : undefined;
    if (!before || !d) return undefined;
    const location = before.shipment.milestones.at(-1)?.location ?? '';
    try {
      await this.repo.write(d.next, before, now, {
        ...(d.announce
          ? {
              announce: {
                id: keys.outbox.delayDetectedId(
                  waybill,
                  d.announce,
                  d.next.delay?.detectedAt ?? now.toISOString(),
                ),
                event: delayDetected(d.next, d.announce, d.detection, location, now),
              },
            }
          : {}),
      });
    } catch (err) {
      if (err instanceof TransactionCancelled) return undefined; // a scan arrived meanwhile: it decides
      throw err;
    }
    return d.announce;
  }

  /**
   * One run of the delay watchdog: every shipment found due is checked on its own, so one whose
   * check fails (told to `onFailure`) does not hold up the others; after
   * WATCHDOG_MAX_CONSECUTIVE_FAILURES failures in a row the run stops.
   */
  async watchdogRun(now: Date, onFailure: (waybill: string, err: unknown) => void): Promise<WatchdogRun> {
    const due = await this.stagnant(now);
    const run: WatchdogRun = { stagnant: due.length, announced: 0, failed: [], stopped: false };
    let inARow = 0;
    for (const { waybill } of due) {
      try {
        if (await this.checkStagnation(waybill, now)) run.announced++;
        inARow = 0;
      } catch (err) {
        run.failed.push(waybill);
        onFailure(waybill, err);
        if (++inARow >= WATCHDOG_MAX_CONSECUTIVE_FAILURES) {
          run.stopped = true;
          break;
        }
      }
    }
    return run;
  }

  /** A detected delay becomes notified once its alerts went out (no-op in any other state). */
  markNotified(waybill: string, severity: string, now = new Date()): Promise<void> {
    return this.repo.markNotified(waybill, severity, now);
  }

  /** Customer service acknowledges a detected delay, records its remedy, or clears it. */
  async updateDelay(waybill: string, cmd: DelayCommand, now = new Date()): Promise<Shipment> {
    const before = await this.repo.getRaw(waybill);
    if (!before) throw new NotFoundError('Shipment', waybill);
    const s = before.shipment;
    const { next: delay } = decided(delayAction(s, cmd, now));
    const next: Shipment = { ...s, delay, version: s.version + 1, updatedAt: now.toISOString() };
    try {
      await this.repo.write(next, before, now);
    } catch (err) {
      if (err instanceof TransactionCancelled) {
        throw new ConflictError(`Shipment ${waybill} changed meanwhile; reload it and try again`);
      }
      throw err;
    }
    return next;
  }
}
