import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { queryDue } from '../platform/dynamo/due-index.ts';
import { entity } from '../platform/dynamo/entity.ts';
import { DUE_SHARDS, ENTITY, keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { batchPut, type Named, TransactionCancelled, transactWrite } from '../platform/dynamo/transact.ts';
import { type OutcomeDecision, WAITING, waitingState } from './callback.ts';
import type { Callback, CallbackState } from './model.ts';
import type { CampaignRepo } from './repo.ts';

export const CallbackEntity = entity<Callback>({
  name: 'Callback',
  keys: (c) => ({
    ...keys.callback.item(c.id),
    ...keys.callback.listing(c.campaignId, c.state, c.id),
    ...(WAITING.includes(c.state) ? keys.due.callback(c.id, c.dueAt, c.rank) : {}),
  }),
});

const swallowConditionFailure = (err: unknown) => {
  if (!(err instanceof ConditionalCheckFailedException || err instanceof TransactionCancelled)) throw err;
};

/** A callback's move: to a state, from the states (lease, attempt) it may move from. */
interface Move {
  to: CallbackState;
  /** Only from these states; no condition when absent. */
  from?: CallbackState[];
  /** Only by the run that holds the lease (and the lease ends with the move). */
  runId?: string;
  /** Or from another run's lease that ran out before this instant (a claim). */
  orLeaseExpiredAt?: string;
  /** Only for this dial attempt. */
  attempt?: number;
  set?: Record<string, unknown>;
  /** Its place in the due index: due at this time, or out of the index; unchanged when absent. */
  due?: string;
}

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
  async book(c: Callback, guard?: Named): Promise<void> {
    await transactWrite(this.db, [...(guard ? [guard] : []), ...this.bookItems(c)]);
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
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: state ? 'gsi1pk = :pk AND begins_with(gsi1sk, :s)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.callback.campaignPartition(campaignId),
        ...(state ? { ':s': keys.callback.statePrefix(state) } : {}),
      },
    });
    return items.map((i) => CallbackEntity.fromItem(i));
  }

  /** Due callbacks across the due index's shards, dial rank first within each minute. */
  async due(now: Date, limit: number): Promise<Callback[]> {
    const perShard = Math.max(1, Math.ceil(limit / DUE_SHARDS) * 2);
    const { items } = await queryDue(this.db, this.tableName, 'CALLBACK', { now, limitPerShard: perShard });
    return items.slice(0, limit).map((i) => CallbackEntity.fromItem(i));
  }

  /**
   * Claims a callback for dialing: only one run can (conditional on a waiting state, or on an
   * expired lease). While leased it sits in the due index at its lease expiry, so a run that dies
   * leaves it to be claimed again once the lease runs out.
   */
  async claim(c: Callback, runId: string, now: Date, leaseSeconds = 120): Promise<Callback | undefined> {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    const { Update } = this.move(c, {
      to: 'dialing',
      from: WAITING,
      orLeaseExpiredAt: now.toISOString(),
      set: { leaseUntil, claimedBy: runId },
      due: leaseUntil,
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

  /** Gives a claimed callback back (throttled, outside its window, campaign paused) with a new due time. */
  async release(c: Callback, runId: string, dueAt: string): Promise<void> {
    await transactWrite(this.db, [
      this.move(c, { to: waitingState(c), from: ['dialing'], runId, set: { dueAt }, due: dueAt }),
    ]).catch(swallowConditionFailure);
  }

  /** Records a placed call: the attempt, the Connect ContactId (and its reverse mapping), the counters. */
  async markDialed(c: Callback, runId: string, contactId: string, attempt: number, now: Date): Promise<void> {
    await transactWrite(this.db, [
      this.move(c, {
        to: 'dialed',
        from: ['dialing'],
        runId,
        set: { attempts: attempt, connectContactId: contactId, dialedAt: now.toISOString() },
        due: 'none',
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
    ]);
  }

  /**
   * Ends a callback without a call: failed (rejected number, no phone), expired or cancelled.
   * From a claim (`runId`) or, for a cancelled campaign, straight from waiting.
   */
  async finish(
    c: Callback,
    state: 'failed' | 'expired' | 'cancelled',
    runId: string | undefined,
    note: string,
  ) {
    await transactWrite(this.db, [
      this.move(c, {
        to: state,
        from: runId ? ['dialing'] : WAITING,
        ...(runId ? { runId } : {}),
        set: { notes: note },
        due: 'none',
      }),
      this.campaigns.countsAdd(c.campaignId, { [state]: 1 }),
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
  async applyOutcome(c: Callback, d: OutcomeDecision, attempt: number, now: Date): Promise<boolean> {
    try {
      await transactWrite(this.db, [
        this.move(c, {
          to: d.to,
          from: d.from,
          attempt,
          set: { updatedAt: now.toISOString(), ...(d.dueAt ? { dueAt: d.dueAt } : {}) },
          ...(d.dueAt ? { due: d.dueAt } : {}),
        }),
        this.campaigns.countsAdd(c.campaignId, d.counts),
        d.ends && c.reason === 'customer-callback' && c.phone
          ? this.claims.unguard(keys.claim.pendingCallback(c.phone), { callbackId: c.id })
          : undefined,
      ]);
      return true;
    } catch (err) {
      if (err instanceof TransactionCancelled) return false;
      throw err;
    }
  }

  /** The agent's disposition and notes. */
  async dispose(id: string, disposition: string, notes: string | undefined, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.callback.item(id),
        UpdateExpression: 'SET disposition = :d, notes = :n, disposedAt = :now',
        ExpressionAttributeValues: { ':d': disposition, ':n': notes ?? '', ':now': now.toISOString() },
      }),
    );
  }

  /** The follow-up call of a complaint is over: completed, with its outcome, in the complaint's transaction. */
  completeItem(callbackId: string, campaignId: string, disposition: string, at: string): Named {
    return this.move(
      { id: callbackId, campaignId, rank: 0 },
      { to: 'completed', set: { disposition, completedAt: at }, due: 'none' },
    );
  }

  /**
   * One callback's move to a new state, as a transaction item: its listing and its place in the
   * due index move with it, and the write holds only from the states (the run's lease, the
   * attempt) the move was decided from.
   */
  private move(c: Pick<Callback, 'id' | 'campaignId' | 'rank'>, m: Move): Named {
    const set: Record<string, unknown> = {
      gsi1sk: keys.callback.listing(c.campaignId, m.to, c.id).gsi1sk,
      ...m.set,
    };
    const remove = m.runId || m.due === 'none' ? ['leaseUntil', 'claimedBy'] : [];
    if (m.due === 'none') remove.push('gsi2pk', 'gsi2sk');
    else if (m.due) Object.assign(set, keys.due.callback(c.id, m.due, c.rank));
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':to': m.to };
    const assignments = [
      '#state = :to',
      ...Object.entries(set).map(([k, v], i) => {
        names[`#a${i}`] = k;
        values[`:a${i}`] = v;
        return `#a${i} = :a${i}`;
      }),
    ];
    const conditions: string[] = [];
    if (m.from) {
      m.from.forEach((f, i) => {
        values[`:f${i}`] = f;
      });
      conditions.push(`#state IN (${m.from.map((_, i) => `:f${i}`).join(', ')})`);
    }
    if (m.runId) {
      values[':run'] = m.runId;
      conditions.push('claimedBy = :run');
    }
    if (m.attempt !== undefined) {
      values[':attempt'] = m.attempt;
      conditions.push('attempts = :attempt');
    }
    let condition = conditions.join(' AND ');
    if (m.orLeaseExpiredAt) {
      values[':dialing'] = 'dialing';
      values[':leaseNow'] = m.orLeaseExpiredAt;
      condition = `(${condition}) OR (#state = :dialing AND leaseUntil < :leaseNow)`;
    }
    return {
      name: 'callback',
      Update: {
        TableName: this.tableName,
        Key: keys.callback.item(c.id),
        UpdateExpression: `SET ${assignments.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Counts a dial against the number's daily cap; false when the cap is reached. */
  async takeDailyDial(phone: string, day: string, cap: number, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dials(phone, day),
          UpdateExpression: 'ADD dials :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
          ConditionExpression: 'attribute_not_exists(dials) OR dials < :cap',
          ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': ttlAfter(now, 3) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Gives back a dial counted against the daily cap when the call was not placed after all. */
  async returnDailyDial(phone: string, day: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dials(phone, day),
          UpdateExpression: 'ADD dials :minus',
          ConditionExpression: 'dials > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      )
      .catch(swallowConditionFailure);
  }
}
