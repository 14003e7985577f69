import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import type { NotificationRecord } from './model.ts';

export const NotificationEntity = entity<NotificationRecord>({
  name: 'Notification',
  keys: (r) => keys.notification.log(r.accountId, r.at, r.id),
  expiresAt: (r) => ttlAfter(new Date(r.at), 180),
});

/**
 * Alerts' persistence: the per-account log, alerts deferred past quiet hours, the digest windows,
 * SMS opt-outs, and the claims that make each alert go out once (platform/dynamo/claim.ts).
 */
export class NotificationRepo {
  readonly claims: Claims;

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {
    this.claims = new Claims(db, tableName);
  }

  async log(r: NotificationRecord): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: NotificationEntity.toItem(r) }));
  }

  /** The account's log, newest first. */
  async list(accountId: string, limit = 50): Promise<NotificationRecord[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: {
          ':pk': keys.account.partition(accountId),
          ':p': keys.notification.logPrefix,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => NotificationEntity.fromItem(i));
  }

  /** Keeps a notification for after the contact's quiet hours (the deferred sender picks it up). */
  async defer(id: string, sendAt: string, payload: Record<string, unknown>): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.notification.deferred(id),
          ...keys.due.notification(id, sendAt),
          [ENTITY]: 'DeferredNotification',
          id,
          sendAt,
          payload,
        },
      }),
    );
  }

  /** Deferred notifications whose time has come, from the sparse due index. */
  async dueDeferred(now: Date): Promise<{ id: string; payload: Record<string, unknown> }[]> {
    const { items } = await queryDue(this.db, this.tableName, 'NOTIFY', { now });
    return items.map((i) => ({ id: String(i.id), payload: i.payload as Record<string, unknown> }));
  }

  /** Takes a deferred notification off the due index (conditional, so two senders never both send it). */
  async takeDeferred(id: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.notification.deferred(id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Counts a delayed waybill of the account in a digest window; answers how many so far. */
  async countDelay(accountId: string, windowStart: string, waybill: string, now: Date): Promise<number> {
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notification.digestWindow(accountId, windowStart),
        UpdateExpression: 'ADD waybills :w SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ExpressionAttributeValues: { ':w': new Set([waybill]), ':ttl': ttlAfter(now, 2) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (r.Attributes?.waybills as Set<string> | undefined)?.size ?? 1;
  }

  async recordOptOut(phone: string, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.notification.optOut(phone), [ENTITY]: 'OptOut', phone, at: now.toISOString() },
      }),
    );
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.notification.optOut(phone) }),
    );
    return Boolean(r.Item);
  }
}
