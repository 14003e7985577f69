import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type QueryCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { statsChange } from '../accounts/stats.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { outboxPut } from '../platform/dynamo/outbox.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import {
  createDroppingExisting,
  MAX_TRANSACTION_ITEMS,
  type Named,
  transactWrite,
} from '../platform/dynamo/transact.ts';
import type { BookingAccount } from './booking.ts';
import type { DelayDetected, TrackingEvent } from './delay.ts';
import { DEFAULT_DELAY_TOLERANCE_MINUTES, isOpenAndDelayed, type Shipment } from './model.ts';
import { watchdogDueAt } from './tracking.ts';

const open = (s: Shipment) => s.status !== 'delivered';

export const ShipmentEntity = entity<Shipment>({
  name: 'Shipment',
  keys: (s) => {
    // An open shipment is due for the watchdog when its next milestone or its promise is (tracking.ts).
    const due = watchdogDueAt(s);
    return {
      ...keys.shipment.item(s.waybill),
      ...keys.shipment.listing(
        s.accountId,
        open(s),
        open(s) ? s.promisedAt : (s.delivery?.deliveredAt ?? s.eta),
        s.waybill,
      ),
      ...(due ? keys.due.milestone(s.waybill, due) : {}),
    };
  },
  /** `delayed` is stored beside the shipment so that the next write knows whether the counter moves. */
  storedNames: ['delayed'],
});

/** What else a shipment write carries: the event applied, the announcement of a delay. */
export interface ShipmentWrite {
  event?: { e: TrackingEvent; receivedAt: string };
  announce?: { id: string; event: DelayDetected };
}

/**
 * Shipments, their tracking events and the account counters they move. A write is one
 * transaction: the shipment (guarded by the version it was read at, or by its absence), the event
 * item (a redelivered event cancels it), the DelayDetected outbox entry when a delay is new or
 * worse, and the account counter only when the shipment's open or delayed state changed.
 */
export class ShipmentRepo {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  async get(waybill: string, abortSignal?: AbortSignal): Promise<Shipment | undefined> {
    return (await this.getRaw(waybill, false, abortSignal))?.shipment;
  }

  /** The shipment as stored, with the delay flag its last write recorded. */
  async getRaw(waybill: string, consistent = true, abortSignal?: AbortSignal) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.shipment.item(waybill),
        ConsistentRead: consistent,
      }),
      { abortSignal },
    );
    return r.Item
      ? { shipment: ShipmentEntity.fromItem(r.Item), delayed: r.Item.delayed === true }
      : undefined;
  }

  /**
   * What a booking reads of the account (booking.ts): one GetItem of its profile, projected to the
   * profile copied on a shipment (no contacts). Undefined for an unknown account.
   */
  async bookingAccount(accountId: string): Promise<BookingAccount | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.account.profile(accountId),
        ProjectionExpression: 'id, #segment, delayToleranceMinutes, serviceLines, derived.tier',
        ExpressionAttributeNames: { '#segment': 'segment' },
      }),
    );
    const a = r.Item;
    if (!a) return undefined;
    return {
      id: String(a.id),
      segment: a.segment,
      delayToleranceMinutes: a.delayToleranceMinutes ?? DEFAULT_DELAY_TOLERANCE_MINUTES,
      serviceLines: a.serviceLines ?? [],
      derived: { tier: a.derived.tier },
    };
  }

  /**
   * Writes a shipment. `before` is what the write replaces (its version guards the write);
   * undefined creates it. Cancelled on a stale version (`shipment`) or a redelivered event (`event`).
   */
  async write(
    next: Shipment,
    before: { shipment: Shipment; delayed: boolean } | undefined,
    now: Date,
    w: ShipmentWrite = {},
  ): Promise<void> {
    const delayed = isOpenAndDelayed(next, now);
    const item = { ...ShipmentEntity.toItem(next), delayed };
    const dOpen = Number(open(next)) - Number(before ? open(before.shipment) : false);
    const dDelayed = Number(delayed) - Number(before?.delayed ?? false);
    const items: Named[] = [
      {
        name: 'shipment',
        Put: {
          TableName: this.tableName,
          Item: item,
          ...(before === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': before.shipment.version },
              }),
        },
      },
    ];
    const counter = statsChange(this.tableName, next.accountId, next.waybill, {
      inTransitShipments: dOpen,
      delayedShipments: dDelayed,
    });
    if (counter) items.push(counter);
    if (w.event) items.push(this.eventPut(w.event.e, w.event.receivedAt));
    if (w.announce) {
      const { id, event } = w.announce;
      items.push(
        outboxPut(
          this.tableName,
          id,
          {
            type: 'DelayDetected',
            subject: `Delay ${event.severity}: waybill ${event.waybill}`,
            payload: event,
            attributes: {
              accountId: event.accountId,
              tier: event.tier,
              severity: event.severity,
              segment: event.segment ?? 'other',
              stockOutRisk: String(event.stockOutRisk === true),
            },
          },
          now,
        ),
      );
    }
    await transactWrite(this.db, items);
  }

  /**
   * Creates many new shipments in transactions of up to a hundred items: each shipment on
   * condition that it does not exist, and each account counter shard it moves once, by the sum.
   * A shipment that exists is left as it is (its transaction is sent again without it). Answers
   * how many were created. For bulk loads (the demo book); the same items and counters as `write`.
   */
  async createMany(shipments: Shipment[], now: Date): Promise<number> {
    // Each pack's shipments and the counter shards they move fit in one transaction.
    const packs: Shipment[][] = [];
    let shards = new Set<string>();
    for (const s of shipments) {
      const shard = this.shardOf(s);
      const last = packs.at(-1);
      if (last && last.length + shards.size + (shards.has(shard) ? 0 : 1) <= MAX_TRANSACTION_ITEMS) {
        last.push(s);
      } else {
        packs.push([s]);
        shards = new Set();
      }
      shards.add(shard);
    }
    let created = 0;
    for (const pack of packs) {
      const r = await createDroppingExisting(
        this.db,
        pack,
        (s) => s.waybill,
        (left) => this.createItems(left, now),
      );
      created += r.created.length;
    }
    return created;
  }

  private shardOf(s: Shipment): string {
    return JSON.stringify(keys.stats.shardFor(s.accountId, s.waybill));
  }

  private createItems(pack: Shipment[], now: Date): Named[] {
    const shards = new Map<string, { accountId: string; waybill: string; open: number; delayed: number }>();
    const puts: Named[] = pack.map((s) => {
      const delayed = isOpenAndDelayed(s, now);
      const shard = this.shardOf(s);
      const sum = shards.get(shard) ?? { accountId: s.accountId, waybill: s.waybill, open: 0, delayed: 0 };
      sum.open += Number(open(s));
      sum.delayed += Number(delayed);
      shards.set(shard, sum);
      return {
        name: s.waybill,
        Put: {
          TableName: this.tableName,
          Item: { ...ShipmentEntity.toItem(s), delayed },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    });
    const counters = [...shards.values()].map((c) =>
      statsChange(this.tableName, c.accountId, c.waybill, {
        inTransitShipments: c.open,
        delayedShipments: c.delayed,
      }),
    );
    return [
      ...puts,
      ...counters.filter((c): c is Named => c !== undefined).map((c, i) => ({ ...c, name: `counter#${i}` })),
    ];
  }

  /** Keeps an event that changed nothing (older than the newest applied) as history; cancelled when redelivered. */
  async keepEvent(e: TrackingEvent, receivedAt: string): Promise<void> {
    await transactWrite(this.db, [this.eventPut(e, receivedAt)]);
  }

  /** Open shipments whose next milestone is overdue or whose promise ran out (the watchdog's read). */
  async stagnant(now: Date, limitPerShard = 100): Promise<Shipment[]> {
    const { items } = await queryDue(this.db, this.tableName, 'MILESTONE', { now, limitPerShard });
    return items.map((i) => ShipmentEntity.fromItem(i));
  }

  /**
   * Marks a detected delay as notified (conditional: only a detected delay of this severity). It
   * bumps the version, so a tracking event applied concurrently re-reads instead of writing the
   * delay back to detected.
   */
  async markNotified(waybill: string, severity: string, now: Date): Promise<void> {
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

  /** An account's open shipments (by promised time) or delivered ones since a time. */
  async listByAccount(accountId: string, which: 'open' | 'delivered', since?: string): Promise<Shipment[]> {
    const partition = keys.shipment.accountPartition(accountId);
    const input: QueryCommandInput =
      which === 'open'
        ? {
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :p)',
            ExpressionAttributeValues: { ':pk': partition, ':p': keys.shipment.openPrefix },
          }
        : {
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': partition,
              ':from': `${keys.shipment.deliveredPrefix}${since ?? ''}`,
              ':to': `${keys.shipment.deliveredPrefix}~`,
            },
          };
    return (await queryAll(this.db, input)).map((i) => ShipmentEntity.fromItem(i));
  }

  private eventPut(e: TrackingEvent, receivedAt: string): Named {
    return {
      name: 'event',
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.shipment.event(e.waybill, e.eventId),
          [ENTITY]: 'TrackingEvent',
          ...e,
          receivedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
