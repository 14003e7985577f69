import { fork, spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '#infra/bundling.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { screenPopLambdaEnv } from './lambda-env.ts';
import { type BenchContext, freshTable, median, option, percentile, round } from './lib.ts';
import { DEMO_BOOK_SIZE, loadBook } from './screen-pop-book.ts';

export interface BundleFigures {
  file: string;
  bytes: number;
  sourceMapBytes: number;
  /** KiB in the bundle per package (node_modules) or top folder, largest first. */
  kibByPackage: Record<string, number>;
}

/**
 * A Lambda bundle built exactly as the CDK construct builds it (infra/bundling.ts, or another
 * checkout's settings), with its metafile.
 */
export async function bundleLambda(
  entry: string,
  outfile: string,
  o: { cwd?: string; bundling?: typeof LAMBDA_BUNDLE } = {},
): Promise<BundleFigures> {
  const bundling = o.bundling ?? LAMBDA_BUNDLE;
  const r = await build({
    ...bundling,
    absWorkingDir: o.cwd ?? process.cwd(),
    entryPoints: [entry],
    bundle: true,
    outfile,
    banner: { js: bundling.banner },
    metafile: true,
    logLevel: 'error',
  });
  const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint);
  const groups: Record<string, number> = {};
  for (const [file, v] of Object.entries(out?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const k = m?.[1] ?? file.split('/').slice(0, 2).join('/');
    groups[k] = (groups[k] ?? 0) + v.bytesInOutput;
  }
  const kibByPackage = Object.fromEntries(
    Object.entries(groups)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, round(v / 1024, 1)]),
  );
  const sourceMapBytes = await stat(`${outfile}.map`).then(
    (s) => s.size,
    () => 0,
  );
  return { file: outfile, bytes: (await stat(outfile)).size, sourceMapBytes, kibByPackage };
}

export interface ColdRun {
  importMs: number;
  firstInvokeMs: number;
  totalMs: number;
  result: Record<string, unknown>;
  stdoutBytes: number;
}

/**
 * One cold start: a fresh Node process with the function's environment (NODE_OPTIONS included)
 * imports the bundle and serves one invocation. Its stdout (the function's logs and metrics) is
 * drained and counted; the timings come back on file descriptor 3.
 */
export function coldStart(bundle: string, event: unknown, env: Record<string, string>): Promise<ColdRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bench/cold-runner.mjs', bundle, JSON.stringify(event)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stderr = '';
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdio[3]?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0 || out === '') {
        fail(new Error(`cold start of ${bundle} exited ${code}:\n${stderr}`));
        return;
      }
      done({ ...(JSON.parse(out) as Omit<ColdRun, 'stdoutBytes'>), stdoutBytes });
    });
  });
}

interface WarmResult {
  handlerMs: number[];
  bareMs: number[];
  handlerRequests: number;
  bareRequests: number;
  unknown: number;
  probe: { failed: boolean; requestsCounted: number; maxAttempts: number };
}

/** The warm loop in a child process with the function's environment (bench/warm-runner.mjs). */
function warmRun(o: {
  handlerBundle: string;
  bareBundle: string;
  callers: string[];
  invocations: number;
  warmup: number;
  env: Record<string, string>;
}): Promise<WarmResult & { stdout: { bytes: number; lines: number; emf: number } }> {
  const bar = new SingleBar({
    format: 'screen pop |{bar}| {value}/{total} invocations',
    hideCursor: true,
    stream: process.stderr,
  });
  return new Promise((done, fail) => {
    const child = fork('bench/warm-runner.mjs', [], {
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const stdout = { bytes: 0, lines: 0, emf: 0 };
    let stderr = '';
    // The function's log lines and EMF documents, drained as the Lambda log agent would and counted.
    child.stdout?.on('data', (d: Buffer) => {
      stdout.bytes += d.length;
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) stdout.lines++;
      for (let i = d.indexOf('"_aws"'); i >= 0; i = d.indexOf('"_aws"', i + 1)) stdout.emf++;
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    let result: WarmResult | undefined;
    child.on('message', (m: { progress?: number; total?: number; result?: WarmResult }) => {
      if (m.result) {
        result = m.result;
        child.kill();
      } else if (process.stderr.isTTY && m.progress !== undefined) {
        if (m.progress === 0) bar.start(m.total ?? 0, 0);
        bar.update(m.progress);
      }
    });
    child.on('error', fail);
    child.on('close', () => {
      if (process.stderr.isTTY) bar.stop();
      if (!result) fail(new Error(`the warm runner ended without a result:\n${stderr}`));
      else done({ ...result, stdout });
    });
    child.send({
      handlerBundle: o.handlerBundle,
      bareBundle: o.bareBundle,
      callers: o.callers,
      invocations: o.invocations,
      warmup: o.warmup,
      event: contactFlowEvent({ from: '+8613910012001', contactId: 'template' }),
    });
  });
}

/**
 * How the yardsticks are bundled: the shipped settings without Keyline's aliases, so they keep the
 * SDK's default client and credential chain, as any one-GetItem Lambda has them.
 */
export const YARDSTICK_BUNDLE: typeof LAMBDA_BUNDLE = { ...LAMBDA_BUNDLE, alias: {} };

const stats = (sorted: number[]) => ({
  p50Ms: round(percentile(sorted, 50)),
  p99Ms: round(percentile(sorted, 99)),
  meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
});

/**
 * The screen pop, warm and cold, on the shipped bundle with the shipped settings.
 *
 * Both parts run the bundle the CDK construct deploys (infra/bundling.ts) in child processes
 * started with the function's environment read from the synthesized stack: INFO logs, EMF metrics
 * on, NODE_OPTIONS=--enable-source-maps, AWS_MAX_ATTEMPTS=2, credentials in environment variables
 * as Lambda provides them. Their stdout is drained, so logging and metrics cost what they cost.
 *
 * Warm: the screen-pop bundle and a bundle of the bare DynamoDB calls it makes (Query the phone ∥
 * PutItem the journal line, then Query the counts index ∥ Query the profile's head ∥ PutItem the call
 * ∥ PutItem the named journal line, with the SDK's default client), in one process,
 * interleaved. Every HTTP request is counted (retries included). Cold: the screen-pop bundle
 * beside a minimal one-GetItem bundle, each imported in a fresh process that serves one call.
 */
export async function screenPopBench(ctx: BenchContext) {
  const invocations = option(ctx.args, 'invocations', 5_000);
  const coldRuns = option(ctx.args, 'cold-runs', 15);
  const accounts = option(ctx.args, 'accounts', DEMO_BOOK_SIZE);
  const table = await freshTable(ctx, 'bench-screen-pop');
  const db = createDocumentClient();
  const book = await loadBook(db, table, accounts);
  db.destroy();
  console.log(
    `Screen-pop book: ${book.accounts} accounts` +
      (book.phoneLookupItems
        ? ` (${book.phoneLookupItems} phone lookups and ${book.statsShardItems} counter shards generated)`
        : '') +
      ` in ${round(book.seconds, 1)} s; ${book.callers.length} caller numbers`,
  );
  const deployed = screenPopLambdaEnv({ tableName: table, endpoint: ctx.endpoint });

  const outDir = resolve('bench/results/bundles');
  await mkdir(outDir, { recursive: true });
  const screenPop = await bundleLambda(
    'functions/screen-pop/handler.ts',
    resolve(outDir, 'screen-pop/index.mjs'),
  );
  const minimal = await bundleLambda(
    'bench/minimal-getitem.ts',
    resolve(outDir, 'minimal-getitem/index.mjs'),
    {
      bundling: YARDSTICK_BUNDLE,
    },
  );
  const minimalShipped = await bundleLambda(
    'bench/minimal-getitem.ts',
    resolve(outDir, 'minimal-getitem-shipped/index.mjs'),
  );
  const bare = await bundleLambda('bench/bare-calls.ts', resolve(outDir, 'bare-calls/index.mjs'), {
    bundling: YARDSTICK_BUNDLE,
  });

  // Warm.
  const warmup = 200;
  const w = await warmRun({
    handlerBundle: screenPop.file,
    bareBundle: bare.file,
    callers: book.callers,
    invocations,
    warmup,
    env: deployed.env,
  });
  if (w.unknown > 0) throw new Error(`${w.unknown} screen pops or bare lookups did not find their caller`);
  if (!w.probe.failed || w.probe.requestsCounted !== w.probe.maxAttempts)
    throw new Error(`the request counter missed retries: ${JSON.stringify(w.probe)}`);
  const handlerMs = [...w.handlerMs].sort((a, b) => a - b);
  const bareMs = [...w.bareMs].sort((a, b) => a - b);
  const warm = {
    invocations,
    warmup,
    handler: {
      ...stats(handlerMs),
      requestsPerInvocation: round(w.handlerRequests / invocations),
    },
    bareCalls: {
      ...stats(bareMs),
      requestsPerInvocation: round(w.bareRequests / invocations),
    },
    ratioP50: round(percentile(handlerMs, 50) / percentile(bareMs, 50)),
    ratioP99: round(percentile(handlerMs, 99) / percentile(bareMs, 99)),
    // What the function wrote to stdout, per screen pop (warm-up included): its log lines and EMF.
    output: {
      bytesPerInvocation: round(w.stdout.bytes / (invocations + warmup), 1),
      linesPerInvocation: round(w.stdout.lines / (invocations + warmup), 2),
      emfDocumentsPerInvocation: round(w.stdout.emf / (invocations + warmup), 2),
    },
    requestCounter: {
      how: 'every HTTP request the process opens (node:diagnostics_channel http.client.request.start), below the SDK retry strategy',
      retryProbe: w.probe,
    },
    goal: 'handler ÷ bare calls ≤ 1.15 at p50 and p99',
  };

  // Cold: the three bundles in turn, the order rotated run by run so that none always follows
  // the same one (page cache, CPU frequency).
  const event = (i: number) => contactFlowEvent({ from: '+8613910012001', contactId: `bench-cold-${i}` });
  const contenders = [screenPop, minimal, minimalShipped];
  const cold = new Map<BundleFigures, ColdRun[]>(contenders.map((b) => [b, []]));
  const bar = new SingleBar({
    format: 'cold starts |{bar}| {value}/{total}',
    hideCursor: true,
    stream: process.stderr,
  });
  if (process.stderr.isTTY) bar.start(coldRuns, 0);
  for (let i = 0; i < coldRuns; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const b = contenders[(i + k) % contenders.length] ?? screenPop;
      const r = await coldStart(b.file, event(i), deployed.env);
      if (b === screenPop && r.result.known !== 'true')
        throw new Error(`cold screen pop answered ${JSON.stringify(r.result)}`);
      cold.get(b)?.push(r);
    }
    if (process.stderr.isTTY) bar.update(i + 1);
  }
  if (process.stderr.isTTY) bar.stop();
  const runsOf = (b: BundleFigures) => cold.get(b) ?? [];
  const summary = (b: BundleFigures) => ({
    bundleBytes: b.bytes,
    sourceMapBytes: b.sourceMapBytes,
    importMs: round(median(runsOf(b).map((x) => x.importMs)), 1),
    firstInvokeMs: round(median(runsOf(b).map((x) => x.firstInvokeMs)), 1),
    totalMs: round(median(runsOf(b).map((x) => x.totalMs)), 1),
    kibByPackage: b.kibByPackage,
  });
  const totalOf = (b: BundleFigures) => median(runsOf(b).map((x) => x.totalMs));
  const coldStartFigures = {
    runs: coldRuns,
    screenPop: summary(screenPop),
    minimalGetItem: {
      what: 'the yardstick: one GetItem with the default DynamoDBClient and the SDK default credential chain, bundled with the shipped settings but without Keyline’s aliases',
      ...summary(minimal),
    },
    minimalGetItemShipped: {
      what: 'for reference: the same function bundled exactly as Keyline ships (environment-only credentials)',
      ...summary(minimalShipped),
    },
    ratioTotal: round(totalOf(screenPop) / totalOf(minimal)),
    ratioTotalToShippedMinimal: round(totalOf(screenPop) / totalOf(minimalShipped)),
    goal: 'screen pop ≤ 1.2 × the minimal one-GetItem function (import + first invocation, medians)',
  };

  console.log(`\nScreen pop, warm (shipped bundle, deployed settings, ${accounts} accounts, DynamoDB Local)`);
  console.table({
    'screen-pop handler': {
      p50_ms: warm.handler.p50Ms,
      p99_ms: warm.handler.p99Ms,
      mean_ms: warm.handler.meanMs,
      requests: warm.handler.requestsPerInvocation,
    },
    'bare DynamoDB calls': {
      p50_ms: warm.bareCalls.p50Ms,
      p99_ms: warm.bareCalls.p99Ms,
      mean_ms: warm.bareCalls.meanMs,
      requests: warm.bareCalls.requestsPerInvocation,
    },
    'ratio (goal ≤ 1.15)': {
      p50_ms: warm.ratioP50,
      p99_ms: warm.ratioP99,
      mean_ms: round(warm.handler.meanMs / warm.bareCalls.meanMs),
      requests: '',
    },
  });
  console.log(
    `Function output per screen pop: ${warm.output.bytesPerInvocation} bytes, ${warm.output.linesPerInvocation} lines, ${warm.output.emfDocumentsPerInvocation} EMF documents`,
  );
  console.log('Screen pop, cold start (fresh Node process: import + first invocation, medians)');
  const row = (b: BundleFigures) => ({
    KiB: round(b.bytes / 1024, 1),
    map_KiB: round(b.sourceMapBytes / 1024, 1),
    import_ms: round(median(runsOf(b).map((x) => x.importMs)), 1),
    first_invoke_ms: round(median(runsOf(b).map((x) => x.firstInvokeMs)), 1),
    total_ms: round(totalOf(b), 1),
    ratio: round(totalOf(screenPop) / totalOf(b)),
  });
  console.table({
    'screen-pop bundle': { ...row(screenPop), ratio: '' },
    'minimal GetItem (yardstick)': row(minimal),
    'minimal GetItem, shipped settings': row(minimalShipped),
  });
  console.log(`Goal: screen pop ÷ yardstick ≤ 1.2 (now ${coldStartFigures.ratioTotal})`);
  return {
    book: {
      accounts: book.accounts,
      callers: book.callers.length,
      generatedPhoneLookups: book.phoneLookupItems,
      generatedCounterShards: book.statsShardItems,
    },
    settings: {
      source: 'the ScreenPop function of the synthesized stack, plus the variables Lambda sets',
      functionEnvironment: { ...deployed.function, TABLE_NAME: '(bench table)' },
      memoryMb: deployed.memoryMb,
    },
    warm,
    coldStart: coldStartFigures,
  };
}
