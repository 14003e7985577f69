/**
 * The weekly aggregates: per account and per week, maintained as data arrives (the table's
 * stream → functions/analytics), read by the cockpit and the churn scorer a week at a time with
 * one Query each, never by scanning the records they count.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChurnRisk, WeekFacts } from '../accounts/churn.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import type { Item } from '../platform/dynamo/entity.ts';
import { ENTITY, keys } from '../platform/dynamo/keys.ts';
import { queryAll } from '../platform/dynamo/query.ts';
import { TransactionCancelled, transactWrite } from '../platform/dynamo/transact.ts';
import { COUNTERS, type Counter, DIMENSIONS, type Dimension, type Fact, type Snapshot } from './facts.ts';
import { weekOf } from './weeks.ts';

/** How long a counted fact's marker is kept: longer than any redelivery or rewrite of its item. */
const FACT_MARKER_DAYS = 400;

/** One account's week, as read. */
export interface AccountWeek {
  accountId: string;
  week: string;
  counters: Record<Counter, number>;
  dims: Record<Dimension, Record<string, number>>;
  shareOfWallet?: number;
  tier?: string;
  quadrant?: string;
  status?: string;
  churn?: Pick<ChurnRisk, 'score' | 'level' | 'reasons'>;
  /**
   * What of the counters became known only in a later week, by that week (`known_<week>_<counter>`
   * on the item): a delivery, a passed promise or a breach dated in this week but learnt after it.
   * The backtest takes it off when it replays an earlier week. Absent on weeks counted before it was.
   */
  knownLater?: Record<string, Partial<Record<Counter, number>>>;
}

const KNOWN_LATER = /^known_(\d{4}-W\d{2})_(\w+)$/;

/**
 * What counting a fact adds to its week's item: its additions, and those of its counters that
 * became known after the week (a fact whose `knownAt` falls in a later week) again under their
 * `known_<week>_` names.
 */
export function additions(fact: Fact): Record<string, number> {
  const known = fact.knownAt ? weekOf(fact.knownAt) : undefined;
  const out = { ...fact.add };
  if (known && known > fact.week)
    for (const [k, v] of Object.entries(fact.add))
      if (v !== 0 && (COUNTERS as readonly string[]).includes(k)) out[`known_${known}_${k}`] = v;
  return out;
}

const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

function fromItem(item: Item): AccountWeek {
  const counters = Object.fromEntries(COUNTERS.map((c) => [c, Number(item[c] ?? 0)])) as Record<
    Counter,
    number
  >;
  const dims = Object.fromEntries(DIMENSION_NAMES.map((d) => [d, {}])) as AccountWeek['dims'];
  const knownLater: NonNullable<AccountWeek['knownLater']> = {};
  for (const [k, v] of Object.entries(item)) {
    const at = k.indexOf('_');
    const d = k.slice(0, at) as Dimension;
    if (at > 0 && DIMENSION_NAMES.includes(d)) dims[d][k.slice(at + 1)] = Number(v);
    const later = KNOWN_LATER.exec(k);
    if (later?.[1] && later[2] && (COUNTERS as readonly string[]).includes(later[2]))
      knownLater[later[1]] = { ...knownLater[later[1]], [later[2]]: Number(v) };
  }
  return {
    accountId: String(item.accountId),
    week: String(item.week),
    counters,
    dims,
    ...(typeof item.shareOfWallet === 'number' ? { shareOfWallet: item.shareOfWallet } : {}),
    ...(typeof item.tier === 'string' && item.tier ? { tier: item.tier } : {}),
    ...(typeof item.quadrant === 'string' && item.quadrant ? { quadrant: item.quadrant } : {}),
    ...(typeof item.status === 'string' ? { status: item.status } : {}),
    ...(item.churn ? { churn: item.churn as AccountWeek['churn'] } : {}),
    ...(Object.keys(knownLater).length ? { knownLater } : {}),
  };
}

/** Each account's weeks, grouped once, oldest first. */
export function byAccount(weeks: Iterable<AccountWeek>): Map<string, AccountWeek[]> {
  const m = new Map<string, AccountWeek[]>();
  for (const w of weeks) {
    const list = m.get(w.accountId);
    if (list) list.push(w);
    else m.set(w.accountId, [w]);
  }
  for (const ws of m.values()) ws.sort((a, b) => a.week.localeCompare(b.week));
  return m;
}

/** An account's week as the churn policy reads it. */
export function weekFacts(w: AccountWeek): WeekFacts {
  const c = w.counters;
  return {
    week: w.week,
    shipments: c.shipments,
    delivered: c.delivered,
    overdue: c.overdue,
    onTime: c.onTime,
    perfect: c.perfect,
    complaints: c.complaints,
    breaches: c.breaches,
    contacts: c.contacts,
    followUps: c.followUps,
    satisfactionSum: c.satisfactionSum,
    ...(w.shareOfWallet !== undefined ? { shareOfWallet: w.shareOfWallet } : {}),
    ...(w.knownLater ? { knownLater: w.knownLater } : {}),
  };
}

export class WeeklyAggregates {
  constructor(
    private readonly db: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts a fact once: its marker and its addition in one transaction, so a redelivered stream
   * record or a rewritten item adds nothing the second time. Answers false for a fact counted before.
   */
  async count(fact: Fact, now = new Date()): Promise<boolean> {
    const entries = Object.entries(additions(fact));
    try {
      await transactWrite(this.db, [
        {
          name: 'marker',
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.aggregate.fact(fact.id),
              [ENTITY]: 'AggregateFact',
              expiresAt: Math.floor(now.getTime() / 1000) + FACT_MARKER_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.aggregate.week(fact.week, fact.accountId),
            UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')} SET #e = :e, accountId = :a, week = :w`,
            ExpressionAttributeNames: {
              '#e': ENTITY,
              ...Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
            },
            ExpressionAttributeValues: {
              ':e': 'WeekAggregate',
              ':a': fact.accountId,
              ':w': fact.week,
              ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
            },
          },
        },
      ]);
      return true;
    } catch (err) {
      if (err instanceof TransactionCancelled && err.failedOn('marker')) return false;
      throw err;
    }
  }

  /** Sets what an account's profile says on its week (idempotent: the latest write wins). */
  async snapshot(s: Snapshot): Promise<void> {
    await this.setOnWeek(s.week, s.accountId, s.set);
  }

  /**
   * Records today's churn score on the account's week, with what the profile says today (share,
   * tier, quadrant, status), so that every week carries them whether or not the profile was written.
   */
  async recordChurn(
    week: string,
    accountId: string,
    churn: AccountWeek['churn'],
    profile?: Snapshot['set'],
  ): Promise<void> {
    await this.setOnWeek(week, accountId, { churn, ...profile });
  }

  private async setOnWeek(week: string, accountId: string, values: Record<string, unknown>) {
    const entries = Object.entries(values);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.aggregate.week(week, accountId),
        UpdateExpression: `SET #e = :e, accountId = :a, week = :w, ${entries.map((_, i) => `#s${i} = :s${i}`).join(', ')}`,
        ExpressionAttributeNames: {
          '#e': ENTITY,
          ...Object.fromEntries(entries.map(([k], i) => [`#s${i}`, k])),
        },
        ExpressionAttributeValues: {
          ':e': 'WeekAggregate',
          ':a': accountId,
          ':w': week,
          ...Object.fromEntries(entries.map(([, v], i) => [`:s${i}`, v])),
        },
      }),
    );
  }

  /** Writes a whole week as recorded elsewhere (the demo's history). */
  async putWeek(w: AccountWeek): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: weekItem(w) }));
  }

  /** Keeps the book's half year (the daily scorer's), for the portfolio to read in one GetItem. */
  async putBookHistory(week: string, history: unknown, now = new Date()): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.aggregate.bookHistory(),
          [ENTITY]: 'BookHistory',
          week,
          history,
          computedAt: now.toISOString(),
        },
      }),
    );
  }

  /** The book's half year as last kept, with the week it was computed in. */
  async bookHistory<H>(): Promise<{ week: string; history: H } | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.aggregate.bookHistory() }),
    );
    return r.Item ? { week: String(r.Item.week), history: r.Item.history as H } : undefined;
  }

  /** A week of the whole book: one Query (paged past 1 MB). */
  async week(week: string): Promise<AccountWeek[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.aggregate.partition(week) },
    });
    return items.map(fromItem);
  }

  /**
   * A few accounts' weeks (the accounts an event touched): one BatchGet per hundred keys, keys
   * DynamoDB left unprocessed asked again.
   */
  async accountWeeks(accountIds: readonly string[], weeks: readonly string[]): Promise<AccountWeek[]> {
    const all: Item[] = accountIds.flatMap((a) => weeks.map((w) => keys.aggregate.week(w, a)));
    const out: AccountWeek[] = [];
    for (let i = 0; i < all.length; i += 100) {
      let batch = all.slice(i, i + 100);
      for (let attempt = 0; batch.length; attempt++) {
        if (attempt === 5) throw new Error(`${batch.length} aggregate key(s) stayed unprocessed`);
        if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const r = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } } }),
        );
        out.push(...(r.Responses?.[this.tableName] ?? []).map(fromItem));
        batch = r.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return out;
  }

  /** Several weeks of the book, read side by side: one Query per week. */
  async weeks(weeks: readonly string[]): Promise<Map<string, AccountWeek[]>> {
    const read = await Promise.all(weeks.map(async (w) => [w, await this.week(w)] as const));
    return new Map(read);
  }
}

/** A whole week as its item (the demo's history, the bench's book). */
export function weekItem(w: AccountWeek): Item {
  const dims = Object.entries(w.dims).flatMap(([d, values]) =>
    Object.entries(values).map(([k, v]) => [`${d}_${k}`, v] as const),
  );
  return {
    ...keys.aggregate.week(w.week, w.accountId),
    [ENTITY]: 'WeekAggregate',
    accountId: w.accountId,
    week: w.week,
    ...w.counters,
    ...Object.fromEntries(dims),
    ...(w.shareOfWallet !== undefined ? { shareOfWallet: w.shareOfWallet } : {}),
    ...(w.tier ? { tier: w.tier } : {}),
    ...(w.quadrant ? { quadrant: w.quadrant } : {}),
    ...(w.status ? { status: w.status } : {}),
    ...(w.churn ? { churn: w.churn } : {}),
    ...Object.fromEntries(
      Object.entries(w.knownLater ?? {}).flatMap(([week, add]) =>
        Object.entries(add).map(([k, v]) => [`known_${week}_${k}`, v] as const),
      ),
    ),
  };
}

/** A fact added to an account's week as `count` adds it (pure: the week read back after the write). */
export function addFact(w: AccountWeek, fact: Fact): AccountWeek {
  const item = weekItem(w);
  for (const [k, v] of Object.entries(additions(fact))) item[k] = Number(item[k] ?? 0) + v;
  return fromItem(item);
}

/** An empty week of an account: what a week with no recorded fact reads as. */
export function emptyAccountWeek(accountId: string, week: string): AccountWeek {
  return {
    accountId,
    week,
    counters: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>,
    dims: Object.fromEntries(DIMENSION_NAMES.map((d) => [d, {}])) as AccountWeek['dims'],
  };
}
