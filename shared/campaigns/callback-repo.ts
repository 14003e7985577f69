import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../platform/dynamo/batch.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { gsi1Partition, type Page, type PageRequest, queryPage } from '../platform/dynamo/query-page.ts';
import { type Named, TransactionCancelled, transactWrite } from '../platform/dynamo/transact.ts';
import {
  CHECK_AFTER_DIAL_MINUTES,
  completionOf,
  endingCounts,
  type OutcomeDecision,
  WAITING,
  waitingState,
} from './callback.ts';
import { callLogLine, noteCallResult } from './callback-log.ts';
import { type Move, moveItem } from './callback-move.ts';
import type { SkipReason } from './consent.ts';
import type { Callback, CallbackState } from './model.ts';
import type { CampaignRepo } from './repo.ts';

export const CallbackEntity = entity<Callback>({
  name: 'Callback',
  keys: (c) => ({
    ...keys.callback.item(c.id),
    ...keys.callback.listing(c.campaignId, c.state, c.id),
    ...(WAITING.includes(c.state) ? keys.due.callback(c.id, c.campaignId, c.dueAt, c.rank) : {}),
  }),
});

const swallowConditionFailure = (err: unknown) => {
  if (!(err instanceof ConditionalCheckFailedException || err instanceof TransactionCancelled)) throw err;
};

/**
 * Callbacks. Each write is conditional on the state (and for outcomes the attempt) it was decided
 * from, and moves its campaign's counters in the same transaction: two dialer runs never share a
 * callback, and duplicate or reordered contact events change nothing.
 */
export class CallbackRepo {
  private readonly claims: Claims;

  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
    private readonly campaigns: CampaignRepo,
  ) {
    this.claims = new Claims(db, tableName);
  }

  /** The writes that book a callback into its campaign: the callback and one more target. */
  bookItems(c: Callback): Named[] {
    return [
      { name: 'callback', Put: { TableName: this.tableName, Item: CallbackEntity.toItem(c) } },
      // A callback booked without a number has already failed: it counts as a target and a failure.
      this.campaigns.countsAdd(c.campaignId, { targets: 1, ...(c.state === 'failed' ? { failed: 1 } : {}) }),
    ].filter((i): i is Named => i !== undefined);
  }

  /** Books a callback, with an optional guard (a claim) taken in the same transaction. */
  async book(c: Callback, guard?: Named | Named[]): Promise<void> {
    await transactWrite(this.db, [...(guard ? [guard].flat() : []), ...this.bookItems(c)]);
  }

  /** Many callbacks of a new campaign (its counters were set when it was created). */
  async putMany(callbacks: Callback[]): Promise<void> {
    await batchPut(
      this.db,
      this.tableName,
      callbacks.map((c) => CallbackEntity.toItem(c)),
    );
  }

  async get(id: string): Promise<Callback | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.callback.item(id), ConsistentRead: true }),
    );
    return r.Item ? CallbackEntity.fromItem(r.Item) : undefined;
  }

  async list(campaignId: string, state?: CallbackState): Promise<Callback[]> {
    return (await queryAll(this.db, this.listing(campaignId, state))).map((i) => CallbackEntity.fromItem(i));
  }

  /** One page of a campaign's callbacks (by state, then id). */
  async page(
    campaignId: string,
    state: CallbackState | undefined,
    req: PageRequest,
  ): Promise<Page<Callback>> {
    const { items, next } = await queryPage(this.db, this.listing(campaignId, state), req);
    return { items: items.map((i) => CallbackEntity.fromItem(i)), ...(next ? { next } : {}) };
  }

  private listing(campaignId: string, state?: CallbackState) {
    const prefix = state ? keys.callback.statePrefix(state) : undefined;
    return gsi1Partition(this.tableName, keys.callback.campaignPartition(campaignId), prefix);
  }

  /**
   * Due callbacks of the given campaigns (each campaign is one partition of the due index), at
   * most `limitPerCampaign` each, merged by due minute then dial rank.
   */
  async due(now: Date, campaignIds: string[], limitPerCampaign: number): Promise<Callback[]> {
    if (campaignIds.length === 0) return [];
    const { items } = await queryDue(this.db, this.tableName, 'CALLBACK', {
      now,
      limitPerShard: limitPerCampaign,
      partitions: campaignIds.map((id) => keys.due.callbackPartition(id)),
    });
    return items.map((i) => CallbackEntity.fromItem(i));
  }

  /** Waiting callbacks of a campaign, due or not (to end them when it is cancelled). */
  async waiting(campaignId: string, limit: number): Promise<Callback[]> {
    const { items } = await queryDue(this.db, this.tableName, 'CALLBACK', {
      limitPerShard: limit,
      partitions: [keys.due.callbackPartition(campaignId)],
    });
    return items.map((i) => CallbackEntity.fromItem(i));
  }

  /** Placed calls whose outcome is overdue (a lost contact event), oldest first. */
  async checksDue(now: Date, limit: number): Promise<Callback[]> {
    const { items } = await queryDue(this.db, this.tableName, 'CALLCHECK', {
      now,
      limitPerShard: Math.max(1, Math.ceil(limit / 4)),
    });
    return items.slice(0, limit).map((i) => CallbackEntity.fromItem(i));
  }

  /**
   * Claims a callback for dialing: only one run can (conditional on a waiting state, or on an
   * expired lease). While leased it sits in the due index at its lease expiry, so a run that dies
   * leaves it to be claimed again once the lease runs out. Each claim counts itself (`claims`, set
   * back to 0 when the callback moves on), so one that keeps dying is seen and given up.
   */
  async claim(c: Callback, runId: string, now: Date, leaseSeconds = 120): Promise<Callback | undefined> {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    const { Update } = this.move(c, {
      to: 'dialing',
      from: WAITING,
      orLeaseExpiredAt: now.toISOString(),
      set: { leaseUntil, claimedBy: runId },
      add: { claims: 1 },
      index: { due: leaseUntil },
    });
    try {
      const r = await this.db.send(
        new UpdateCommand({ ...(Update as UpdateCommandInput), ReturnValues: 'ALL_NEW' }),
      );
      return r.Attributes ? CallbackEntity.fromItem(r.Attributes) : undefined;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /**
   * Gives a claimed callback back (throttled, outside its window, campaign paused) with a new due
   * time, and the zone it was last checked in (the contact's, as it stood at the call). After a
   * Connect error it keeps its count of claims: it did not move on.
   */
  async release(c: Callback, runId: string, dueAt: string, o = { keepClaims: false }): Promise<void> {
    await transactWrite(this.db, [
      this.move(c, {
        to: waitingState(c),
        from: ['dialing'],
        runId,
        set: { dueAt, timeZone: c.timeZone, ...(o.keepClaims ? {} : { claims: 0 }) },
        index: { due: dueAt },
      }),
    ]).catch(swallowConditionFailure);
  }

  /**
   * Records a placed call: the attempt, the Connect ContactId (and its reverse mapping), the
   * counters, a line in the account's call log, and a check of its outcome should no event come.
   */
  async markDialed(c: Callback, runId: string, contactId: string, attempt: number, now: Date): Promise<void> {
    await transactWrite(this.db, [
      this.move(c, {
        to: 'dialed',
        from: ['dialing'],
        runId,
        // The zone the call was placed in: a retry is timed in it.
        set: {
          attempts: attempt,
          connectContactId: contactId,
          dialedAt: now.toISOString(),
          timeZone: c.timeZone,
          claims: 0,
        },
        index: { check: new Date(now.getTime() + CHECK_AFTER_DIAL_MINUTES * 60_000).toISOString() },
      }),
      {
        name: 'contact',
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.connectContact(contactId),
            [ENTITY]: 'ConnectContact',
            callbackId: c.id,
            attempt,
            expiresAt: ttlAfter(now, 14),
          },
        },
      },
      this.campaigns.countsAdd(c.campaignId, { dialed: 1, active: 1 }),
      callLogLine(this.tableName, c, now, { outcome: 'dialed', connectContactId: contactId }),
    ]);
  }

  /**
   * Ends a callback without a call: failed (rejected number, no phone), expired, cancelled, or
   * skipped at the moment of the call (with its reason, also written to the account's call log).
   * From a claim (`runId`) or, for a cancelled campaign, straight from waiting. Whatever the
   * ending, a customer's pending slot on the number is freed with it. False when the callback had
   * moved on meanwhile.
   */
  async end(
    c: Callback,
    to: 'failed' | 'expired' | 'cancelled' | 'skipped',
    o: { runId?: string; note: string; skipReason?: SkipReason; now: Date },
  ): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        ...this.endItems(c, to, o),
        to === 'skipped' && c.phone
          ? callLogLine(this.tableName, c, o.now, {
              outcome: 'skipped',
              ...(o.skipReason ? { skipReason: o.skipReason } : {}),
            })
          : undefined,
      ]);
      return true;
    } catch (err) {
      swallowConditionFailure(err);
      return false;
    }
  }

  /**
   * The writes of `end`, for a transaction of the caller's (a reopened complaint calls off its
   * follow-up call with its own write). The callback's item is named `callback` and holds only
   * while the callback waits (or its claim's lease has run out): a call claimed or placed
   * meanwhile fails it, and the caller decides what then.
   */
  endItems(
    c: Pick<Callback, 'id' | 'campaignId' | 'rank' | 'reason' | 'phone'>,
    to: 'failed' | 'expired' | 'cancelled' | 'skipped',
    o: { runId?: string; note: string; skipReason?: SkipReason; now: Date },
  ): (Named | undefined)[] {
    return [
      this.move(c, {
        to,
        from: o.runId ? ['dialing'] : WAITING,
        // Without a run: from waiting, or from a claim whose lease has run out.
        ...(o.runId ? { runId: o.runId } : { orLeaseExpiredAt: o.now.toISOString() }),
        set: {
          notes: o.note,
          updatedAt: o.now.toISOString(),
          ...(o.skipReason ? { skipReason: o.skipReason } : {}),
        },
        index: 'none',
      }),
      this.campaigns.countsAdd(c.campaignId, endingCounts(to, o.skipReason)),
      this.freeSlot(c),
    ];
  }

  /** Puts a placed call whose outcome is still unknown up for another check at `at`. */
  async recheck(c: Callback, at: string): Promise<void> {
    await transactWrite(this.db, [
      this.move(c, { to: c.state, from: [c.state], attempt: c.attempts, index: { check: at } }),
    ]).catch(swallowConditionFailure);
  }

  /** Resolves a Connect ContactId to the callback and attempt it belongs to. */
  async byConnectContact(contactId: string): Promise<{ callbackId: string; attempt: number } | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.connectContact(contactId),
        ConsistentRead: true,
      }),
    );
    return r.Item ? { callbackId: String(r.Item.callbackId), attempt: Number(r.Item.attempt) } : undefined;
  }

  /**
   * Applies an attempt's outcome exactly once: conditional on the attempt and on the states the
   * outcome may follow. An ending call frees the number's pending slot (customer callbacks).
   * False when a duplicate or a late event found the callback moved on.
   */
  async applyOutcome(
    c: Callback,
    d: OutcomeDecision,
    attempt: number,
    now: Date,
    note?: string,
  ): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        this.move(c, {
          to: d.to,
          from: d.from,
          attempt,
          set: {
            updatedAt: now.toISOString(),
            ...(d.dueAt ? { dueAt: d.dueAt } : {}),
            ...((note ?? d.note) ? { notes: note ?? d.note } : {}),
          },
          index: d.dueAt ? { due: d.dueAt } : d.checkAt ? { check: d.checkAt } : 'none',
        }),
        this.campaigns.countsAdd(c.campaignId, d.counts),
        d.ends ? this.freeSlot(c) : undefined,
      ]);
    } catch (err) {
      if (err instanceof TransactionCancelled) return false;
      throw err;
    }
    await noteCallResult(
      this.db,
      this.tableName,
      c,
      d.to === 'connected' ? 'connected' : d.to === 'completed' ? 'completed' : 'no-answer',
    );
    return true;
  }

  /**
   * The agent's disposition and notes, with what must be written with them (a scheduled
   * follow-up's outcome) in the same transaction.
   */
  async dispose(id: string, disposition: string, notes: string | undefined, now: Date, with_: Named[] = []) {
    await transactWrite(this.db, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.callback.item(id),
          UpdateExpression: 'SET disposition = :d, notes = :n, disposedAt = :now',
          ExpressionAttributeValues: { ':d': disposition, ':n': notes ?? '', ':now': now.toISOString() },
        },
      },
      ...with_,
    ]);
  }

  /**
   * The follow-up call of a complaint is over, its outcome recorded: the writes that complete it
   * (see completionOf), for the complaint's transaction, each on the state read here; or, for a
   * callback that had ended or is being dialed, only its disposition.
   */
  async completeItems(callbackId: string, disposition: string, at: string): Promise<Named[]> {
    const cb = await this.get(callbackId);
    if (!cb) return [];
    const d = completionOf(cb);
    if (!d) {
      return [
        {
          name: 'callback',
          Update: {
            TableName: this.tableName,
            Key: keys.callback.item(callbackId),
            UpdateExpression: 'SET disposition = :d',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':d': disposition },
          },
        },
      ];
    }
    const counts = this.campaigns.countsAdd(cb.campaignId, d.counts);
    return [
      this.move(cb, {
        to: d.to,
        from: d.from,
        attempt: cb.attempts,
        set: { disposition, completedAt: at, updatedAt: at },
        index: 'none',
      }),
      ...(counts ? [counts] : []),
    ];
  }

  /** A customer-requested callback that ends frees the number for the next request. */
  private freeSlot(c: Pick<Callback, 'id' | 'reason' | 'phone'>): Named | undefined {
    return c.reason === 'customer-callback' && c.phone
      ? this.claims.unguard(keys.claim.pendingCallback(c.phone), { callbackId: c.id })
      : undefined;
  }

  private move(c: Pick<Callback, 'id' | 'campaignId' | 'rank'>, m: Move): Named {
    return moveItem(this.tableName, c, m);
  }
}
