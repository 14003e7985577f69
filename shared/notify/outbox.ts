import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { EventPublisher } from '../adapters/events.ts';
import type { AccountStore } from '../store/accounts.ts';
import type { CampaignStore } from '../store/campaigns.ts';
import type { DocumentClient } from '../store/client.ts';
import { DUE_SHARDS, keys } from '../store/keys.ts';
import type { DelayDetected } from './notifier.ts';

/**
 * Publishes the DelayDetected events waiting in the transactional outbox (written with the
 * shipment's state change), then removes each one. A crash between the two publishes again on
 * the next drain; subscribers are idempotent (the notifier's dedup keys, one proactive call per
 * waybill), so at-least-once is enough.
 */
export async function drainOutbox(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
): Promise<number> {
  let published = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    const r = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.due.outboxShard(shard) },
        Limit: 100,
      }),
    );
    for (const item of r.Items ?? []) {
      await publishItem(db, tableName, publisher, item);
      published++;
    }
  }
  return published;
}

async function publishItem(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
  item: Record<string, unknown>,
) {
  const { pk, sk, gsi2pk: _g, gsi2sk: _s, type: _t, eventType, ...payload } = item;
  const event = { type: eventType, ...payload } as DelayDetected & { segment?: string };
  await publisher.publish({
    type: 'DelayDetected',
    subject: `Delay ${event.severity}: waybill ${event.waybill}`,
    payload: event as unknown as Record<string, unknown>,
    attributes: {
      accountId: event.accountId,
      tier: event.tier,
      severity: event.severity,
      segment: event.segment ?? 'other',
    },
  });
  await db.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk } }));
}

/** Publishes one outbox entry as it arrives on the table's stream (a DynamoDB-JSON new image). */
export async function publishOutboxItem(
  db: DocumentClient,
  tableName: string,
  publisher: EventPublisher,
  image: Record<string, unknown>,
) {
  const item = unmarshall(image as never);
  if (item.type !== 'Outbox') return;
  await publishItem(db, tableName, publisher, item);
}

export const PROACTIVE_CAMPAIGN = 'proactive-delay-call';

/**
 * The proactive-call hook: a critical delay on a key account becomes a callback in the
 * "proactive delay call" campaign, once per waybill, so an agent calls before the client notices.
 */
export async function proactiveCall(
  db: DocumentClient,
  tableName: string,
  campaigns: CampaignStore,
  accounts: AccountStore,
  event: DelayDetected,
  now = new Date(),
): Promise<string | undefined> {
  if (event.severity !== 'critical' || event.tier !== 'key') return undefined;
  const guard = { pk: `PROACTIVE#${event.waybill}`, sk: 'CALL' };
  const existing = await db.send(new GetCommand({ TableName: tableName, Key: guard }));
  if (existing.Item) return String(existing.Item.callbackId);
  const account = await accounts.get(event.accountId);
  const contact = account?.contacts.find((c) => !c.doNotCall && c.consent.calls && c.phones.length > 0);
  const phone = contact?.phones.find((p) => p.label === 'mobile')?.e164 ?? contact?.phones[0]?.e164;
  if (!account || !contact || !phone) return undefined;
  const campaign = await campaigns.ensureStanding(PROACTIVE_CAMPAIGN, now);
  const callback = campaigns.callbackFor(
    campaign,
    { account, contact, phone, timeZone: contact.timeZone ?? account.timeZone },
    now,
  );
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...guard,
          callbackId: callback.id,
          expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
  await campaigns.addCallback({
    ...callback,
    notes: `critical delay on waybill ${event.waybill}`,
    waybill: event.waybill,
  } as typeof callback);
  return callback.id;
}
