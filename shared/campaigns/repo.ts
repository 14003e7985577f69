import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { gsi1Partition, type Page, type PageRequest, queryPage } from '../platform/dynamo/query-page.ts';
import type { Named } from '../platform/dynamo/transact.ts';
import type { PurposeAtCall, ShipmentAtCall } from './call-moment.ts';
import { EMPTY_COUNTS } from './campaign.ts';
import type { Callback, Campaign, CampaignStatus, CountDeltas } from './model.ts';

export const CampaignEntity = entity<Campaign>({
  name: 'Campaign',
  keys: (c) => ({ ...keys.campaign.item(c.id), ...keys.campaign.listing(c.status, c.createdAt, c.id) }),
});

/** Campaigns: the campaign items with their live counters. Callbacks are in callback-repo.ts. */
export class CampaignRepo {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates a campaign; false when one with its id exists already. */
  async create(c: Campaign): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toStored(c),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async get(id: string): Promise<Campaign | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.campaign.item(id) }));
    return r.Item ? fromStored(r.Item) : undefined;
  }

  /**
   * What the moment of a call reads of its purpose, strongly consistent, beside the registry's read
   * (call-moment.ts): the campaign's status and, for a proactive delay call, its shipment's status
   * and delay state, each a GetItem projected to those, side by side. Plain reads, not in the
   * registry's TransactGetItems: the campaign item takes a transactional write with every dial and
   * outcome (its counters), which a transactional read would collide with.
   */
  async purposeAt(c: Pick<Callback, 'campaignId' | 'reason' | 'waybill'>): Promise<PurposeAtCall> {
    const read = (Key: Record<string, string>, ProjectionExpression: string, names: Record<string, string>) =>
      this.db
        .send(
          new GetCommand({
            TableName: this.tableName,
            Key,
            ProjectionExpression,
            ExpressionAttributeNames: names,
            ConsistentRead: true,
          }),
        )
        .then((r) => r.Item);
    const [campaign, shipment] = await Promise.all([
      read(keys.campaign.item(c.campaignId), '#status', { '#status': 'status' }),
      c.reason === 'delay-call' && c.waybill
        ? read(keys.shipment.item(c.waybill), '#status, #delay.#state', {
            '#status': 'status',
            '#delay': 'delay',
            '#state': 'state',
          })
        : undefined,
    ]);
    return {
      ...(campaign ? { campaignStatus: campaign.status as CampaignStatus } : {}),
      ...(shipment ? { shipment: shipment as ShipmentAtCall } : {}),
    };
  }

  /** Newest first; one status, or all. */
  async list(status?: CampaignStatus): Promise<Campaign[]> {
    return (await queryAll(this.db, this.listing(status))).map(fromStored);
  }

  /** One page of the list, newest first. */
  async page(status: CampaignStatus | undefined, req: PageRequest): Promise<Page<Campaign>> {
    const { items, next } = await queryPage(this.db, this.listing(status), req);
    return { items: items.map(fromStored), ...(next ? { next } : {}) };
  }

  private listing(status?: CampaignStatus) {
    const prefix = status ? keys.campaign.statusPrefix(status) : undefined;
    return gsi1Partition(this.tableName, keys.campaign.listPartition, prefix, true);
  }

  /**
   * Moves the status on, conditional on the status it was read in; false when it changed
   * meanwhile. A cancelled campaign enters the due index's SWEEP family, so the dialer ends its
   * waiting callbacks (which it no longer reads) and then takes it out.
   */
  async setStatus(c: Campaign, to: CampaignStatus, now: Date): Promise<boolean> {
    const sweep = to === 'cancelled' ? keys.due.sweep(c.id, now.toISOString()) : undefined;
    // A cancelled one started again (a standing campaign, see Campaigns.ensureStanding) leaves the sweep.
    const unsweep = c.status === 'cancelled' && to !== 'cancelled';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign.item(c.id),
          UpdateExpression: `SET #s = :to, gsi1sk = :l, updatedAt = :now, version = version + :one${sweep ? ', gsi2pk = :spk, gsi2sk = :ssk' : ''}${unsweep ? ' REMOVE gsi2pk, gsi2sk' : ''}`,
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':from': c.status,
            ':l': keys.campaign.listing(to, c.createdAt, c.id).gsi1sk,
            ':now': now.toISOString(),
            ':one': 1,
            ...(sweep ? { ':spk': sweep.gsi2pk, ':ssk': sweep.gsi2sk } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Cancelled campaigns whose waiting callbacks are still to be ended (all are due at once). */
  async toSweep(limit: number): Promise<string[]> {
    const { items } = await queryDue(this.db, this.tableName, 'SWEEP', { limitPerShard: limit });
    return items.slice(0, limit).map((i) => String(i.id));
  }

  /** A swept campaign leaves the SWEEP family. */
  async swept(campaignId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.campaign.item(campaignId),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      }),
    );
  }

  /** Moves a campaign's counters, inside the transaction of the callback change that moved them. */
  countsAdd(campaignId: string, adds: CountDeltas): Named | undefined {
    const { skippedBy, ...flat } = adds;
    const entries = [
      ...Object.entries(flat),
      ...Object.entries(skippedBy ?? {}).map(([reason, v]) => [`${SKIPPED_BY}${reason}`, v] as const),
    ].filter(([, v]) => v !== 0 && v !== undefined);
    if (entries.length === 0) return undefined;
    return {
      name: 'campaign',
      Update: {
        TableName: this.tableName,
        Key: keys.campaign.item(campaignId),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c.#k${i} :v${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#c': 'counts',
          ...Object.fromEntries(entries.map(([k], i) => [`#k${i}`, k])),
        },
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      },
    };
  }
}

/**
 * Skips by reason are stored as flat counters (`skipped:do-not-call`) beside the others, so an ADD
 * never needs a nested map to exist first; a read folds them back into `skippedBy`.
 */
const SKIPPED_BY = 'skipped:';

function fromStored(item: Record<string, unknown>): Campaign {
  const c = CampaignEntity.fromItem(item);
  const counts: Record<string, unknown> = { ...EMPTY_COUNTS, skippedBy: {} };
  const skippedBy: Record<string, number> = {};
  for (const [k, v] of Object.entries(c.counts ?? {})) {
    if (k.startsWith(SKIPPED_BY)) skippedBy[k.slice(SKIPPED_BY.length)] = Number(v);
    else if (k !== 'skippedBy') counts[k] = v;
  }
  return { ...c, counts: { ...(counts as Campaign['counts']), skippedBy } };
}

function toStored(c: Campaign): Record<string, unknown> {
  const { skippedBy, ...counts } = c.counts;
  return CampaignEntity.toItem({
    ...c,
    counts: {
      ...counts,
      ...Object.fromEntries(Object.entries(skippedBy ?? {}).map(([r, v]) => [`${SKIPPED_BY}${r}`, v])),
    } as Campaign['counts'],
  });
}
