import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { PhoneLookupEntity } from '#shared/accounts/lookup.ts';
import type { PhoneLookup } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import type { DocumentClient } from '#shared/platform/dynamo/client.ts';
import { ENTITY, keys, STATS_SHARDS } from '#shared/platform/dynamo/keys.ts';
import { Shipments } from '#shared/shipments/service.ts';

/** Numbers of the demo book's contacts: a key account, an English contact, a shared forwarder line. */
const DEMO_CALLERS = [
  '+8613910012001',
  '+8613910012002',
  '+41446681800',
  '+8613311009001',
  '+862158881234',
  '+8618616201701',
];

export const DEMO_BOOK_SIZE = DEMO_ACCOUNTS.length;

const SEGMENTS = ['fmcg', 'chemicals', 'electrical', 'pharma', 'other'] as const;
const TIERS = ['key', 'high-growth', 'loyal', 'low-potential'] as const;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰'];
/**
 * Contacts (each with one number) per generated account. One keeps a 100,000-account book under
 * two minutes on DynamoDB Local (it writes some 1,500–2,000 items a second on this machine).
 */
const CONTACTS = 1;

/** A deterministic pseudo-random generator, so every run writes the same book. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Book {
  accounts: number;
  /** Numbers the bench calls from, every one of them known. */
  callers: string[];
  phoneLookupItems: number;
  statsShardItems: number;
  seconds: number;
}

/**
 * The book the screen pop looks callers up in. 17 accounts is the demo book, loaded through the
 * same store the Lambdas use. A larger book is the demo book plus generated accounts, written with
 * BatchWriteItem: only what the screen pop reads, each account's phone lookups (the item shape
 * PhoneLookupEntity writes, with Chinese names, routing and tier) and its counter shards, so the
 * table holds as many partitions as a real book of that size. Callers are then drawn across the
 * whole book, so lookups do not hit the same few partitions.
 */
export async function loadBook(db: DocumentClient, tableName: string, accounts: number): Promise<Book> {
  const started = performance.now();
  if (accounts < DEMO_BOOK_SIZE)
    throw new Error(`--accounts must be at least ${DEMO_BOOK_SIZE} (the demo book)`);
  await loadDemoData(new Accounts(db, tableName));
  await loadDemoShipments(new Shipments(db, tableName));
  const generated = accounts - DEMO_BOOK_SIZE;
  if (generated === 0) {
    return {
      accounts,
      callers: DEMO_CALLERS,
      phoneLookupItems: 0,
      statsShardItems: 0,
      seconds: (performance.now() - started) / 1000,
    };
  }
  const rand = rng(7);
  const callers: string[] = [];
  let phoneLookupItems = 0;
  let statsShardItems = 0;
  const items: Record<string, unknown>[] = [];
  const pending: Promise<void>[] = [];
  const flush = async (batch: Record<string, unknown>[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (r.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  const push = async (item: Record<string, unknown>) => {
    items.push(item);
    if (items.length === 25) {
      pending.push(flush(items.splice(0)));
      if (pending.length >= 8) await Promise.all(pending.splice(0));
    }
  };
  const bar = new SingleBar({
    format: 'screen-pop book |{bar}| {value}/{total} accounts',
    hideCursor: true,
    stream: process.stderr,
  });
  if (process.stderr.isTTY) bar.start(generated, 0);
  for (let a = 0; a < generated; a++) {
    if (process.stderr.isTTY && a % 1000 === 0) bar.update(a);
    const accountId = `acc-gen-${String(a).padStart(6, '0')}`;
    const tier = TIERS[Math.floor(rand() * TIERS.length)] ?? 'loyal';
    const segment = SEGMENTS[a % SEGMENTS.length] ?? 'other';
    const serviceGroup = `${segment}-service`;
    for (let c = 0; c < CONTACTS; c++) {
      const e164 = `+861${3 + (a % 7)}${String(a * CONTACTS + c).padStart(9, '0')}`;
      const lookup: PhoneLookup = {
        e164,
        accountId,
        contactId: `ct-${a}-${c}`,
        accountName: `${SURNAMES[a % 10]}${GIVEN[(a >> 3) % 10]}物流客户${a}有限公司`,
        contactName: `${SURNAMES[(a + c) % 10]}${GIVEN[(a * 7 + c) % 10]}`,
        tier,
        priorityScore: Math.round(rand() * 1_000_000) / 100,
        routingPriority: 1 + Math.floor(rand() * 5),
        segment,
        serviceGroup,
        routingQueue: tier === 'key' ? `ka-${accountId}` : serviceGroup,
        ...(tier === 'key' ? { dedicatedRep: `${SURNAMES[a % 10]}${GIVEN[a % 10]}` } : {}),
        language: a % 20 === 0 ? 'en' : 'zh-CN',
        doNotCall: a % 97 === 0,
      };
      await push(PhoneLookupEntity.toItem(lookup));
      phoneLookupItems++;
      if (c === 0 && a % Math.max(1, Math.floor(generated / 1000)) === 0) callers.push(e164);
    }
    // A counter shard exists once something was counted on it: a quiet account has none, a busy
    // one has several (its entities land on different shards).
    const shards = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * rand() * STATS_SHARDS);
    for (let s = 0; s < shards; s++) {
      await push({
        ...keys.stats.shard(accountId, s),
        ...keys.stats.indexed(keys.stats.shard(accountId, s)),
        [ENTITY]: 'Counter',
        openComplaints: Math.floor(rand() * 3),
        delayedShipments: Math.floor(rand() * 4),
        inTransitShipments: Math.floor(rand() * 40),
      });
      statsShardItems++;
    }
  }
  if (items.length > 0) pending.push(flush(items.splice(0)));
  await Promise.all(pending);
  if (process.stderr.isTTY) bar.stop();
  return {
    accounts,
    callers: [...DEMO_CALLERS, ...callers],
    phoneLookupItems,
    statsShardItems,
    seconds: (performance.now() - started) / 1000,
  };
}
