import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { AccountWithContacts } from '../domain/account.ts';
import { DEFAULT_CALLING_WINDOW, nextInWindow } from '../domain/calling-window.ts';
import {
  allowedTransitions,
  type Complaint,
  type ComplaintInput,
  type ComplaintStatus,
  checkTransition,
  ESCALATION_LEVELS,
  type HistoryEntry,
  nextEscalationCheck,
  requiredEscalation,
  UNRESOLVED,
} from '../domain/complaint.ts';
import { DEFAULT_SLA_POLICY, defaultClock, type SlaPolicy, slaDeadlines } from '../domain/sla.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { DUE_SHARDS, keys } from './keys.ts';
import { queryAll } from './query.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface ComplaintOptions {
  sla?: SlaPolicy;
  /** Minutes after resolution within which a complaint may be reopened. */
  reopenWindowMinutes?: number;
  /** Minutes after resolution before the satisfaction follow-up call (then moved into the calling window). */
  followUpDelayMinutes?: number;
  newId?: () => string;
}

export interface ComplaintWithHistory extends Complaint {
  history: HistoryEntry[];
}

export interface Escalation {
  complaint: Complaint;
  level: number;
  levelName: { zh: string; en: string };
}

const STRIP = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type'];
const FOLLOW_UP_CAMPAIGN = 'complaint-follow-up';
const FOLLOW_UP_RANK = 100;

/**
 * Complaints with their history. Every status change writes its history entry, the account's
 * open-complaint counter and (on resolve) the follow-up callback in the same transaction, guarded
 * by the complaint's version so two agents cannot overwrite each other.
 */
export class ComplaintStore {
  private readonly sla: SlaPolicy;
  private readonly reopenWindowMinutes: number;
  private readonly followUpDelayMinutes: number;
  private readonly newId: () => string;

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
    options: ComplaintOptions = {},
  ) {
    this.sla = options.sla ?? DEFAULT_SLA_POLICY;
    this.reopenWindowMinutes = options.reopenWindowMinutes ?? 7 * 24 * 60;
    this.followUpDelayMinutes = options.followUpDelayMinutes ?? 24 * 60;
    this.newId = options.newId ?? ulid;
  }

  /**
   * Records a complaint. With an `idempotencyKey` (the IVR passes the Connect ContactId) a retry
   * returns the first complaint: the key is claimed in the same transaction as the complaint.
   */
  async create(
    input: ComplaintInput,
    account: AccountWithContacts,
    by: string,
    opts: { now?: Date; idempotencyKey?: string } = {},
  ): Promise<{ complaint: Complaint; created: boolean }> {
    const now = opts.now ?? new Date();
    if (opts.idempotencyKey) {
      const existing = await this.byIdempotencyKey(opts.idempotencyKey);
      if (existing) return { complaint: existing, created: false };
    }
    const contact = input.contactId ? account.contacts.find((c) => c.id === input.contactId) : undefined;
    if (input.contactId && !contact) {
      throw new ValidationError([
        { path: 'body.contactId', message: `contact ${input.contactId} is not on account ${account.id}` },
      ]);
    }
    const reference = await this.nextReference(now);
    const clock = defaultClock(account.derived.tier);
    const deadlines = slaDeadlines(
      account.derived.tier,
      input.severity,
      now,
      clock,
      account.timeZone,
      this.sla,
    );
    const id = this.newId();
    const complaint: Complaint = {
      ...input,
      ...deadlines,
      id,
      reference,
      accountName: account.name,
      tier: account.derived.tier,
      status: 'open',
      createdAt: now.toISOString(),
      createdBy: by,
      escalationLevel: 0,
      reopenCount: 0,
      ...(contact
        ? {
            contactName: contact.name,
            contactPhone: contact.phones[0]?.e164,
            contactLanguage: contact.language,
            contactTimeZone: contact.timeZone ?? account.timeZone,
          }
        : {}),
      version: 1,
      updatedAt: now.toISOString(),
    };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.toItem(complaint),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.historyPut(
        id,
        {
          at: now.toISOString(),
          by,
          from: null,
          to: 'open',
          action: 'created',
          note: `${input.category} · ${input.severity}`,
        },
        0,
      ),
      this.statsAdd(input.accountId, 1),
    ];
    if (opts.idempotencyKey) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.idempotency.item('ivr-complaint', opts.idempotencyKey),
            type: 'Idempotency',
            complaintId: id,
            expiresAt: Math.floor(now.getTime() / 1000) + 7 * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (
        opts.idempotencyKey &&
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[3]?.Code === 'ConditionalCheckFailed'
      ) {
        const existing = await this.byIdempotencyKey(opts.idempotencyKey);
        if (existing) return { complaint: existing, created: false };
      }
      throw err;
    }
    return { complaint, created: true };
  }

  async get(id: string): Promise<ComplaintWithHistory | undefined> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaint.partition(id) },
      }),
    );
    const items = r.Items ?? [];
    const main = items.find((i) => i.sk === 'COMPLAINT');
    if (!main) return undefined;
    const history = items
      .filter((i) => String(i.sk).startsWith(keys.complaint.historyPrefix))
      .map((i) => strip(i) as unknown as HistoryEntry);
    return { ...(strip(main) as unknown as Complaint), history };
  }

  async require(id: string): Promise<ComplaintWithHistory> {
    const c = await this.get(id);
    if (!c) throw new NotFoundError('Complaint', id);
    return c;
  }

  /** An account's complaints: unresolved and resolved first (OPEN#), then closed. */
  async listByAccount(accountId: string, which: 'open' | 'all' = 'all'): Promise<Complaint[]> {
    return this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression:
        which === 'open' ? 'gsi1pk = :pk AND begins_with(gsi1sk, :open)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.complaint.accountPartition(accountId),
        ...(which === 'open' ? { ':open': 'OPEN#' } : {}),
      },
      ScanIndexForward: false,
    }) as unknown as Promise<Complaint[]>;
  }

  /** Every unresolved complaint, across accounts: the sparse due index holds exactly these. */
  async listUnresolved(): Promise<Complaint[]> {
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.due.complaintSlaShard(shard) },
        }),
      ),
    );
    return pages.flat() as unknown as Complaint[];
  }

  /**
   * Complaints whose next escalation mark has passed, read from the sparse due index: only
   * unresolved complaints with a mark at or before `now` are read, whatever the size of the book.
   */
  async dueForEscalation(now: Date, limitPerShard = 200): Promise<{ items: Complaint[]; read: number }> {
    let read = 0;
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, async (_, shard) => {
        const r = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
            ExpressionAttributeValues: {
              ':pk': keys.due.complaintSlaShard(shard),
              ':now': `${now.toISOString()}~`,
            },
            Limit: limitPerShard,
          }),
        );
        read += r.ScannedCount ?? r.Count ?? 0;
        return (r.Items ?? []).map(strip) as unknown as Complaint[];
      }),
    );
    return { items: pages.flat(), read };
  }

  /**
   * Raises a complaint to the level it should be at, exactly once: the write is conditional on
   * the level this run saw, so an overlapping run that got there first wins and this one skips.
   * Returns one Escalation per level raised.
   */
  async escalate(c: Complaint, now: Date): Promise<Escalation[]> {
    const target = requiredEscalation(c, now);
    if (target <= c.escalationLevel) {
      await this.reindexDue(c, now);
      return [];
    }
    const next = nextEscalationCheck({ ...c, escalationLevel: target });
    const levels = ESCALATION_LEVELS.filter((l) => l.level > c.escalationLevel && l.level <= target);
    const history = levels.map((l, i) =>
      this.historyPut(
        c.id,
        {
          at: now.toISOString(),
          by: 'sla-escalation',
          from: c.status,
          to: c.status,
          action: 'escalated',
          note: l.en,
        },
        100 + i,
      ),
    );
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.complaint.item(c.id),
                UpdateExpression: 'SET escalationLevel = :to, escalatedAt = :now, gsi2sk = :next',
                ConditionExpression: 'escalationLevel = :seen AND #s IN (:o, :a, :p)',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':to': target,
                  ':seen': c.escalationLevel,
                  ':now': now.toISOString(),
                  ':next': `${next ?? keys.due.never}#${c.id}`,
                  ':o': 'open',
                  ':a': 'acknowledged',
                  ':p': 'in-progress',
                },
              },
            },
            ...history,
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) return [];
      throw err;
    }
    return levels.map((l) => ({
      complaint: { ...c, escalationLevel: target },
      level: l.level,
      levelName: { zh: l.zh, en: l.en },
    }));
  }

  /**
   * Puts an escalation back when its event could not be published: the level and the due-index
   * position it had, so the next run finds it again and retries.
   */
  async revertEscalation(c: Complaint, raisedTo: number, now = new Date()): Promise<void> {
    const due = nextEscalationCheck(c) ?? keys.due.never;
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.complaint.item(c.id),
                UpdateExpression: 'SET escalationLevel = :from, gsi2sk = :due',
                ConditionExpression: 'escalationLevel = :to',
                ExpressionAttributeValues: {
                  ':from': c.escalationLevel,
                  ':to': raisedTo,
                  ':due': `${due}#${c.id}`,
                },
              },
            },
            this.historyPut(
              c.id,
              {
                at: now.toISOString(),
                by: 'sla-escalation',
                from: c.status,
                to: c.status,
                action: 'escalation-deferred',
                note: 'the escalation event could not be published; it will be retried',
              },
              199,
            ),
          ],
        }),
      )
      .catch(() => undefined);
  }

  /** Applies a lifecycle transition; illegal ones and stale versions answer 409. */
  async transition(
    id: string,
    to: ComplaintStatus,
    opts: { version: number; by: string; note?: string; now?: Date },
  ): Promise<ComplaintWithHistory> {
    const now = opts.now ?? new Date();
    const c = await this.require(id);
    if (c.version !== opts.version) {
      throw new ConflictError(`Complaint ${c.reference} changed since version ${opts.version}; reload it`, {
        sentVersion: opts.version,
        currentVersion: c.version,
      });
    }
    const check = checkTransition(c, to, now, this.reopenWindowMinutes);
    if (!check.ok) {
      throw new AppError(
        409,
        'illegal_transition',
        `Cannot move complaint ${c.reference} from ${c.status} to ${to}: ${check.reason}`,
        {
          allowed: check.allowed,
        },
      );
    }
    return this.apply(c, to, { ...opts, now, action: actionName(c.status, to) });
  }

  /**
   * The satisfaction follow-up (回访): a low score (1–2) or a rejected resolution reopens the
   * complaint; otherwise it closes. The follow-up callback is marked completed.
   */
  async recordFollowUp(
    id: string,
    outcome: { score: number; accepted: boolean; note?: string; version: number; by: string; now?: Date },
  ): Promise<ComplaintWithHistory> {
    const now = outcome.now ?? new Date();
    const c = await this.require(id);
    if (c.version !== outcome.version) {
      throw new ConflictError(
        `Complaint ${c.reference} changed since version ${outcome.version}; reload it`,
        {
          sentVersion: outcome.version,
          currentVersion: c.version,
        },
      );
    }
    if (c.status !== 'resolved') {
      throw new AppError(
        409,
        'illegal_transition',
        `Complaint ${c.reference} is ${c.status}; a follow-up is recorded on a resolved complaint`,
        {
          allowed: allowedTransitions(c, now, this.reopenWindowMinutes),
        },
      );
    }
    const satisfied = outcome.accepted && outcome.score >= 3;
    const note = `follow-up: score ${outcome.score}/5, ${outcome.accepted ? 'resolution accepted' : 'resolution rejected'}${outcome.note ? ` — ${outcome.note}` : ''}`;
    return this.apply(c, satisfied ? 'closed' : 'in-progress', {
      version: outcome.version,
      by: outcome.by,
      note,
      now,
      action: satisfied ? 'closed-after-follow-up' : 'reopened-after-follow-up',
      followUp: { score: outcome.score, accepted: outcome.accepted },
    });
  }

  private async apply(
    c: ComplaintWithHistory,
    to: ComplaintStatus,
    o: {
      version: number;
      by: string;
      note?: string;
      now: Date;
      action: string;
      followUp?: { score: number; accepted: boolean };
    },
  ): Promise<ComplaintWithHistory> {
    const at = o.now.toISOString();
    const next: Complaint = { ...withoutHistory(c), status: to, version: c.version + 1, updatedAt: at };
    if (to === 'acknowledged') next.acknowledgedAt = at;
    if (to === 'resolved') next.resolvedAt = at;
    if (to === 'closed') next.closedAt = at;
    const reopening = (c.status === 'resolved' || c.status === 'closed') && to === 'in-progress';
    if (reopening) {
      next.reopenCount = c.reopenCount + 1;
      delete next.resolvedAt;
      delete next.closedAt;
    }
    const wasUnresolved = UNRESOLVED.includes(c.status);
    const isUnresolved = UNRESOLVED.includes(to);
    const items: TransactItem[] = [];
    if (to === 'resolved') {
      const callbackId = this.newId();
      const phone = c.contactPhone;
      const tz = c.contactTimeZone ?? 'Asia/Shanghai';
      const dueAt = nextInWindow(
        new Date(o.now.getTime() + this.followUpDelayMinutes * 60_000 * this.sla.timeScale),
        tz,
        DEFAULT_CALLING_WINDOW,
      ).toISOString();
      next.followUp = { callbackId, dueAt };
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.callback.item(callbackId),
            ...keys.callback.listing(FOLLOW_UP_CAMPAIGN, phone ? 'scheduled' : 'failed', callbackId),
            ...(phone ? keys.due.callback(callbackId, dueAt, FOLLOW_UP_RANK) : {}),
            type: 'Callback',
            id: callbackId,
            campaignId: FOLLOW_UP_CAMPAIGN,
            reason: 'complaint-follow-up',
            complaintId: c.id,
            complaintReference: c.reference,
            accountId: c.accountId,
            accountName: c.accountName,
            ...(c.contactId ? { contactId: c.contactId } : {}),
            ...(c.contactName ? { contactName: c.contactName } : {}),
            ...(phone ? { phone } : {}),
            language: c.contactLanguage ?? 'zh-CN',
            timeZone: tz,
            // Follow-ups are dialed ahead of campaign work due in the same minute.
            rank: FOLLOW_UP_RANK,
            dueAt,
            window: DEFAULT_CALLING_WINDOW,
            state: phone ? 'scheduled' : 'failed',
            ...(phone ? {} : { notes: 'no phone number on file for the complaining contact' }),
            attempts: 0,
            maxAttempts: 3,
            retryDelayMinutes: 60,
            dailyCap: 2,
            createdAt: at,
          },
        },
      });
    }
    if (o.followUp && c.followUp) {
      next.followUp = { ...c.followUp, ...o.followUp, at };
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.callback.item(c.followUp.callbackId),
          UpdateExpression:
            'SET #st = :done, gsi1sk = :l, disposition = :d, completedAt = :at REMOVE gsi2pk, gsi2sk',
          ExpressionAttributeNames: { '#st': 'state' },
          ExpressionAttributeValues: {
            ':done': 'completed',
            ':l': keys.callback.listing(FOLLOW_UP_CAMPAIGN, 'completed', c.followUp.callbackId).gsi1sk,
            ':d': o.followUp.accepted && o.followUp.score >= 3 ? 'resolved' : 'needs-follow-up',
            ':at': at,
          },
        },
      });
    }
    items.unshift(
      {
        Put: {
          TableName: this.tableName,
          Item: this.toItem(next),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': c.version },
        },
      },
      this.historyPut(
        c.id,
        { at, by: o.by, from: c.status, to, action: o.action, ...(o.note ? { note: o.note } : {}) },
        c.history.length + 1,
      ),
    );
    if (wasUnresolved !== isUnresolved) items.push(this.statsAdd(c.accountId, isUnresolved ? 1 : -1));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        const latest = await this.get(c.id);
        throw new ConflictError(`Complaint ${c.reference} was changed by someone else; reload it`, {
          sentVersion: c.version,
          currentVersion: latest?.version,
        });
      }
      throw err;
    }
    return this.require(c.id);
  }

  /** The stored item of a complaint: its keys, listing and due-index entries (used by bulk loads). */
  toItem(c: Complaint) {
    const unresolved = UNRESOLVED.includes(c.status);
    const next = nextEscalationCheck(c);
    return {
      ...keys.complaint.item(c.id),
      ...keys.complaint.listing(c.accountId, c.status === 'closed', c.id),
      ...(unresolved ? keys.due.complaintSla(c.id, next ?? keys.due.never) : {}),
      type: 'Complaint',
      ...c,
    };
  }

  /** A complaint whose level is already right but still sits on a past mark moves to its next one. */
  private async reindexDue(c: Complaint, now: Date) {
    const next = nextEscalationCheck(c) ?? keys.due.never;
    if (Date.parse(next) <= now.getTime() && next !== keys.due.never) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.complaint.item(c.id),
          UpdateExpression: 'SET gsi2sk = :next',
          ConditionExpression: 'escalationLevel = :seen AND attribute_exists(gsi2pk)',
          ExpressionAttributeValues: { ':next': `${next}#${c.id}`, ':seen': c.escalationLevel },
        }),
      )
      .catch(() => undefined);
  }

  private historyPut(id: string, entry: HistoryEntry, seq: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.complaint.history(id, entry.at, seq), type: 'ComplaintHistory', ...entry },
      },
    };
  }

  private statsAdd(accountId: string, delta: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.stats(accountId),
        UpdateExpression: 'ADD openComplaints :d SET #t = if_not_exists(#t, :type)',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':d': delta, ':type': 'AccountStats' },
      },
    };
  }

  /** yymmdd + a four-digit daily sequence, e.g. 2611230007: short enough to read out on a call. */
  private async nextReference(now: Date): Promise<string> {
    const day = now.toISOString().slice(2, 10).replaceAll('-', '');
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.complaint.counter(day),
        UpdateExpression: 'ADD seq :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return `${day}${String(r.Attributes?.seq ?? 0).padStart(4, '0')}`;
  }

  private async byIdempotencyKey(key: string): Promise<Complaint | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.idempotency.item('ivr-complaint', key),
        ConsistentRead: true,
      }),
    );
    const id = r.Item?.complaintId;
    if (typeof id !== 'string') return undefined;
    const c = await this.get(id);
    return c ? withoutHistory(c) : undefined;
  }

  private async queryAll(input: QueryCommandInput) {
    return (await queryAll(this.db, input)).map(strip);
  }
}

function actionName(from: ComplaintStatus, to: ComplaintStatus): string {
  if ((from === 'resolved' || from === 'closed') && to === 'in-progress') return 'reopened';
  return {
    open: 'opened',
    acknowledged: 'acknowledged',
    'in-progress': 'started',
    resolved: 'resolved',
    closed: 'closed',
  }[to];
}

function withoutHistory(c: ComplaintWithHistory): Complaint {
  const { history: _h, ...rest } = c;
  return rest;
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!STRIP.includes(k)) out[k] = v;
  return out;
}
