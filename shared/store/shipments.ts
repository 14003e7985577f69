import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type DelaySeverity,
  type Detection,
  detectDelay,
  severityRank,
  type TrackingEvent,
} from '../domain/delay.ts';
import { isOpenAndDelayed, type Shipment } from '../domain/shipment.ts';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { DUE_SHARDS, keys } from './keys.ts';
import { queryAll } from './query.ts';
import { type AccountStats, statsOf } from './stats.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Hours without a scan after which an in-transit shipment counts as stagnant. */
const STAGNATION_HOURS = 12;

export interface IngestResult {
  result: 'applied' | 'stale' | 'duplicate' | 'unknown-waybill' | 'wrong-account';
  shipment?: Shipment;
  /** A new or more severe delay, announced through the outbox. */
  announced?: DelaySeverity;
}

export type { AccountStats } from './stats.ts';

const ITEM_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'delayed'];

/**
 * Shipments, with the account's live counters kept in step: every write that changes whether a
 * shipment is open or delayed adjusts the account's STATS item in the same transaction.
 */
export class ShipmentStore {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async get(waybill: string, abortSignal?: AbortSignal): Promise<Shipment | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.shipment.item(waybill) }),
      { abortSignal },
    );
    return r.Item ? strip(r.Item) : undefined;
  }

  /** Writes a shipment; `expectedVersion` guards against a concurrent writer (undefined = create). */
  async put(
    shipment: Shipment,
    expectedVersion: number | undefined,
    now = new Date(),
    opts: { previous?: Record<string, unknown>; extra?: TransactItem[] } = {},
  ): Promise<void> {
    const previous =
      expectedVersion === undefined ? undefined : (opts.previous ?? (await this.getRaw(shipment.waybill)));
    const open = shipment.status !== 'delivered';
    const delayed = isOpenAndDelayed(shipment, now);
    const wasOpen = previous ? previous.status !== 'delivered' : false;
    const wasDelayed = previous ? previous.delayed === true : false;
    const sortTime = open ? shipment.promisedAt : (shipment.delivery?.deliveredAt ?? shipment.eta);
    const item = {
      ...keys.shipment.item(shipment.waybill),
      ...keys.shipment.listing(shipment.accountId, open, sortTime, shipment.waybill),
      ...(open && shipment.nextMilestoneDueAt
        ? keys.due.milestone(shipment.waybill, shipment.nextMilestoneDueAt)
        : {}),
      type: 'Shipment',
      delayed,
      ...shipment,
    };
    const dOpen = Number(open) - Number(wasOpen);
    const dDelayed = Number(delayed) - Number(wasDelayed);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: item,
                ...(expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: '#v = :v',
                      ExpressionAttributeNames: { '#v': 'version' },
                      ExpressionAttributeValues: { ':v': expectedVersion },
                    }),
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.stats(shipment.accountId),
                UpdateExpression:
                  'ADD inTransitShipments :o, delayedShipments :d SET #t = if_not_exists(#t, :type)',
                ExpressionAttributeNames: { '#t': 'type' },
                ExpressionAttributeValues: { ':o': dOpen, ':d': dDelayed, ':type': 'AccountStats' },
              },
            },
            ...(opts.extra ?? []),
          ],
        }),
      );
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        throw new ConflictError(`Shipment ${shipment.waybill} changed concurrently; reload and retry`);
      }
      throw err;
    }
  }

  /**
   * Applies a tracking event: idempotent per event id (the event item is written with
   * attribute_not_exists in the same transaction as the shipment), out-of-order safe (an event
   * older than the newest applied is kept as history only), and detecting delays. A new or more
   * severe delay writes a DelayDetected outbox entry in the same transaction, so the event is
   * published exactly when the state changed. Two DynamoDB requests for an ordinary scan.
   */
  async applyEvent(e: TrackingEvent, now = new Date()): Promise<IngestResult> {
    const raw = await this.getRaw(e.waybill);
    if (!raw) return { result: 'unknown-waybill' };
    const current = strip(raw);
    if (current.accountId !== e.accountId) return { result: 'wrong-account' };
    const eventItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.shipment.event(e.waybill, e.at, e.eventId),
          type: 'TrackingEvent',
          ...e,
          receivedAt: now.toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    if (current.lastEventAt && Date.parse(e.at) <= Date.parse(current.lastEventAt)) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [eventItem] }));
        return { result: 'stale', shipment: current };
      } catch (err) {
        if (err instanceof TransactionCanceledException) return { result: 'duplicate', shipment: current };
        throw err;
      }
    }
    const next: Shipment = {
      ...current,
      milestones: [
        ...current.milestones,
        { milestone: e.milestone, at: e.at, location: e.location, ...(e.reason ? { reason: e.reason } : {}) },
      ].slice(-50),
      status:
        e.milestone === 'delivered' ? 'delivered' : e.milestone === 'exception' ? 'exception' : 'in-transit',
      eta: e.carrierEta ?? current.eta,
      lastEventAt: e.at,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    if (e.milestone === 'delivered') {
      next.delivery = { deliveredAt: e.at, complete: true, errorFree: true };
      delete next.nextMilestoneDueAt;
    } else {
      next.nextMilestoneDueAt = new Date(Date.parse(e.at) + STAGNATION_HOURS * 3_600_000).toISOString();
    }
    const detection = detectDelay(next, next.tier ?? 'loyal', now, next.delayToleranceMinutes);
    const announce = this.applyDetection(current, next, detection, now);
    const extra: TransactItem[] = [eventItem];
    if (announce) extra.push(this.outboxPut(next, announce, detection, e.location, now));
    try {
      await this.put(next, current.version, now, { previous: raw, extra });
    } catch (err) {
      if (err instanceof ConflictError || err instanceof TransactionCanceledException) {
        const reasons = err instanceof TransactionCanceledException ? err.CancellationReasons : undefined;
        if (reasons?.[2]?.Code === 'ConditionalCheckFailed')
          return { result: 'duplicate', shipment: current };
        // A concurrent writer moved the shipment on: re-apply on the fresh state.
        return this.applyEvent(e, now);
      }
      throw err;
    }
    return { result: 'applied', shipment: next, ...(announce ? { announced: announce } : {}) };
  }

  /** Sets `next.delay` from a detection; answers the severity to announce when it is new or worse. */
  private applyDetection(
    current: Shipment,
    next: Shipment,
    detection: Detection,
    now: Date,
  ): DelaySeverity | undefined {
    const before = current.delay;
    if (detection.delayed && detection.severity) {
      const increased =
        severityRank(detection.severity) >
        severityRank(before?.state === 'cleared' ? undefined : before?.announcedSeverity);
      next.delay = {
        state: increased ? 'detected' : (before?.state ?? 'detected'),
        severity: detection.severity,
        trigger: detection.trigger,
        ...(detection.reason ? { reason: detection.reason } : {}),
        minutesLate: detection.minutesLate,
        detectedAt: increased || !before ? now.toISOString() : before.detectedAt,
        announcedSeverity: increased ? detection.severity : before?.announcedSeverity,
      };
      return increased ? detection.severity : undefined;
    }
    if (before && before.state !== 'cleared')
      next.delay = { ...before, state: 'cleared', clearedAt: now.toISOString() };
    return undefined;
  }

  /** The DelayDetected outbox entry, written in the same transaction as the shipment. */
  private outboxPut(
    next: Shipment,
    severity: DelaySeverity,
    detection: Detection,
    location: string,
    now: Date,
  ): TransactItem {
    const id = `${next.waybill}#${severity}`;
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.outbox.item(id),
          ...keys.due.outbox(id, now.toISOString()),
          type: 'Outbox',
          eventType: 'DelayDetected',
          waybill: next.waybill,
          accountId: next.accountId,
          tier: next.tier ?? 'loyal',
          segment: next.segment ?? 'other',
          severity,
          trigger: detection.trigger,
          ...(detection.reason ? { reason: detection.reason } : {}),
          minutesLate: detection.minutesLate,
          eta: next.eta,
          location,
          createdAt: now.toISOString(),
        },
      },
    };
  }

  /** In-transit shipments whose next milestone is overdue (the stagnation watchdog's read). */
  async stagnant(now: Date, limitPerShard = 100): Promise<Shipment[]> {
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
            ExpressionAttributeValues: {
              ':pk': keys.due.milestoneShard(shard),
              ':now': `${now.toISOString()}~`,
            },
            Limit: limitPerShard,
          }),
        ),
      ),
    );
    return pages.flatMap((p) => (p.Items ?? []).map(strip));
  }

  /**
   * The watchdog's check of one stagnant shipment: detects the delay (announcing it through the
   * outbox when it is new or worse) and moves the shipment's next check 6 hours on, so it is not
   * read again every run. Returns the severity announced, if any.
   */
  async checkStagnation(waybill: string, now = new Date()): Promise<DelaySeverity | undefined> {
    const raw = await this.getRaw(waybill);
    if (!raw) return undefined;
    const current = strip(raw);
    if (current.status === 'delivered') return undefined;
    // Only a shipment that is still overdue: a scan or an earlier run may have moved it on.
    if (!current.nextMilestoneDueAt || Date.parse(current.nextMilestoneDueAt) > now.getTime())
      return undefined;
    const next: Shipment = {
      ...current,
      nextMilestoneDueAt: new Date(now.getTime() + 6 * 3_600_000).toISOString(),
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    const detection = detectDelay(
      { ...current },
      current.tier ?? 'loyal',
      now,
      current.delayToleranceMinutes,
    );
    // The watchdog only raises delays; clearing is for scans, delivery or the agent.
    const announce = detection.delayed ? this.applyDetection(current, next, detection, now) : undefined;
    const extra: TransactItem[] = announce
      ? [this.outboxPut(next, announce, detection, current.milestones.at(-1)?.location ?? '', now)]
      : [];
    try {
      await this.put(next, current.version, now, { previous: raw, extra });
    } catch (err) {
      if (err instanceof ConflictError) return undefined; // a scan arrived meanwhile: it decides
      throw err;
    }
    return announce;
  }

  /**
   * Marks a detected delay as notified once its alerts went out (no-op in any other state). It
   * bumps the version, so a tracking event applied concurrently re-reads instead of writing the
   * delay back to detected.
   */
  async markNotified(waybill: string, severity: string, now = new Date()): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.shipment.item(waybill),
          UpdateExpression: 'SET #d.#s = :notified, #v = #v + :one, updatedAt = :now',
          ConditionExpression: '#d.#s = :detected AND #d.severity = :severity',
          ExpressionAttributeNames: { '#d': 'delay', '#s': 'state', '#v': 'version' },
          ExpressionAttributeValues: {
            ':notified': 'notified',
            ':detected': 'detected',
            ':severity': severity,
            ':one': 1,
            ':now': now.toISOString(),
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** Customer service acknowledges a detected delay, or clears it. */
  async updateDelay(waybill: string, action: 'acknowledge' | 'clear', now = new Date()): Promise<Shipment> {
    const raw = await this.getRaw(waybill);
    if (!raw) throw new NotFoundError('Shipment', waybill);
    const s = strip(raw);
    if (!s.delay || s.delay.state === 'cleared') {
      throw new AppError(409, 'illegal_transition', `Shipment ${waybill} has no open delay to ${action}`);
    }
    const delay =
      action === 'acknowledge'
        ? { ...s.delay, state: 'acknowledged' as const }
        : { ...s.delay, state: 'cleared' as const, clearedAt: now.toISOString() };
    const next: Shipment = { ...s, delay, version: s.version + 1, updatedAt: now.toISOString() };
    await this.put(next, s.version, now, { previous: raw });
    return next;
  }

  /** An account's open shipments (by promised time) or delivered ones since a time. */
  async listByAccount(accountId: string, which: 'open' | 'delivered', since?: string): Promise<Shipment[]> {
    const input: QueryCommandInput =
      which === 'open'
        ? {
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
            ExpressionAttributeValues: {
              ':pk': keys.shipment.accountPartition(accountId),
              ':p': keys.shipment.openPrefix,
            },
          }
        : {
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': keys.shipment.accountPartition(accountId),
              ':from': `${keys.shipment.deliveredPrefix}${since ?? ''}`,
              ':to': `${keys.shipment.deliveredPrefix}~`,
            },
          };
    return (await queryAll(this.db, input)).map(strip);
  }

  async stats(accountId: string): Promise<AccountStats> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.stats(accountId) }));
    return statsOf(r.Item);
  }

  private async getRaw(waybill: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.shipment.item(waybill), ConsistentRead: true }),
    );
    return r.Item;
  }
}

function strip(item: Record<string, unknown>): Shipment {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!ITEM_KEYS.includes(k)) out[k] = v;
  return out as unknown as Shipment;
}
