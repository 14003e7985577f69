import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { delayOf, type Shipment } from '../domain/shipment.ts';
import { ConflictError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { keys } from './keys.ts';
import { queryAll } from './query.ts';
import { type AccountStats, statsOf } from './stats.ts';

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
  async put(shipment: Shipment, expectedVersion: number | undefined, now = new Date()): Promise<void> {
    const previous = expectedVersion === undefined ? undefined : await this.getRaw(shipment.waybill);
    const open = shipment.status !== 'delivered';
    const delayed = open && delayOf(shipment, now).delayed;
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
