import './env.ts';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { SingleBar } from 'cli-progress';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { loadDemoData, loadDemoShipments } from '#local/demo/load.ts';
import { JavaMissingError, startDynamoLocal } from '#local/dynamodb.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { screenPopLambdaEnv } from './lambda-env.ts';
import { freshTable, median, option, round } from './lib.ts';
import { bundleLambda, coldStart, YARDSTICK_BUNDLE } from './screen-pop.ts';

const HELP = `npm run bench:compare -- --baseline <dir> [options]

Measures this checkout against another one (an earlier commit) side by side:
  1. the full bench of each checkout, one after the other on this machine (each suite's figures
     are ratios against a baseline timed in the same process, so the two runs compare);
  2. the screen pop's cold start, both shipped bundles and the minimal one-GetItem bundle
     interleaved run by run in one process, so machine noise falls on all three alike, each in
     a fresh Node process with the screen-pop function's deployed environment.
Writes bench/results/compare.json and prints a table: each figure before and after, the change
in its better direction, and a verdict. A timed figure that moved by 5 % or less is reported as
within noise (this machine's run-to-run spread); a count (requests, dials, digests) is exact.

Make the baseline checkout once:
  git worktree add ../keyline-before <commit> && (cd ../keyline-before && npm ci)

Options:
  --baseline <dir>   the other checkout (with node_modules installed)
  --cold-runs <n>    cold starts per bundle (default 41)
  --skip-suites      only the interleaved cold start
  -h, --help         show this help`;

const run = promisify(execFile);

/** Runs one checkout's full bench in its own directory and reads its results. */
async function fullBench(dir: string): Promise<Record<string, unknown>> {
  await new Promise<void>((done, fail) => {
    const child = spawn('npm', ['run', 'bench'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`npm run bench in ${dir} exited ${code}`)),
    );
  });
  return JSON.parse(await readFile(resolve(dir, 'bench/results/bench.json'), 'utf8')).suites;
}

const pick = (o: unknown, path: string): number | undefined => {
  let v: unknown = o;
  for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'number' ? v : undefined;
};

/**
 * The figures worth comparing: each one a ratio or a count, higher or lower being better. A timed
 * figure moves run to run on a shared machine (DynamoDB Local's JIT, the other core's load), so a
 * change inside NOISE is reported as such; a count (double dials, digests) is exact. Requests
 * per dial count as timed: how many callbacks one due-index read returns depends on the pace.
 */
const FIGURES: [string, string, 'higher' | 'lower', 'timed' | 'count'][] = [
  ['screen pop warm p50, handler ÷ bare calls', 'screenPop.warm.ratioP50', 'lower', 'timed'],
  ['screen pop warm p99, handler ÷ bare calls', 'screenPop.warm.ratioP99', 'lower', 'timed'],
  ['import rows/s ÷ raw BatchWriteItem', 'import.results.1.ratioToBaseline', 'higher', 'timed'],
  ['re-import rows/s ÷ raw BatchWriteItem', 'import.results.2.ratioToBaseline', 'higher', 'timed'],
  ['CLI import rows/s ÷ raw BatchWriteItem', 'import.results.3.ratioToBaseline', 'higher', 'timed'],
  ['complaint intake ÷ plain PutItem', 'complaints.intake.ratioToBaseline', 'higher', 'timed'],
  [
    'escalation items read per escalation (100k book)',
    'complaints.escalationScan.phases.1.readPerFound',
    'lower',
    'count',
  ],
  ['dialer share of the Connect quota', 'campaigns.singleDialer.shareOfAllowedRate', 'higher', 'timed'],
  ['DynamoDB requests per dial', 'campaigns.singleDialer.dynamoRequestsPerDial', 'lower', 'timed'],
  ['double dials (two dialers)', 'campaigns.twoConcurrentDialers.doubleDials', 'lower', 'count'],
  ['dials outside windows', 'campaigns.dialsOutsideWindows', 'lower', 'count'],
  ['DynamoDB requests per on-time scan', 'delays.onTime.dynamoRequestsPerEvent', 'lower', 'count'],
  ['max digests per contact (incident)', 'delays.incident.maxDigestsPerRecipient', 'lower', 'count'],
];

/** A timed figure must move by more than this share before it counts as better or worse. */
const NOISE = 0.05;

/** The change in the figure's better direction (+ is better), and the verdict. */
function verdict(
  before: number | undefined,
  after: number | undefined,
  better: 'higher' | 'lower',
  kind: 'timed' | 'count',
): { change: string; verdict: string } {
  if (before === undefined || after === undefined) return { change: '—', verdict: 'missing' };
  if (before === after) return { change: '0 %', verdict: 'same' };
  const gain = before === 0 ? (after > 0 ? -1 : 1) : (after - before) / Math.abs(before);
  const signed = better === 'higher' ? gain : -gain;
  const change =
    before === 0 ? `${before} → ${after}` : `${signed > 0 ? '+' : ''}${round(signed * 100, 1)} %`;
  if (kind === 'timed' && Math.abs(signed) <= NOISE) return { change, verdict: 'within noise' };
  return { change, verdict: signed > 0 ? 'better' : 'worse' };
}

/**
 * Both checkouts' screen-pop bundles and the minimal one, cold, interleaved in one process, each
 * started with the screen-pop function's deployed environment (this checkout's stack).
 */
async function coldSideBySide(baseline: string, runs: number) {
  const dynamo = await startDynamoLocal();
  try {
    const table = await freshTable({ endpoint: dynamo.endpoint, args: [] }, 'bench-compare');
    const db = createDocumentClient();
    await loadDemoData(new Accounts(db, table));
    await loadDemoShipments(new Shipments(db, table));
    db.destroy();
    const { env } = screenPopLambdaEnv({ tableName: table, endpoint: dynamo.endpoint });
    const outDir = resolve('bench/results/bundles/compare');
    await mkdir(outDir, { recursive: true });
    // Each checkout's screen pop is bundled with that checkout's own settings.
    const baselineBundling = (
      (await import(pathToFileURL(resolve(baseline, 'infra/bundling.ts')).href)) as {
        LAMBDA_BUNDLE: typeof YARDSTICK_BUNDLE;
      }
    ).LAMBDA_BUNDLE;
    const out = (name: string) => resolve(outDir, `${name}/index.mjs`);
    const entry = 'functions/screen-pop/handler.ts';
    const files = {
      baseline: (
        await bundleLambda(entry, out('baseline'), { cwd: resolve(baseline), bundling: baselineBundling })
      ).file,
      current: (await bundleLambda(entry, out('current'))).file,
      minimal: (
        await bundleLambda('bench/minimal-getitem.ts', out('minimal'), { bundling: YARDSTICK_BUNDLE })
      ).file,
    };
    const names = Object.keys(files) as (keyof typeof files)[];
    const totals: Record<string, number[]> = { baseline: [], current: [], minimal: [] };
    const bar = new SingleBar({
      format: 'cold starts |{bar}| {value}/{total}',
      hideCursor: true,
      stream: process.stderr,
    });
    if (process.stderr.isTTY) bar.start(runs, 0);
    for (let i = 0; i < runs; i++) {
      // Rotate the order so no bundle always follows the same one.
      for (const name of names.map((_, k) => names[(i + k) % names.length]).filter((n) => n !== undefined)) {
        const event = contactFlowEvent({ from: '+8613910012001', contactId: `compare-${i}-${name}` });
        const r = await coldStart(files[name], event, env);
        if (name !== 'minimal' && r.result.known !== 'true')
          throw new Error(`${name} answered ${JSON.stringify(r.result)}`);
        totals[name]?.push(r.totalMs);
      }
      if (process.stderr.isTTY) bar.update(i + 1);
    }
    if (process.stderr.isTTY) bar.stop();
    const m = (k: string) => median(totals[k] ?? []);
    return {
      runs,
      medianTotalMs: {
        baseline: round(m('baseline'), 1),
        current: round(m('current'), 1),
        minimal: round(m('minimal'), 1),
      },
      ratioToMinimal: {
        baseline: round(m('baseline') / m('minimal')),
        current: round(m('current') / m('minimal')),
      },
      currentOverBaseline: round(m('current') / m('baseline')),
    };
  } finally {
    await dynamo.stop();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--baseline');
  const baseline = at >= 0 ? args[at + 1] : undefined;
  if (args.includes('--help') || args.includes('-h') || !baseline) {
    console.log(HELP);
    if (!baseline && !args.includes('--help') && !args.includes('-h')) process.exitCode = 2;
    return;
  }
  if (!existsSync(resolve(baseline, 'node_modules'))) {
    console.error(`${baseline} has no node_modules: run npm ci there first`);
    process.exitCode = 2;
    return;
  }
  const suites = args.includes('--skip-suites')
    ? undefined
    : { baseline: await fullBench(resolve(baseline)), current: await fullBench(process.cwd()) };
  const cold = await coldSideBySide(baseline, option(args, 'cold-runs', 41));
  const figures = suites
    ? FIGURES.map(([name, path, better, kind]) => {
        const before = pick(suites.baseline, path);
        const after = pick(suites.current, path);
        return {
          figure: name,
          baseline: before ?? '—',
          current: after ?? '—',
          better,
          ...verdict(before, after, better, kind),
        };
      })
    : [];
  figures.push({
    figure: 'screen pop cold start ÷ minimal bundle (interleaved)',
    baseline: cold.ratioToMinimal.baseline,
    current: cold.ratioToMinimal.current,
    better: 'lower',
    ...verdict(cold.ratioToMinimal.baseline, cold.ratioToMinimal.current, 'lower', 'timed'),
  });
  const rev = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: baseline })).stdout.trim();
  await writeFile(
    'bench/results/compare.json',
    `${JSON.stringify({ at: new Date().toISOString(), baseline: { dir: baseline, rev }, cold, figures, suites }, null, 2)}\n`,
  );
  console.log(`\nThis checkout against ${baseline} (${rev}), side by side`);
  console.table(figures);
  console.log('Written to bench/results/compare.json');
}

main().catch((err) => {
  if (err instanceof JavaMissingError) console.error(err.message);
  else console.error(err);
  process.exitCode = 1;
});
