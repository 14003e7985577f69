/**
 * The caller journal: every inbound call of the last day with how it ended, missed and abandoned
 * calls that nobody has called back first, each bookable as a callback in one click.
 *
 * On the screen pop's path, so no schema library is loaded here (the API schemas: model.ts).
 * The screen pop opens an entry as the call arrives (beside its lookup, so it adds no wait) and
 * names the account once the lookup found one; Amazon Connect's contact events (QUEUED,
 * CONNECTED_TO_AGENT, DISCONNECTED) move it along through a pure transition.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { withBudget } from '../platform/connect/budget.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { putOnce } from '../platform/dynamo/query.ts';

/** How an inbound call went: live in the IVR, waiting in a queue, or how it ended. */
export const CALL_OUTCOMES = ['live', 'queued', 'answered', 'abandoned', 'missed', 'ivr'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** One inbound call in the journal (its API schema: model.ts). */
export interface InboundCall {
  /** Amazon Connect ContactId. */
  contactId: string;
  /** When the screen pop saw the call. */
  at: string;
  /** The caller's number; absent when withheld. */
  e164?: string;
  accountId?: string;
  accountName?: string;
  /** The caller's contact id in the account. */
  contactRef?: string;
  contactName?: string;
  tier?: string;
  /** What the screen pop answered: ok or ambiguous with an account, pending until it named one. */
  lookupStatus: string;
  outcome: CallOutcome;
  queuedAt?: string;
  answeredAt?: string;
  endedAt?: string;
  /** The callback booked from the journal. */
  callbackId?: string;
}

/** A journal line as the desktop shows it: needs a callback, or handled and how. */
export interface JournalLine extends InboundCall {
  /** Missed or abandoned, with no callback booked and no later answered call from the number. */
  needsCallback: boolean;
  /** Missed or abandoned, and the same number got through to an agent later. */
  calledAgain: boolean;
}

/** The part of an Amazon Connect contact event the journal reads. */
export interface CallEvent {
  eventType: string;
  at: string;
  queued?: boolean;
  agentConnected?: boolean;
  /** CUSTOMER_DISCONNECT when the caller hung up; another reason when the system ended the call. */
  disconnectReason?: string;
}

/**
 * The next state of a journal entry on a contact event, or undefined when the event changes
 * nothing (a duplicate, one that arrived after the end, an event type the journal ignores).
 * A queued call that ended without an agent was abandoned when the caller hung up and missed when
 * the system ended it (no agent free, closed, the queue full); a call that never reached a queue
 * ended in the IVR.
 */
export function journalTransition(entry: InboundCall, ev: CallEvent): InboundCall | undefined {
  if (entry.endedAt) return undefined;
  switch (ev.eventType) {
    case 'QUEUED':
      return entry.outcome === 'live' ? { ...entry, outcome: 'queued', queuedAt: ev.at } : undefined;
    case 'CONNECTED_TO_AGENT':
      return entry.outcome === 'answered' ? undefined : { ...entry, outcome: 'answered', answeredAt: ev.at };
    case 'DISCONNECTED': {
      const answered = entry.outcome === 'answered' || ev.agentConnected === true;
      const queued = entry.outcome === 'queued' || ev.queued === true;
      const outcome: CallOutcome = answered
        ? 'answered'
        : queued
          ? !ev.disconnectReason || ev.disconnectReason === 'CUSTOMER_DISCONNECT'
            ? 'abandoned'
            : 'missed'
          : 'ivr';
      return { ...entry, outcome, endedAt: ev.at };
    }
    default:
      return undefined;
  }
}

const UNANSWERED: ReadonlySet<CallOutcome> = new Set(['missed', 'abandoned']);

/**
 * The journal as an agent works it: calls needing a callback first (newest first), then the rest
 * newest first. A missed call whose number later reached an agent needs no callback.
 */
export function journalView(entries: InboundCall[]): JournalLine[] {
  const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  const lastAnswered = new Map<string, string>();
  for (const e of newestFirst)
    if (e.e164 && e.outcome === 'answered' && !lastAnswered.has(e.e164)) lastAnswered.set(e.e164, e.at);
  const lines = newestFirst.map((e): JournalLine => {
    const unanswered = UNANSWERED.has(e.outcome);
    const later = e.e164 ? lastAnswered.get(e.e164) : undefined;
    const calledAgain = unanswered && later !== undefined && later > e.at;
    return { ...e, calledAgain, needsCallback: unanswered && !calledAgain && !e.callbackId };
  });
  return [...lines.filter((l) => l.needsCallback), ...lines.filter((l) => !l.needsCallback)];
}

/** What the screen pop's naming sets on a line; the rest it only fills in where absent. */
const NAMING: ReadonlySet<string> = new Set([
  'accountId',
  'accountName',
  'contactRef',
  'contactName',
  'tier',
  'lookupStatus',
]);

/** Journal entries are kept for 30 days. */
const TTL_SECONDS = 30 * 24 * 3600;

export const InboundCallEntity = entity<InboundCall>({
  name: 'InboundCall',
  keys: (c) => ({ ...keys.inboundCall.item(c.contactId), ...keys.inboundCall.listing(c.at, c.contactId) }),
  expiresAt: (c) => Math.floor(Date.parse(c.at) / 1000) + TTL_SECONDS,
});

/** The journal's store: written by the screen pop and the contact events, read by the desktop. */
export class CallJournal {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The screen pop's first write, beside its lookup: the call with its number only. It never
   * replaces an entry (the named one may have landed first); that answers false.
   */
  async open(call: InboundCall, signal?: AbortSignal): Promise<boolean> {
    try {
      await putOnce(
        this.db,
        { TableName: this.tableName, Item: InboundCallEntity.toItem(call) },
        signal,
        true,
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * The screen pop's second write: the call with the account its lookup found. It sets the naming
   * and creates what the opening would have, never replacing what the contact events set since:
   * a write held up (retried, or resumed with the Lambda's next invocation) may land after them.
   */
  async name(call: InboundCall, signal?: AbortSignal): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    Object.entries(InboundCallEntity.toItem(call)).forEach(([k, v], i) => {
      if (k === 'pk' || k === 'sk' || v === undefined) return;
      names[`#a${i}`] = k;
      values[`:v${i}`] = v;
      sets.push(NAMING.has(k) ? `#a${i} = :v${i}` : `#a${i} = if_not_exists(#a${i}, :v${i})`);
    });
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inboundCall.item(call.contactId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
      { abortSignal: signal },
    );
  }

  async get(contactId: string): Promise<InboundCall | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.inboundCall.item(contactId),
        ConsistentRead: true,
      }),
    );
    return r.Item ? InboundCallEntity.fromItem(r.Item) : undefined;
  }

  /**
   * Applies a contact event: read, transition, write if the entry is still as read (a concurrent
   * event makes it read again). Answers the outcome reached, or undefined when nothing changed
   * (no such call, or an event that changes nothing).
   */
  async apply(contactId: string, ev: CallEvent): Promise<CallOutcome | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const entry = await this.get(contactId);
      if (!entry) return undefined;
      const next = journalTransition(entry, ev);
      if (!next) return undefined;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.inboundCall.item(contactId),
            UpdateExpression: `SET outcome = :o${next.queuedAt ? ', queuedAt = :q' : ''}${
              next.answeredAt ? ', answeredAt = :a' : ''
            }${next.endedAt ? ', endedAt = :e' : ''}`,
            ConditionExpression: 'outcome = :prev AND attribute_not_exists(endedAt)',
            ExpressionAttributeValues: {
              ':o': next.outcome,
              ':prev': entry.outcome,
              ...(next.queuedAt ? { ':q': next.queuedAt } : {}),
              ...(next.answeredAt ? { ':a': next.answeredAt } : {}),
              ...(next.endedAt ? { ':e': next.endedAt } : {}),
            },
          }),
        );
        return next.outcome;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new Error(`journal entry ${contactId} kept changing under five attempts`);
  }

  /** Records the callback booked for a call (the same one for every click: one per number). */
  async markCallback(contactId: string, callbackId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inboundCall.item(contactId),
        UpdateExpression: 'SET callbackId = :c',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':c': callbackId },
      }),
    );
  }

  /** The calls of the last `hours` (at most 48), newest first, at most `limit`. */
  async recent(now: Date, hours = 24, limit = 100): Promise<InboundCall[]> {
    const since = new Date(now.getTime() - Math.min(hours, 48) * 3600_000).toISOString();
    const days: string[] = [];
    for (
      let d = new Date(now);
      d.toISOString().slice(0, 10) >= since.slice(0, 10);
      d = new Date(d.getTime() - 86400_000)
    )
      days.push(d.toISOString().slice(0, 10));
    const out: InboundCall[] = [];
    for (const day of days) {
      if (out.length >= limit) break;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
            ExpressionAttributeValues: { ':pk': keys.inboundCall.dayPartition(day), ':since': since },
            ScanIndexForward: false,
            Limit: limit - out.length,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        out.push(...(page.Items ?? []).map((i) => InboundCallEntity.fromItem(i)));
        start = page.LastEvaluatedKey;
      } while (start && out.length < limit);
    }
    return out;
  }
}

/** The IVR options a caller can choose: why they called, for the cockpit's calls by reason. */
export const IVR_REASONS = ['tracking', 'complaint', 'callback'] as const;
export type IvrReason = (typeof IVR_REASONS)[number];

/**
 * Notes the IVR option a caller chose on the call's journal line (`reason_<option>`, a flat
 * attribute: a retried invocation sets it again, nothing doubles). Run beside the IVR's own work,
 * bounded by `ms`, and never throws: the caller's answer never waits on it or fails for it.
 */
export async function noteIvrChoice(
  db: DocumentClient,
  tableName: string,
  contactId: string,
  reason: IvrReason,
  ms = 300,
): Promise<void> {
  await withBudget(ms, (abortSignal) =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.inboundCall.item(contactId),
        UpdateExpression: 'SET #r = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#r': `reason_${reason}` },
        ExpressionAttributeValues: { ':at': new Date().toISOString() },
      }),
      { abortSignal },
    ),
  ).catch(() => undefined);
}
