import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { LocalTopic } from '#local/adapters.ts';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { loadDemoData } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import type { Complaint } from '#shared/complaints/model.ts';
import { ComplaintEntity } from '#shared/complaints/repo.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { batchPut } from '#shared/platform/dynamo/batch.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { type BenchContext, freshTable, option, round } from './lib.ts';

/**
 * Complaints: intake throughput (Complaints.create with an Idempotency-Key, the path POST
 * /complaints takes from the desktop) beside plain PutItem writes, and the escalation scan's cost — items read per escalation
 * found — on a book of 10,000 and then 100,000 complaints where only the closed ones grow.
 */
export async function complaintsBench(ctx: BenchContext) {
  const intakeN = option(ctx.args, 'complaints', 2_000);
  const book = option(ctx.args, 'book', 100_000);
  const concurrency = option(ctx.args, 'concurrency', 8);
  const table = await freshTable(ctx, 'bench-complaints');
  const db = createDocumentClient();
  await loadDemoData(new Accounts(db, table));
  const accounts = await Promise.all(DEMO_ACCOUNTS.map((a) => new Accounts(db, table).require(a.id)));
  const store = new Complaints(db, table, new Campaigns(db, table));

  // Baseline: the same number of single-item puts at the same concurrency. Both sides run a
  // quarter of their work untimed first, so that neither pays DynamoDB Local's warm-up.
  const baselinePuts = (n: number, tag: string) =>
    pool(n, concurrency, async (i) => {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `BASE#${tag}${i}`, sk: 'ITEM', n: i, text: 'baseline' },
        }),
      );
    });
  const intake = (n: number) =>
    pool(n, concurrency, async (i) => {
      const account = accounts[i % accounts.length];
      if (!account) return;
      await store.create(
        {
          accountId: account.id,
          waybills: [],
          category: 'delay',
          severity: 'high',
          channel: 'agent-phone',
          description: `bench complaint ${i}`,
        },
        account,
        'bench',
        // As the desktop files one: with its Idempotency-Key, whose claim is written with it.
        { requestKey: `agent:bench:${ulid()}` },
      );
    });
  // The engine's floor for a write of two items that must land together: a raw two-item
  // TransactWriteItems (no rules, no reference, the same item sizes as a plain put).
  const rawTransactions = (n: number, tag: string) =>
    pool(n, concurrency, async (i) => {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: `TX#${tag}${i}`, sk: 'ITEM', n: i, text: 'raw' } } },
            { Put: { TableName: table, Item: { pk: `TX#${tag}${i}`, sk: 'COUNT', n: 1 } } },
          ],
        }),
      );
    });
  // A quarter of each side untimed first; then the three take turns, `--rounds` times (default
  // 2), and the best rate of each counts: DynamoDB Local's JIT warms over minutes, and a side
  // measured later would otherwise be favoured.
  await baselinePuts(Math.floor(intakeN / 4), 'warm');
  await intake(Math.floor(intakeN / 4));
  await rawTransactions(Math.floor(intakeN / 4), 'warm');
  const rounds = option(ctx.args, 'rounds', 2);
  let baseRate = 0;
  let intakeRate = 0;
  let txRate = 0;
  const rate = async (work: () => Promise<void>) => {
    const t0 = performance.now();
    await work();
    return intakeN / ((performance.now() - t0) / 1000);
  };
  for (let r = 0; r < rounds; r++) {
    baseRate = Math.max(baseRate, await rate(() => baselinePuts(intakeN, `r${r}-`)));
    intakeRate = Math.max(intakeRate, await rate(() => intake(intakeN)));
    txRate = Math.max(txRate, await rate(() => rawTransactions(intakeN, `r${r}-`)));
  }

  // The escalation scan on a large book: closed complaints are never in the due index.
  const now = new Date();
  const due = 200;
  const notYetDue = 800;
  const scanTable = await freshTable(ctx, 'bench-escalation');
  const scanStore = new Complaints(db, scanTable, new Campaigns(db, scanTable));
  const template = (i: number, status: Complaint['status'], createdMinutesAgo: number): Complaint => {
    const created = new Date(now.getTime() - createdMinutesAgo * 60_000);
    const at = (m: number) => new Date(created.getTime() + m * 60_000).toISOString();
    return {
      id: ulid(),
      reference: String(i).padStart(10, '0'),
      accountId: accounts[i % accounts.length]?.id ?? 'acc-x',
      accountName: 'bench',
      tier: 'key',
      waybills: [],
      category: 'delay',
      severity: 'critical',
      channel: 'agent-phone',
      description: 'bench',
      status,
      clock: '24x7',
      createdAt: created.toISOString(),
      createdBy: 'bench',
      ackAtRiskAt: at(22.5),
      ackDueAt: at(30),
      resolveAtRiskAt: at(360),
      resolveDueAt: at(480),
      escalationLevel: 0,
      reopenCount: 0,
      version: 1,
      updatedAt: created.toISOString(),
      ...(status === 'closed' ? { acknowledgedAt: at(10), resolvedAt: at(200), closedAt: at(300) } : {}),
    };
  };
  const write = async (items: Complaint[]) => {
    const batches: Complaint[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    await pool(batches.length, concurrency, async (b) => {
      await batchPut(
        db,
        scanTable,
        (batches[b] ?? []).map((c) => ComplaintEntity.toItem(c)),
      );
    });
  };
  // Live work: `due` complaints past their first mark, `notYetDue` just opened.
  await write([
    ...Array.from({ length: due }, (_, i) => template(i, 'open', 45)),
    ...Array.from({ length: notYetDue }, (_, i) => template(due + i, 'open', 1)),
  ]);
  const phases: {
    bookSize: number;
    closed: number;
    read: number;
    found: number;
    readPerFound: number;
    ms: number;
  }[] = [];
  let closed = 0;
  for (const target of [Math.min(10_000, book), book]) {
    const add = target - due - notYetDue - closed;
    await write(
      Array.from({ length: add }, (_, i) => template(100_000 + closed + i, 'closed', 60 * 24 * 30)),
    );
    closed += add;
    const t0 = performance.now();
    const { items, read } = await scanStore.dueForEscalation(now, 1_000);
    phases.push({
      bookSize: target,
      closed,
      read,
      found: items.length,
      readPerFound: round(read / Math.max(1, items.length)),
      ms: round(performance.now() - t0, 1),
    });
  }
  const t = performance.now();
  const run = await runEscalation(scanStore, new LocalTopic(), now);
  const escalationSeconds = (performance.now() - t) / 1000;

  const result = {
    intake: {
      complaints: intakeN,
      concurrency,
      complaintsPerSecond: round(intakeRate, 1),
      baselinePutsPerSecond: round(baseRate, 1),
      ratioToBaseline: round(intakeRate / baseRate),
      rawTwoItemTransactionsPerSecond: round(txRate, 1),
      rawTransactionRatioToBaseline: round(txRate / baseRate),
      intakeRatioToRawTransaction: round(intakeRate / txRate),
      rounds,
      note: 'each complaint: one conditional PutItem (the complaint counts itself in the counts index while unresolved; its opening history entry is the complaint itself), and in a burst a share of one reference-block reservation; a complaint from the IVR adds its ContactId claim, in one transaction with it',
    },
    escalationScan: {
      phases,
      escalationRun: {
        escalated: run.escalated,
        published: run.published,
        read: run.read,
        seconds: round(escalationSeconds),
        perSecond: round(run.escalated / escalationSeconds, 1),
      },
      goal: 'items read per escalation found stays constant as closed complaints grow',
    },
  };
  console.log('\nComplaint intake (DynamoDB Local)');
  console.table({
    'plain PutItem (baseline)': { per_second: result.intake.baselinePutsPerSecond, 'x baseline': 1 },
    'raw 2-item TransactWriteItems (the former design)': {
      per_second: result.intake.rawTwoItemTransactionsPerSecond,
      'x baseline': result.intake.rawTransactionRatioToBaseline,
    },
    'complaint intake': {
      per_second: result.intake.complaintsPerSecond,
      'x baseline': result.intake.ratioToBaseline,
    },
  });
  console.log('Escalation scan: items read per escalation found');
  console.table(
    Object.fromEntries(
      phases.map((p) => [
        `${p.bookSize.toLocaleString('en')} complaints`,
        { closed: p.closed, read: p.read, found: p.found, read_per_found: p.readPerFound, ms: p.ms },
      ]),
    ),
  );
  db.destroy();
  return result;
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}
