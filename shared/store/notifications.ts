import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from './client.ts';
import { DUE_SHARDS, keys } from './keys.ts';

export type NotificationStatus =
  | 'sent'
  | 'deferred'
  | 'suppressed-duplicate'
  | 'opted-out'
  | 'failed'
  | 'skipped-no-consent'
  | 'digest-sent'
  | 'in-digest';

export interface NotificationRecord {
  id: string;
  at: string;
  accountId: string;
  waybill: string;
  severity: string;
  channel: 'sms' | 'email';
  recipient: string;
  contactName: string;
  status: NotificationStatus;
  detail?: string;
  sendAt?: string;
}

const DAY = 86_400;

/** Notification dedup keys, the per-account log, deferred sends and SMS opt-outs. */
export class NotificationStore {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** Claims the right to send one notification; false when it was sent (or is being sent) already. */
  async claim(
    waybill: string,
    severity: string,
    channel: string,
    recipient: string,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notification.dedup(waybill, severity, channel, recipient),
            status: 'sending',
            expiresAt: Math.floor(now.getTime() / 1000) + 30 * DAY,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Gives the claim back after a failed send, so a redelivery may try again. */
  async unclaim(waybill: string, severity: string, channel: string, recipient: string) {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.notification.dedup(waybill, severity, channel, recipient),
      }),
    );
  }

  async log(r: NotificationRecord) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.notification.log(r.accountId, r.at, r.id),
          type: 'Notification',
          ...r,
          expiresAt: Math.floor(Date.parse(r.at) / 1000) + 180 * DAY,
        },
      }),
    );
  }

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
    return (r.Items ?? []).map(
      ({ pk: _p, sk: _s, type: _t, expiresAt: _e, ...rest }) => rest as NotificationRecord,
    );
  }

  /** Keeps a notification for after the contact's quiet hours (the deferred sender picks it up). */
  async defer(id: string, sendAt: string, payload: Record<string, unknown>) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.notification.deferred(id),
          ...keys.due.notification(id, sendAt),
          type: 'DeferredNotification',
          id,
          sendAt,
          payload,
        },
      }),
    );
  }

  async dueDeferred(now: Date): Promise<{ id: string; payload: Record<string, unknown> }[]> {
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
            ExpressionAttributeValues: {
              ':pk': keys.due.notificationShard(shard),
              ':now': `${now.toISOString()}~`,
            },
          }),
        ),
      ),
    );
    return pages.flatMap((p) =>
      (p.Items ?? []).map((i) => ({ id: String(i.id), payload: i.payload as Record<string, unknown> })),
    );
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

  /** Counts a delay of the account in the current digest window; returns the count so far. */
  async countDelay(accountId: string, windowStart: string, waybill: string, now: Date): Promise<number> {
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `DIGEST#${accountId}#${windowStart}`, sk: 'DIGEST' },
        UpdateExpression: 'ADD waybills :w SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ExpressionAttributeValues: {
          ':w': new Set([waybill]),
          ':ttl': Math.floor(now.getTime() / 1000) + 2 * DAY,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (r.Attributes?.waybills as Set<string> | undefined)?.size ?? 1;
  }

  /** Claims the one digest a recipient gets in a window. */
  async claimDigest(
    accountId: string,
    windowStart: string,
    channel: string,
    recipient: string,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `DIGESTSENT#${accountId}#${windowStart}#${channel}#${recipient}`,
            sk: 'KEY',
            expiresAt: Math.floor(now.getTime() / 1000) + 2 * DAY,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async recordOptOut(phone: string, now: Date) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.notification.optOut(phone), type: 'OptOut', phone, at: now.toISOString() },
      }),
    );
  }

  async isOptedOut(phone: string): Promise<boolean> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.notification.optOut(phone) }),
    );
    return Boolean(r.Item);
  }

  async markSent(waybill: string, severity: string, channel: string, recipient: string) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notification.dedup(waybill, severity, channel, recipient),
        UpdateExpression: 'SET #s = :sent',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      }),
    );
  }
}
