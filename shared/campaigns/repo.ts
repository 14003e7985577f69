import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import type { Named } from '../platform/dynamo/transact.ts';
import type { Campaign, CampaignStatus, CountDeltas } from './model.ts';

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
          Item: CampaignEntity.toItem(c),
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
    return r.Item ? CampaignEntity.fromItem(r.Item) : undefined;
  }

  /** Newest first; one status, or all. */
  async list(status?: CampaignStatus): Promise<Campaign[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :s)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.campaign.listPartition,
        ...(status ? { ':s': keys.campaign.statusPrefix(status) } : {}),
      },
      ScanIndexForward: false,
    });
    return items.map((i) => CampaignEntity.fromItem(i));
  }

  /** Moves the status on, conditional on the status it was read in; false when it changed meanwhile. */
  async setStatus(c: Campaign, to: CampaignStatus, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.campaign.item(c.id),
          UpdateExpression: 'SET #s = :to, gsi1sk = :l, updatedAt = :now, version = version + :one',
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':from': c.status,
            ':l': keys.campaign.listing(to, c.createdAt, c.id).gsi1sk,
            ':now': now.toISOString(),
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Moves a campaign's counters, inside the transaction of the callback change that moved them. */
  countsAdd(campaignId: string, adds: CountDeltas): Named | undefined {
    const entries = Object.entries(adds).filter(([, v]) => v !== 0 && v !== undefined);
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
