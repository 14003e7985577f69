import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { type CallingWindow, nextInWindow } from '../domain/calling-window.ts';
import {
  type CallbackState,
  type Campaign,
  type CampaignCounts,
  type CampaignInput,
  type CampaignStatus,
  type CampaignType,
  dialRank,
  type Exclusion,
  type Target,
} from '../domain/campaign.ts';
import { AppError, ConflictError, NotFoundError } from '../errors.ts';
import type { DocumentClient } from './client.ts';
import { DUE_SHARDS, keys } from './keys.ts';
import { queryAll } from './query.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface Callback {
  id: string;
  campaignId: string;
  reason: CampaignType;
  accountId: string;
  accountName?: string;
  contactId?: string;
  contactName?: string;
  phone?: string;
  language: string;
  timeZone: string;
  rank: number;
  state: CallbackState;
  attempts: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  dailyCap: number;
  window: CallingWindow;
  dueAt: string;
  expiresAt?: string;
  complaintId?: string;
  complaintReference?: string;
  connectContactId?: string;
  leaseUntil?: string;
  claimedBy?: string;
  disposition?: string;
  notes?: string;
  createdAt: string;
  updatedAt?: string;
}

const KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];
/** Drops the table keys and the entity marker. A campaign's own `type` field is its campaign type, so it stays. */
const strip = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(
    Object.entries(item).filter(
      ([k]) => !KEYS.includes(k) && !(k === 'type' && item.entity !== 'Campaign') && k !== 'entity',
    ),
  ) as T;

const EMPTY_COUNTS: CampaignCounts = {
  targets: 0,
  excluded: {},
  dialed: 0,
  reached: 0,
  completed: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  active: 0,
};

/** Standing campaigns that callbacks join without an agent creating them. */
export const STANDING_CAMPAIGNS: Record<string, { name: string; type: CampaignType }> = {
  'customer-callbacks': { name: '客户预约回电 · Customer-requested callbacks', type: 'customer-callback' },
  'complaint-follow-up': { name: '投诉回访 · Complaint follow-ups', type: 'complaint-follow-up' },
  'proactive-delay-call': { name: '延误主动致电 · Proactive delay calls', type: 'delay-call' },
};

/**
 * Campaigns and their callbacks. A callback is claimed for dialing with a conditional write (a
 * lease), so two overlapping dialer runs never dial the same one; its outcome moves through
 * conditional writes keyed on the attempt, so duplicate or reordered contact events are harmless.
 */
export class CampaignStore {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
    private readonly newId: () => string = ulid,
  ) {}

  // ---- campaigns --------------------------------------------------------------------------

  async createCampaign(
    input: CampaignInput,
    targets: Target[],
    excluded: Exclusion[],
    by: string,
    now = new Date(),
  ): Promise<Campaign> {
    const { startNow, ...fields } = input;
    const counts: CampaignCounts = {
      ...EMPTY_COUNTS,
      targets: targets.length,
      excluded: countReasons(excluded),
    };
    const campaign: Campaign = {
      ...fields,
      id: this.newId(),
      status: startNow ? 'running' : 'draft',
      counts,
      createdAt: now.toISOString(),
      createdBy: by,
      updatedAt: now.toISOString(),
      version: 1,
    };
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: this.campaignItem(campaign),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    const callbacks = targets.map((t) => this.callbackFor(campaign, t, now));
    await this.batchPut(callbacks.map((c) => this.callbackItem(c)));
    return campaign;
  }

  /** Adds one callback to a campaign and counts it as a target. */
  async addCallback(c: Callback): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: this.callbackItem(c) } },
          this.campaignAdd(c.campaignId, { targets: 1 }),
        ],
      }),
    );
  }

  /** A standing campaign (customer callbacks, complaint follow-ups), created running on first use. */
  async ensureStanding(id: keyof typeof STANDING_CAMPAIGNS, now = new Date()): Promise<Campaign> {
    const existing = await this.getCampaign(id);
    if (existing) return existing;
    const def = STANDING_CAMPAIGNS[id];
    if (!def) throw new Error(`unknown standing campaign ${id}`);
    const campaign: Campaign = {
      id,
      name: def.name,
      type: def.type,
      audience: { onePerAccount: true },
      window: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '20:00', holidays: [] },
      pacing: { dialsPerMinute: 30, maxConcurrent: 10, quotaPerSecond: 2, burst: 5 },
      retry: { delayMinutes: 30, maxAttempts: 3 },
      dailyCapPerRecipient: 3,
      status: 'running',
      counts: { ...EMPTY_COUNTS },
      createdAt: now.toISOString(),
      createdBy: 'system',
      updatedAt: now.toISOString(),
      version: 1,
    };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: this.campaignItem(campaign),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
    }
    return (await this.getCampaign(id)) ?? campaign;
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.campaign.item(id) }));
    return r.Item ? strip<Campaign>(r.Item) : undefined;
  }

  async requireCampaign(id: string): Promise<Campaign> {
    const c = await this.getCampaign(id);
    if (!c) throw new NotFoundError('Campaign', id);
    return c;
  }

  async listCampaigns(status?: CampaignStatus): Promise<Campaign[]> {
    return this.queryAll<Campaign>({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :s)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.campaign.listPartition,
        ...(status ? { ':s': `${status}#` } : {}),
      },
      ScanIndexForward: false,
    });
  }

  /** Start, pause, resume or cancel. Takes effect on the next dialer run. */
  async control(
    id: string,
    action: 'start' | 'pause' | 'resume' | 'cancel',
    now = new Date(),
  ): Promise<Campaign> {
    const c = await this.requireCampaign(id);
    const next: Record<string, CampaignStatus | undefined> = {
      start: c.status === 'draft' ? 'running' : undefined,
      pause: c.status === 'running' ? 'paused' : undefined,
      resume: c.status === 'paused' ? 'running' : undefined,
      cancel: ['draft', 'running', 'paused'].includes(c.status) ? 'cancelled' : undefined,
    };
    const to = next[action];
    if (!to) throw new AppError(409, 'illegal_transition', `Cannot ${action} a campaign that is ${c.status}`);
    await this.setCampaignStatus(c, to, now);
    return this.requireCampaign(id);
  }

  async setCampaignStatus(c: Campaign, to: CampaignStatus, now = new Date()) {
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
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new ConflictError(`Campaign ${c.name} changed meanwhile; reload it`);
      throw err;
    }
  }

  // ---- callbacks --------------------------------------------------------------------------

  async getCallback(id: string): Promise<Callback | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.callback.item(id), ConsistentRead: true }),
    );
    return r.Item ? strip<Callback>(r.Item) : undefined;
  }

  async requireCallback(id: string): Promise<Callback> {
    const c = await this.getCallback(id);
    if (!c) throw new NotFoundError('Callback', id);
    return c;
  }

  async listCallbacks(campaignId: string, state?: CallbackState): Promise<Callback[]> {
    return this.queryAll<Callback>({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: state ? 'gsi1pk = :pk AND begins_with(gsi1sk, :s)' : 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.callback.campaignPartition(campaignId),
        ...(state ? { ':s': `${state}#` } : {}),
      },
    });
  }

  /**
   * A customer-requested callback from the IVR. At most one is pending per number: the claim on
   * the number and the callback are written together; a second request gets the first back.
   */
  async requestCallback(target: Target, now = new Date()): Promise<{ callback: Callback; created: boolean }> {
    const campaign = await this.ensureStanding('customer-callbacks', now);
    const callback = this.callbackFor(campaign, target, now);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.pendingCallback(target.phone),
                  type: 'PendingCallback',
                  callbackId: callback.id,
                  dueAt: callback.dueAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: this.callbackItem(callback) } },
            this.campaignAdd(campaign.id, { targets: 1 }),
          ],
        }),
      );
      return { callback, created: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const pending = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.pendingCallback(target.phone),
          ConsistentRead: true,
        }),
      );
      const existing = pending.Item?.callbackId
        ? await this.getCallback(String(pending.Item.callbackId))
        : undefined;
      if (!existing) throw err;
      return { callback: existing, created: false };
    }
  }

  /** Due callbacks, across the shards of the due index, dial rank first within each minute. */
  async due(now: Date, limit: number): Promise<Callback[]> {
    const perShard = Math.max(1, Math.ceil(limit / DUE_SHARDS) * 2);
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.db
          .send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
              ExpressionAttributeValues: {
                ':pk': keys.due.callbackShard(shard),
                ':now': `${now.toISOString().slice(0, 16)}~`,
              },
              Limit: perShard,
            }),
          )
          .then((r) => (r.Items ?? []).map((i) => ({ sort: String(i.gsi2sk), cb: strip<Callback>(i) }))),
      ),
    );
    return pages
      .flat()
      .sort((a, b) => a.sort.localeCompare(b.sort))
      .slice(0, limit)
      .map((x) => x.cb);
  }

  /**
   * Claims a callback for dialing: only one run can (conditional on its state, or on an expired
   * lease). While leased it sits in the due index at its lease expiry, so a run that dies leaves
   * it to be claimed again once the lease runs out.
   */
  async claim(c: Callback, runId: string, now: Date, leaseSeconds = 120): Promise<Callback | undefined> {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.callback.item(c.id),
          UpdateExpression:
            'SET #s = :dialing, leaseUntil = :lease, claimedBy = :run, gsi2sk = :due, gsi1sk = :l',
          ConditionExpression: '#s IN (:scheduled, :retry) OR (#s = :dialing AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: {
            ':dialing': 'dialing',
            ':scheduled': 'scheduled',
            ':retry': 'retry-scheduled',
            ':lease': leaseUntil,
            ':run': runId,
            ':now': now.toISOString(),
            ':due': keys.due.callback(c.id, leaseUntil, c.rank).gsi2sk,
            ':l': keys.callback.listing(c.campaignId, 'dialing', c.id).gsi1sk,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return r.Attributes ? strip<Callback>(r.Attributes) : undefined;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /** Gives a claimed callback back (throttled, outside its window, campaign paused) with a new due time. */
  async release(c: Callback, runId: string, dueAt: string): Promise<void> {
    const state: CallbackState = c.attempts > 0 ? 'retry-scheduled' : 'scheduled';
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.callback.item(c.id),
          UpdateExpression:
            'SET #s = :state, dueAt = :dueAt, gsi2sk = :due, gsi1sk = :l REMOVE leaseUntil, claimedBy',
          ConditionExpression: 'claimedBy = :run AND #s = :dialing',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: {
            ':state': state,
            ':dueAt': dueAt,
            ':due': keys.due.callback(c.id, dueAt, c.rank).gsi2sk,
            ':l': keys.callback.listing(c.campaignId, state, c.id).gsi1sk,
            ':run': runId,
            ':dialing': 'dialing',
          },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /** Counts a dial against the number's daily cap; false when the cap is reached. */
  async takeDailyDial(phone: string, day: string, cap: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dials(phone, day),
          UpdateExpression: 'ADD dials :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
          ConditionExpression: 'attribute_not_exists(dials) OR dials < :cap',
          ExpressionAttributeValues: {
            ':one': 1,
            ':cap': cap,
            ':ttl': Math.floor(Date.now() / 1000) + 3 * 86_400,
          },
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
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  /** Records a placed call: the attempt, the Connect ContactId (and its reverse mapping), the counters. */
  async markDialed(
    c: Callback,
    runId: string,
    connectContactId: string,
    attempt: number,
    now: Date,
  ): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.callback.item(c.id),
              UpdateExpression:
                'SET #s = :dialed, attempts = :attempt, connectContactId = :cid, dialedAt = :now, gsi1sk = :l REMOVE gsi2pk, gsi2sk, leaseUntil, claimedBy',
              ConditionExpression: 'claimedBy = :run AND #s = :dialing',
              ExpressionAttributeNames: { '#s': 'state' },
              ExpressionAttributeValues: {
                ':dialed': 'dialed',
                ':dialing': 'dialing',
                ':attempt': attempt,
                ':cid': connectContactId,
                ':now': now.toISOString(),
                ':run': runId,
                ':l': keys.callback.listing(c.campaignId, 'dialed', c.id).gsi1sk,
              },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.connectContact(connectContactId),
                type: 'ConnectContact',
                callbackId: c.id,
                attempt,
                expiresAt: Math.floor(now.getTime() / 1000) + 14 * 86_400,
              },
            },
          },
          this.campaignAdd(c.campaignId, { dialed: 1, active: 1 }),
        ],
      }),
    );
  }

  /** Ends a callback without a call: failed (rejected number, attempts spent) or expired. */
  async finish(
    c: Callback,
    state: 'failed' | 'expired' | 'cancelled',
    runId: string | undefined,
    note: string,
  ): Promise<void> {
    const counter = state === 'failed' ? 'failed' : state === 'expired' ? 'expired' : 'cancelled';
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.callback.item(c.id),
                UpdateExpression:
                  'SET #s = :state, notes = :note, gsi1sk = :l REMOVE gsi2pk, gsi2sk, leaseUntil, claimedBy',
                ConditionExpression: runId
                  ? 'claimedBy = :run AND #s = :dialing'
                  : '#s IN (:scheduled, :retry)',
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: {
                  ':state': state,
                  ':note': note,
                  ':l': keys.callback.listing(c.campaignId, state, c.id).gsi1sk,
                  ...(runId
                    ? { ':run': runId, ':dialing': 'dialing' }
                    : { ':scheduled': 'scheduled', ':retry': 'retry-scheduled' }),
                },
              },
            },
            this.campaignAdd(c.campaignId, { [counter]: 1 }),
          ],
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof TransactionCanceledException)) throw err;
      });
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
   * Applies an outcome for one attempt, exactly once: the write is conditional on the attempt
   * and on the states the outcome may follow, so a duplicate or a late event changes nothing.
   */
  async applyOutcome(
    callbackId: string,
    attempt: number,
    outcome: 'connected' | 'completed' | 'no-answer',
    now: Date,
  ): Promise<CallbackState | undefined> {
    const c = await this.getCallback(callbackId);
    if (!c || c.attempts !== attempt) return undefined;
    let to: CallbackState;
    let from: CallbackState[];
    const adds: Partial<Record<keyof CampaignCounts, number>> = {};
    let extra = '';
    const values: Record<string, unknown> = {};
    if (outcome === 'connected') {
      to = 'connected';
      from = ['dialed'];
      adds.reached = 1;
    } else if (outcome === 'completed') {
      to = 'completed';
      from = ['dialed', 'connected'];
      adds.completed = 1;
      adds.active = -1;
      if (c.state === 'dialed') adds.reached = 1;
    } else if (c.attempts < c.maxAttempts) {
      to = 'retry-scheduled';
      from = ['dialed'];
      adds.active = -1;
      const dueAt = nextInWindow(
        new Date(now.getTime() + c.retryDelayMinutes * 60_000),
        c.timeZone,
        c.window,
      ).toISOString();
      const due = keys.due.callback(c.id, dueAt, c.rank);
      extra = ', dueAt = :dueAt, gsi2pk = :gpk, gsi2sk = :gsk';
      Object.assign(values, { ':dueAt': dueAt, ':gpk': due.gsi2pk, ':gsk': due.gsi2sk });
    } else {
      to = 'failed';
      from = ['dialed'];
      adds.active = -1;
      adds.failed = 1;
    }
    if (!from.includes(c.state)) return undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.callback.item(c.id),
                UpdateExpression: `SET #s = :to, updatedAt = :now, gsi1sk = :l${extra}`,
                ConditionExpression: `attempts = :attempt AND #s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: {
                  ':to': to,
                  ':now': now.toISOString(),
                  ':attempt': attempt,
                  ':l': keys.callback.listing(c.campaignId, to, c.id).gsi1sk,
                  ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
                  ...values,
                },
              },
            },
            this.campaignAdd(c.campaignId, adds),
            ...(to === 'completed' || to === 'failed' ? this.clearPending(c) : []),
          ],
        }),
      );
      return to;
    } catch (err) {
      if (err instanceof TransactionCanceledException) return undefined;
      throw err;
    }
  }

  /** The agent's disposition; notes optional. */
  async dispose(
    id: string,
    disposition: string,
    notes: string | undefined,
    now = new Date(),
  ): Promise<Callback> {
    const c = await this.requireCallback(id);
    if (!['connected', 'completed', 'dialed'].includes(c.state)) {
      throw new AppError(
        409,
        'illegal_transition',
        `Callback ${id} is ${c.state}; a disposition is recorded once the call has connected`,
      );
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.callback.item(id),
        UpdateExpression: 'SET disposition = :d, notes = :n, disposedAt = :now',
        ExpressionAttributeValues: { ':d': disposition, ':n': notes ?? '', ':now': now.toISOString() },
      }),
    );
    return this.requireCallback(id);
  }

  /** The item of a new callback (also used by the complaint store for follow-ups). */
  callbackItem(c: Callback) {
    return {
      ...keys.callback.item(c.id),
      ...keys.callback.listing(c.campaignId, c.state, c.id),
      ...(['scheduled', 'retry-scheduled'].includes(c.state) ? keys.due.callback(c.id, c.dueAt, c.rank) : {}),
      type: 'Callback',
      ...c,
    };
  }

  callbackFor(campaign: Campaign, t: Target, now: Date): Callback {
    return {
      id: this.newId(),
      campaignId: campaign.id,
      reason: campaign.type,
      accountId: t.account.id,
      accountName: t.account.name,
      contactId: t.contact.id,
      contactName: t.contact.name,
      phone: t.phone,
      language: t.contact.language,
      timeZone: t.timeZone,
      rank: dialRank(t.account.derived.priorityScore),
      state: 'scheduled',
      attempts: 0,
      maxAttempts: campaign.retry.maxAttempts,
      retryDelayMinutes: campaign.retry.delayMinutes,
      dailyCap: campaign.dailyCapPerRecipient,
      window: campaign.window,
      dueAt: nextInWindow(now, t.timeZone, campaign.window).toISOString(),
      ...(campaign.expiresAt ? { expiresAt: campaign.expiresAt } : {}),
      createdAt: now.toISOString(),
    };
  }

  private clearPending(c: Callback): TransactItem[] {
    if (c.reason !== 'customer-callback' || !c.phone) return [];
    return [
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.pendingCallback(c.phone),
          ConditionExpression: 'attribute_not_exists(pk) OR callbackId = :id',
          ExpressionAttributeValues: { ':id': c.id },
        },
      },
    ];
  }

  private campaignAdd(
    campaignId: string,
    adds: Partial<Record<keyof CampaignCounts | string, number>>,
  ): TransactItem {
    const entries = Object.entries(adds).filter(([, v]) => v !== 0 && v !== undefined);
    const names: Record<string, string> = { '#c': 'counts' };
    const values: Record<string, unknown> = {};
    const parts = entries.map(([k, v], i) => {
      names[`#k${i}`] = k;
      values[`:v${i}`] = v;
      return `#c.#k${i} :v${i}`;
    });
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.campaign.item(campaignId),
        UpdateExpression: parts.length ? `ADD ${parts.join(', ')}` : 'SET #c = if_not_exists(#c, :empty)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: parts.length ? values : { ':empty': EMPTY_COUNTS },
      },
    };
  }

  private campaignItem(c: Campaign) {
    return {
      ...keys.campaign.item(c.id),
      ...keys.campaign.listing(c.status, c.createdAt, c.id),
      entity: 'Campaign',
      ...c,
    };
  }

  private async batchPut(items: Record<string, unknown>[]) {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let tries = 0; pending.length && tries < 10; tries++) {
        const r = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (r.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
        if (pending.length) await new Promise((res) => setTimeout(res, 50 * 2 ** tries));
      }
    }
  }

  private async queryAll<T>(input: QueryCommandInput): Promise<T[]> {
    return (await queryAll(this.db, input)).map((i) => strip<T>(i));
  }
}

function countReasons(excluded: Exclusion[]): CampaignCounts['excluded'] {
  const out: CampaignCounts['excluded'] = {};
  for (const e of excluded) out[e.reason] = (out[e.reason] ?? 0) + 1;
  return out;
}
