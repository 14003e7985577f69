import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { statsChange } from '../accounts/stats.ts';
import { BOOK_ZONE } from '../analytics/weeks.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity, stripItem } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { type Named, transactWrite } from '../platform/dynamo/transact.ts';
import { localDate } from '../platform/time.ts';
import { type ComplaintEffect, nextEscalationCheck, openingEntry } from './lifecycle.ts';
import { type Complaint, type ComplaintWithHistory, type HistoryEntry, UNRESOLVED } from './model.ts';

/** A complaint that counts itself in its account's open complaints now (see `openCounter`). */
const countsItself = (c: Complaint) => c.openCounter === 'self' && UNRESOLVED.includes(c.status);

export const ComplaintEntity = entity<Complaint>({
  name: 'Complaint',
  keys: (c) => ({
    ...keys.complaint.item(c.id),
    ...keys.complaint.listing(c.accountId, c.status === 'closed', c.id),
    ...(UNRESOLVED.includes(c.status) ? keys.due.complaintSla(c.id, nextEscalationCheck(c)) : {}),
    ...(countsItself(c) ? keys.stats.selfCounted(c.accountId, c.id) : {}),
  }),
  // The complaint's own 1 in its account's open-complaint count, while unresolved.
  stored: (c) => (countsItself(c) ? { openComplaints: 1 } : {}),
  storedNames: ['openComplaints'],
});

const HISTORY = 'ComplaintHistory';
const REFERENCE = 'ComplaintReference';

/** A resolved or closed complaint's reference item: the reference the caller quotes → its id. */
export const referenceItem = (c: Pick<Complaint, 'id' | 'reference'>) => ({
  ...keys.complaint.reference(c.reference),
  [ENTITY]: REFERENCE,
  complaintId: c.id,
});

/**
 * Complaints and their history. A change is written at once: the complaint (guarded by the
 * version it was decided from, or by its absence when new), its history entries, the account's
 * counter when it moved (older complaints; a complaint counts itself now), and whatever else the
 * change brings (a follow-up call, a claim on the ContactId it was filed for, the reference item
 * of a complaint it resolves or closes). A change that is the complaint alone (most filings) is
 * one conditional PutItem; any other, one transaction.
 */
export class ComplaintRepo {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The complaint and the writes its effects ask for. `expectedVersion` (and the escalation level
   * it was decided on) guards an update; a new complaint is written only if it does not exist. Other effects (callbacks) come as `extra`.
   */
  async write(
    next: Complaint,
    expectedVersion: number | undefined,
    effects: ComplaintEffect[],
    extra: Named[] = [],
  ) {
    const items: Named[] = [
      {
        name: 'complaint',
        Put: {
          TableName: this.tableName,
          Item: ComplaintEntity.toItem(next),
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                // The escalation run raises the level without a new version: a change decided
                // before it must not put the level (and its due mark) back (service.apply).
                ConditionExpression: '#v = :v AND escalationLevel = :lvl',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': expectedVersion, ':lvl': next.escalationLevel },
              }),
        },
      },
      // A new complaint's opening entry is the complaint item itself (openingEntry): one write less.
      ...this.effectItems(
        next,
        expectedVersion === undefined
          ? effects.filter((e) => !(e.kind === 'history' && e.seq === 0))
          : effects,
      ),
      // Resolved or closed, it has left the due index: its reference item finds it (findByReference).
      ...(UNRESOLVED.includes(next.status) ? [] : [this.referencePut(next)]),
      ...extra,
    ];
    await transactWrite(this.db, items);
  }

  private referencePut(c: Complaint): Named {
    return {
      name: 'reference',
      Put: {
        TableName: this.tableName,
        // The same on every such write (a resolution, the follow-up's close): a plain put.
        Item: referenceItem(c),
      },
    };
  }

  /**
   * The complaint a caller's reference names, whatever its status. Resolved or closed: its
   * reference item, then the complaint (two GetItems). Unresolved: among the unresolved ones, the
   * due index the desktop's feed reads anyway (an intake stays one PutItem, no reference item).
   * A complaint resolved before reference items were written is found once `keyline migrate
   * complaint-references` gave it one (reference-migration.ts).
   */
  async findByReference(reference: string): Promise<Complaint | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.complaint.reference(reference),
        ProjectionExpression: 'complaintId',
      }),
    );
    const id = r.Item?.complaintId;
    if (typeof id === 'string') {
      const c = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.complaint.item(id) }),
      );
      return c.Item ? ComplaintEntity.fromItem(c.Item) : undefined;
    }
    return (await this.listUnresolved()).find((c) => c.reference === reference);
  }

  /** The history and counter writes of a change's effects. */
  effectItems(c: Pick<Complaint, 'id' | 'accountId'>, effects: ComplaintEffect[]): Named[] {
    const out: Named[] = [];
    for (const e of effects) {
      if (e.kind === 'history') out.push(this.historyPut(c.id, e.entry, e.seq));
      if (e.kind === 'count-open' && e.ownItem) {
        // A put or a delete, not an update: cheaper in a transaction, and idempotent.
        const Key = keys.stats.openComplaint(c.accountId, c.id);
        out.push(
          e.delta > 0
            ? {
                Put: {
                  TableName: this.tableName,
                  Item: { ...Key, ...keys.stats.indexed(Key), openComplaints: 1 },
                },
              }
            : { Delete: { TableName: this.tableName, Key } },
        );
      } else if (e.kind === 'count-open') {
        const item = statsChange(this.tableName, c.accountId, c.id, { openComplaints: e.delta });
        if (item) out.push(item);
      }
    }
    return out;
  }

  /** A complaint with its history (one query of its partition). */
  async get(id: string): Promise<ComplaintWithHistory | undefined> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.complaint.partition(id) },
      }),
    );
    const items = r.Items ?? [];
    const main = items.find((i) => i.sk === keys.complaint.item(id).sk);
    if (!main) return undefined;
    const complaint = ComplaintEntity.fromItem(main);
    const stored = items
      .filter((i) => String(i.sk).startsWith(keys.complaint.historyPrefix))
      .map((i) => stripItem<HistoryEntry>(i));
    // Complaints filed before the opening entry was implied have it stored.
    const history = stored.some((h) => h.from === null) ? stored : [openingEntry(complaint), ...stored];
    return { ...complaint, history };
  }

  /** An account's complaints: unresolved and resolved first (OPEN#), then closed. */
  async listByAccount(accountId: string, which: 'open' | 'all' = 'all'): Promise<Complaint[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression:
        which === 'open' ? 'gsi1pk = :pk AND begins_with(gsi1sk, :open)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.complaint.accountPartition(accountId),
        ...(which === 'open' ? { ':open': keys.complaint.openPrefix } : {}),
      },
      ScanIndexForward: false,
    });
    return items.map((i) => ComplaintEntity.fromItem(i));
  }

  /** Every unresolved complaint, across accounts: the sparse due index holds exactly these. */
  async listUnresolved(): Promise<Complaint[]> {
    return (await queryDue(this.db, this.tableName, 'SLA')).items.map((i) => ComplaintEntity.fromItem(i));
  }

  /** Complaints whose next escalation mark has passed; only those are read, whatever the book's size. */
  async dueForEscalation(now: Date, limitPerShard = 200): Promise<{ items: Complaint[]; read: number }> {
    const { items, read } = await queryDue(this.db, this.tableName, 'SLA', { now, limitPerShard });
    return { items: items.map((i) => ComplaintEntity.fromItem(i)), read };
  }

  /**
   * Sets the escalation level (and the complaint's next mark in the due index), conditional on
   * the level this run read: an overlapping run that got there first cancels this one.
   */
  async setEscalation(c: Complaint, seenLevel: number, effects: ComplaintEffect[], onlyUnresolved = true) {
    await transactWrite(this.db, [
      {
        name: 'complaint',
        Update: {
          TableName: this.tableName,
          Key: keys.complaint.item(c.id),
          UpdateExpression: `SET escalationLevel = :to, gsi2sk = :next${c.escalatedAt ? ', escalatedAt = :at' : ''}`,
          ConditionExpression: `escalationLevel = :seen${onlyUnresolved ? ' AND #s IN (:o, :a, :p)' : ''}`,
          ...(onlyUnresolved ? { ExpressionAttributeNames: { '#s': 'status' } } : {}),
          ExpressionAttributeValues: {
            ':to': c.escalationLevel,
            ':seen': seenLevel,
            ':next': keys.due.complaintSla(c.id, nextEscalationCheck(c)).gsi2sk,
            ...(c.escalatedAt ? { ':at': c.escalatedAt } : {}),
            ...(onlyUnresolved ? { ':o': 'open', ':a': 'acknowledged', ':p': 'in-progress' } : {}),
          },
        },
      },
      ...this.effectItems(c, effects),
    ]);
  }

  /**
   * Whether the complaint is still unresolved at the level this run read, checked just before its
   * levels are announced (a conditional write that changes nothing, so no stream record): one an
   * agent resolved since the run's read is no escalation.
   */
  async stillEscalates(c: Complaint): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.complaint.item(c.id),
          UpdateExpression: 'SET escalationLevel = :seen',
          ConditionExpression: 'escalationLevel = :seen AND #s IN (:o, :a, :p)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':seen': c.escalationLevel,
            ':o': 'open',
            ':a': 'acknowledged',
            ':p': 'in-progress',
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Moves a complaint whose level is already right on to its next mark in the due index. */
  async reindexDue(c: Complaint): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.complaint.item(c.id),
          UpdateExpression: 'SET gsi2sk = :next',
          ConditionExpression: 'escalationLevel = :seen AND attribute_exists(gsi2pk)',
          ExpressionAttributeValues: {
            ':next': keys.due.complaintSla(c.id, nextEscalationCheck(c)).gsi2sk,
            ':seen': c.escalationLevel,
          },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /**
   * yymmdd (the day in China) + a four-digit daily sequence, e.g. 2611230007: short enough to read
   * out on a call.
   * Numbers come from the day's counter item in blocks (see ReferenceBlocks): one at a time at a
   * normal pace, so references follow the order of filing; more at once in a burst, so the
   * counter is not one write per complaint.
   */
  nextReference(now: Date): Promise<string> {
    return this.references.take(now);
  }

  private readonly references = new ReferenceBlocks((day, n) => this.reserve(day, n));

  /** Adds `n` to the day's counter and answers the new top. */
  private async reserve(day: string, n: number): Promise<number> {
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.complaint.counter(day),
        UpdateExpression: 'ADD seq :n',
        ExpressionAttributeValues: { ':n': n },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(r.Attributes?.seq ?? n);
  }

  private historyPut(id: string, entry: HistoryEntry, seq: number): Named {
    return {
      name: `history-${seq}`,
      Put: {
        TableName: this.tableName,
        Item: { ...keys.complaint.history(id, entry.at, seq), [ENTITY]: HISTORY, ...entry },
      },
    };
  }
}

/**
 * Hands out a day's reference numbers from reserved blocks. A block is one number unless the last
 * one ran out within a second (a burst), then it doubles, up to 32; it falls back to one when the
 * pace drops. Numbers left in a block when the process ends are never used: a gap, only after
 * bursts. One reservation at a time; concurrent takers wait for it.
 */
export class ReferenceBlocks {
  private day = '';
  private next = 1;
  private last = 0;
  private size = 1;
  private refilledAt = 0;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly reserve: (day: string, n: number) => Promise<number>,
    private readonly clock: () => number = Date.now,
  ) {}

  async take(now: Date): Promise<string> {
    // The day in China, where the reference is read out and quoted, not the UTC day.
    const day = localDate(now, BOOK_ZONE).slice(2).replaceAll('-', '');
    for (;;) {
      if (this.day === day && this.next <= this.last) {
        return `${day}${String(this.next++).padStart(4, '0')}`;
      }
      this.refill ??= this.reserveFor(day).finally(() => {
        this.refill = undefined;
      });
      await this.refill;
    }
  }

  private async reserveFor(day: string): Promise<void> {
    const at = this.clock();
    const burst = this.day === day && at - this.refilledAt < 1_000;
    const size = burst ? Math.min(this.size * 2, 32) : 1;
    const top = await this.reserve(day, size);
    this.day = day;
    this.size = size;
    this.next = top - size + 1;
    this.last = top;
    this.refilledAt = at;
  }
}
