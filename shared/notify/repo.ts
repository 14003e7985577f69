import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { TransactionCancelled, transactWrite } from '../platform/dynamo/transact.ts';
import type { DelayDetected } from '../shipments/delay.ts';
import {
  alertKey,
  type Hold,
  type MailboxState,
  mailboxId,
  type PendingAlert,
  type SentAlert,
  type WaitReason,
} from './mailbox.ts';
import type { NotificationRecord } from './model.ts';
import type { Channel } from './policy.ts';

/** Pages of the log read at most for its alerts past the daily reports (list). */
const ALERT_PAGES = 5;

export const NotificationEntity = entity<NotificationRecord>({
  name: 'Notification',
  keys: (r) => keys.notification.log(r.accountId, r.at, r.id),
  expiresAt: (r) => ttlAfter(new Date(r.at), 180),
});

/**
 * Alerts' persistence: the per-account log, each recipient's mailbox (the alerts waiting in it and
 * what it remembers, in the due index while it has work), the destinations learned to be bad, and
 * the claim that lets one sender at a time work a mailbox (platform/dynamo/claim.ts).
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

  /**
   * The account's log, newest first: its newest `limit` lines, and with them its newest `limit`
   * alert lines however many daily-report lines came since (one per recipient a day would push
   * the alerts out of the window the card reads; a bounded number of pages is read for them).
   */
  async list(accountId: string, limit = 50): Promise<NotificationRecord[]> {
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ScanIndexForward: false,
    };
    const values = { ':pk': keys.account.partition(accountId), ':p': keys.notification.logPrefix };
    const alerts = async () => {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      for (let page = 0; page < ALERT_PAGES && out.length < limit; page++) {
        const r = await this.db.send(
          new QueryCommand({
            ...query,
            FilterExpression: 'attribute_not_exists(#k) OR #k <> :report',
            ExpressionAttributeNames: { '#k': 'kind' },
            ExpressionAttributeValues: { ...values, ':report': 'daily-report' },
            Limit: limit * 4,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        out.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
        if (!start) break;
      }
      return out.slice(0, limit);
    };
    const [newest, alertItems] = await Promise.all([
      this.db.send(new QueryCommand({ ...query, ExpressionAttributeValues: values, Limit: limit })),
      alerts(),
    ]);
    const bySk = new Map<string, Record<string, unknown>>();
    for (const i of [...(newest.Items ?? []), ...alertItems]) bySk.set(String(i.sk), i);
    return [...bySk.entries()]
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .map(([, i]) => NotificationEntity.fromItem(i));
  }

  /** The alerts waiting in a mailbox, and what the mailbox remembers. */
  async loadMailbox(channel: Channel, recipient: string): Promise<LoadedMailbox | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.mailbox.head(channel, recipient).pk },
      ConsistentRead: true,
    });
    const head = items.find((i) => i.sk === 'HEAD');
    if (!head) return undefined;
    const alerts = items.filter((i) => String(i.sk).startsWith(keys.mailbox.alertPrefix));
    // What went out stays in the mailbox until its item expires, read by the same query.
    const sent = alerts
      .filter((i) => i.state === 'sent' || i.state === 'in-digest')
      .map((i) => ({
        waybill: String(i.waybill),
        severity: i.severity as PendingAlert['severity'],
        event: { createdAt: String((i.event as DelayDetected | undefined)?.createdAt) },
      }));
    const pending = alerts
      .filter((i) => i.state === 'pending')
      .map((i) => ({
        ...ownerOf(i, head),
        waybill: String(i.waybill),
        severity: i.severity as PendingAlert['severity'],
        event: i.event as DelayDetected,
        createdAt: String(i.createdAt),
      }));
    return {
      seq: Number(head.seq ?? 0),
      state: {
        recent: (head.recent as string[] | undefined) ?? [],
        attempts: Number(head.attempts ?? 0),
        ...(head.digests ? { digests: head.digests as Record<string, string> } : {}),
        ...(head.lastDigestAt ? { lastDigestAt: String(head.lastDigestAt) } : {}),
        ...(head.retryAt ? { retryAt: String(head.retryAt) } : {}),
        ...(head.holds ? { holds: head.holds as Record<string, Hold> } : {}),
        ...(head.tries ? { tries: triesOf(head.tries as Record<string, number>, pending) } : {}),
      },
      pending,
      sent,
    };
  }

  /**
   * Puts an alert in the recipient's mailbox and makes the mailbox due now, in one transaction.
   * Answers false when the alert was there already (a redelivered event): nothing changes.
   */
  async enqueue(to: MailboxAddress, alert: PendingAlert, now: Date): Promise<boolean> {
    const { channel, recipient } = to;
    const at = now.toISOString();
    try {
      await transactWrite(this.db, [
        {
          name: 'alert',
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.mailbox.alert(channel, recipient, alert.waybill, alert.severity, alert.event.createdAt),
              [ENTITY]: 'MailboxAlert',
              state: 'pending',
              accountId: alert.accountId,
              contactId: alert.contactId,
              waybill: alert.waybill,
              severity: alert.severity,
              event: alert.event,
              createdAt: alert.createdAt,
              expiresAt: ttlAfter(now, 30),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.mailbox.head(channel, recipient),
            // The head still names the latest alert's contact, for a sender of the previous release
            // during a rolling deploy (this one reads each alert's own).
            UpdateExpression:
              'SET #entity = :entity, accountId = :a, contactId = :c, gsi2pk = :dpk, gsi2sk = :dsk, expiresAt = :ttl ADD seq :one',
            ExpressionAttributeNames: { '#entity': ENTITY },
            ExpressionAttributeValues: {
              ':entity': 'Mailbox',
              ':a': alert.accountId,
              ':c': alert.contactId,
              ...dueValues(mailboxId(channel, recipient), at),
              ':ttl': ttlAfter(now, 60),
              ':one': 1,
            },
          },
        },
      ]);
      return true;
    } catch (err) {
      if (err instanceof TransactionCancelled && err.failedOn('alert')) return false;
      throw err;
    }
  }

  /** Ends alerts of a mailbox with their outcome (they stay, so a redelivery adds nothing). */
  async settle(channel: Channel, recipient: string, alerts: PendingAlert[], state: string, now: Date) {
    for (let i = 0; i < alerts.length; i += 25) {
      await Promise.all(
        alerts.slice(i, i + 25).map((a) =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.mailbox.alert(channel, recipient, a.waybill, a.severity, a.event.createdAt),
              UpdateExpression: 'SET #state = :s, settledAt = :at',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':s': state, ':at': now.toISOString() },
            }),
          ),
        ),
      );
    }
  }

  /**
   * Saves what the mailbox remembers and when it is next due (none: out of the due index). If an
   * alert arrived since the mailbox was read (`seq` moved), it stays due now instead.
   */
  async saveMailbox(
    channel: Channel,
    recipient: string,
    state: MailboxState,
    seenSeq: number,
    nextDue: Date | undefined,
  ): Promise<void> {
    const key = keys.mailbox.head(channel, recipient);
    const values = {
      ':recent': state.recent,
      ':attempts': state.attempts,
      ':last': state.lastDigestAt ?? null,
      ':digests': state.digests ?? null,
      ':retry': state.retryAt ?? null,
      ':holds': state.holds ?? null,
      ':tries': state.tries ?? null,
    };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: nextDue
            ? `SET ${STATE_SET}, gsi2pk = :dpk, gsi2sk = :dsk`
            : `SET ${STATE_SET} REMOVE gsi2pk, gsi2sk`,
          ConditionExpression: 'seq = :seq',
          ExpressionAttributeValues: {
            ...values,
            ':seq': seenSeq,
            ...(nextDue ? dueValues(mailboxId(channel, recipient), nextDue.toISOString()) : {}),
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // New work arrived while we sent: keep the state, and leave the mailbox due (enqueue set it).
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${STATE_SET}`,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  /**
   * Whether an alert for this account would only wait if the mailbox were worked now: the address
   * waits for a retry, or the account's alerts for a digest window or (unless this one is critical)
   * for the end of quiet hours. One small read, where working the mailbox reads every alert in it
   * (a burst of a thousand would read half a million).
   */
  async held(
    channel: Channel,
    recipient: string,
    alert: Pick<PendingAlert, 'accountId' | 'severity'>,
    now: Date,
  ): Promise<{ until: string; why: WaitReason } | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.mailbox.head(channel, recipient),
        ProjectionExpression: 'retryAt, holds',
        ConsistentRead: true,
      }),
    );
    const at = now.toISOString();
    const retryAt = r.Item?.retryAt as string | null | undefined;
    if (retryAt && retryAt > at) return { until: retryAt, why: 'retry' };
    const hold = (r.Item?.holds as Record<string, Hold> | null | undefined)?.[alert.accountId];
    if (!hold || hold.since > at || hold.until <= at) return undefined;
    return hold.why === 'quiet-hours' && alert.severity === 'critical' ? undefined : hold;
  }

  /** Mailboxes whose time has come, from the sparse due index. */
  async dueMailboxes(now: Date, limitPerShard = 100): Promise<{ channel: Channel; recipient: string }[]> {
    const { items } = await queryDue(this.db, this.tableName, 'NOTIFY', { now, limitPerShard });
    return items
      .filter((i) => i.sk === 'HEAD')
      .map((i) => {
        const rest = String(i.pk).slice('MAILBOX#'.length);
        const cut = rest.indexOf('#');
        return { channel: rest.slice(0, cut) as Channel, recipient: rest.slice(cut + 1) };
      });
  }

  /** Remembers a bad destination (invalid, opted out, suppressed): skipped until corrected. */
  async markDestination(channel: Channel, recipient: string, mark: DestinationMark): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.notification.destination(channel, recipient), [ENTITY]: 'Destination', ...mark },
      }),
    );
  }

  async destinationMark(channel: Channel, recipient: string): Promise<DestinationMark | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.notification.destination(channel, recipient) }),
    );
    if (!r.Item) return undefined;
    const { status, reason, since, accountId, accountVersion } = r.Item;
    return {
      status,
      reason: String(reason ?? ''),
      since: String(since),
      ...(accountId !== undefined
        ? { accountId: String(accountId), accountVersion: Number(accountVersion) }
        : {}),
    };
  }
}

export interface MailboxAddress {
  channel: Channel;
  recipient: string;
}

/** What the mailbox remembers, as set on its head. */
const STATE_SET =
  'recent = :recent, attempts = :attempts, lastDigestAt = :last, digests = :digests, retryAt = :retry, holds = :holds, tries = :tries';

export interface LoadedMailbox {
  seq: number;
  state: MailboxState;
  pending: PendingAlert[];
  /** The alerts this address was sent (alone or in a digest), as long as their items last. */
  sent: SentAlert[];
}

export interface DestinationMark {
  status: 'opted-out' | 'undeliverable';
  reason: string;
  since: string;
  /** The account whose send learned it, at its version then: an edit of that account lifts the mark. */
  accountId?: string;
  accountVersion?: number;
}

/**
 * Whose an alert is. One stored before alerts named their contact is its event's account's; its
 * contact is the head's when the head names that account, else unknown ('': found by address).
 */
function ownerOf(alert: Record<string, unknown>, head: Record<string, unknown>) {
  if (alert.accountId !== undefined)
    return { accountId: String(alert.accountId), contactId: String(alert.contactId) };
  const accountId = String((alert.event as DelayDetected | undefined)?.accountId ?? head.accountId);
  return { accountId, contactId: accountId === head.accountId ? String(head.contactId) : '' };
}

/** The tries of the alerts still waiting (those settled since are forgotten). */
function triesOf(tries: Record<string, number>, pending: PendingAlert[]): Record<string, number> {
  const waiting = new Set(pending.map(alertKey));
  return Object.fromEntries(Object.entries(tries).filter(([k]) => waiting.has(k)));
}

const dueValues = (id: string, at: string) => {
  const e = keys.due.notification(id, at);
  return { ':dpk': e.gsi2pk, ':dsk': e.gsi2sk };
};
