import { execFile } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '#infra/bundling.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { type BenchContext, freshTable, median, option, percentile, round } from './lib.ts';

const CALLERS = [
  '+8613910012001',
  '+8613910012002',
  '+41446681800',
  '+8613311009001',
  '+862158881234',
  '+8618616201701',
];

type Handler = (event: unknown, context?: unknown) => Promise<Record<string, string>>;

/**
 * The screen pop, warm and cold. Warm: the handler beside the bare DynamoDB calls it needs
 * (Query the phone, then GetItem the counters ∥ PutItem the call), interleaved in one loop.
 * Cold: its production bundle beside a minimal one-GetItem bundle, each started in a fresh
 * Node process that imports it and serves one invocation.
 */
export async function screenPopBench(ctx: BenchContext) {
  const invocations = option(ctx.args, 'invocations', 5_000);
  const coldRuns = option(ctx.args, 'cold-runs', 15);
  const table = await freshTable(ctx, 'bench-screen-pop');
  const db = createDocumentClient({ maxAttempts: 2 });
  await loadDemoData(new Accounts(db, table));
  await loadDemoShipments(new Shipments(db, table));
  const { handler } = (await import('#functions/screen-pop/handler.ts')) as { handler: Handler };

  const bare = async (phone: string, contactId: string) => {
    const q = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.phone.partition(phone) },
        Limit: 50,
      }),
    );
    const best = q.Items?.[0];
    if (!best) return;
    const accountId = String(best.accountId);
    const at = new Date().toISOString();
    await Promise.all([
      db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.stats.partition(accountId) },
        }),
      ),
      db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.callLog.item(accountId, at, contactId), e164: phone, at, accountId },
        }),
      ),
    ]);
  };

  const handlerMs: number[] = [];
  const bareMs: number[] = [];
  const warmup = 200;
  const bar = new SingleBar({
    format: 'screen pop |{bar}| {value}/{total} invocations',
    hideCursor: true,
    stream: process.stderr,
  });
  if (process.stderr.isTTY) bar.start(invocations + warmup, 0);
  for (let i = 0; i < invocations + warmup; i++) {
    const phone = CALLERS[i % CALLERS.length] ?? '';
    const event = contactFlowEvent({ from: phone, contactId: `bench-h-${i}` });
    const runHandler = async () => {
      const t = performance.now();
      const answer = await handler(event, { getRemainingTimeInMillis: () => 8000 });
      const ms = performance.now() - t;
      if (answer.known !== 'true')
        throw new Error(`screen pop did not find ${phone}: ${JSON.stringify(answer)}`);
      if (i >= warmup) handlerMs.push(ms);
    };
    const runBare = async () => {
      const t = performance.now();
      await bare(phone, `bench-b-${i}`);
      if (i >= warmup) bareMs.push(performance.now() - t);
    };
    // Alternate the order so neither side always runs on a warmer connection.
    if (i % 2 === 0) {
      await runHandler();
      await runBare();
    } else {
      await runBare();
      await runHandler();
    }
    if (process.stderr.isTTY && i % 50 === 0) bar.update(i);
  }
  if (process.stderr.isTTY) bar.stop();
  handlerMs.sort((a, b) => a - b);
  bareMs.sort((a, b) => a - b);
  const warm = {
    invocations,
    handler: {
      p50Ms: round(percentile(handlerMs, 50)),
      p99Ms: round(percentile(handlerMs, 99)),
      meanMs: round(handlerMs.reduce((a, b) => a + b, 0) / handlerMs.length),
    },
    bareCalls: {
      p50Ms: round(percentile(bareMs, 50)),
      p99Ms: round(percentile(bareMs, 99)),
      meanMs: round(bareMs.reduce((a, b) => a + b, 0) / bareMs.length),
    },
    ratioP50: round(percentile(handlerMs, 50) / percentile(bareMs, 50)),
    ratioP99: round(percentile(handlerMs, 99) / percentile(bareMs, 99)),
    goal: 'handler ÷ bare calls ≤ 1.15',
  };

  // Cold start: the shipped bundle against a minimal one.
  const outDir = resolve('bench/results/bundles');
  await mkdir(outDir, { recursive: true });
  const bundle = async (entry: string, name: string) => {
    const outfile = resolve(outDir, `${name}/index.mjs`);
    await build({
      ...LAMBDA_BUNDLE,
      entryPoints: [entry],
      bundle: true,
      outfile,
      banner: { js: LAMBDA_BUNDLE.banner },
      logLevel: 'error',
    });
    return { outfile, bytes: (await stat(outfile)).size };
  };
  const screenPop = await bundle('functions/screen-pop/handler.ts', 'screen-pop');
  const minimal = await bundle('bench/minimal-getitem.ts', 'minimal-getitem');
  const run = promisify(execFile);
  const cold = async (file: string, i: number) => {
    const event = JSON.stringify(contactFlowEvent({ from: '+8613910012001', contactId: `bench-cold-${i}` }));
    const { stdout } = await run('node', ['bench/cold-runner.mjs', file, event], { env: process.env });
    return JSON.parse(stdout) as {
      importMs: number;
      firstInvokeMs: number;
      totalMs: number;
      result: Record<string, string>;
    };
  };
  const sp: { importMs: number; firstInvokeMs: number; totalMs: number }[] = [];
  const mini: { importMs: number; firstInvokeMs: number; totalMs: number }[] = [];
  for (let i = 0; i < coldRuns; i++) {
    // Alternate which bundle starts first, so neither always gets the warmer page cache.
    const first = i % 2 === 0 ? screenPop.outfile : minimal.outfile;
    const second = first === screenPop.outfile ? minimal.outfile : screenPop.outfile;
    const r1 = await cold(first, i);
    const r2 = await cold(second, i);
    const a = first === screenPop.outfile ? r1 : r2;
    if (a.result.known !== 'true') throw new Error(`cold screen pop answered ${JSON.stringify(a.result)}`);
    sp.push(a);
    mini.push(first === screenPop.outfile ? r2 : r1);
  }
  const summary = (xs: typeof sp) => ({
    importMs: round(median(xs.map((x) => x.importMs)), 1),
    firstInvokeMs: round(median(xs.map((x) => x.firstInvokeMs)), 1),
    totalMs: round(median(xs.map((x) => x.totalMs)), 1),
  });
  const coldStart = {
    runs: coldRuns,
    screenPop: { bundleBytes: screenPop.bytes, ...summary(sp) },
    minimalGetItem: { bundleBytes: minimal.bytes, ...summary(mini) },
    ratioTotal: round(median(sp.map((x) => x.totalMs)) / median(mini.map((x) => x.totalMs))),
    goal: 'screen pop ≤ 1.5 × the minimal function (import + first invocation, medians)',
  };

  console.log('\nScreen pop, warm (DynamoDB Local)');
  console.table({
    'screen-pop handler': {
      p50_ms: warm.handler.p50Ms,
      p99_ms: warm.handler.p99Ms,
      mean_ms: warm.handler.meanMs,
    },
    'bare DynamoDB calls': {
      p50_ms: warm.bareCalls.p50Ms,
      p99_ms: warm.bareCalls.p99Ms,
      mean_ms: warm.bareCalls.meanMs,
    },
    'ratio (goal ≤ 1.15)': {
      p50_ms: warm.ratioP50,
      p99_ms: warm.ratioP99,
      mean_ms: round(warm.handler.meanMs / warm.bareCalls.meanMs),
    },
  });
  console.log('Screen pop, cold start (fresh Node process: import + first invocation, medians)');
  console.table({
    'screen-pop bundle': {
      KiB: round(screenPop.bytes / 1024, 1),
      import_ms: coldStart.screenPop.importMs,
      first_invoke_ms: coldStart.screenPop.firstInvokeMs,
      total_ms: coldStart.screenPop.totalMs,
    },
    'minimal GetItem bundle': {
      KiB: round(minimal.bytes / 1024, 1),
      import_ms: coldStart.minimalGetItem.importMs,
      first_invoke_ms: coldStart.minimalGetItem.firstInvokeMs,
      total_ms: coldStart.minimalGetItem.totalMs,
    },
    'ratio (goal ≤ 1.5)': {
      KiB: round(screenPop.bytes / minimal.bytes),
      import_ms: '',
      first_invoke_ms: '',
      total_ms: coldStart.ratioTotal,
    },
  });
  db.destroy();
  return { warm, coldStart };
}
