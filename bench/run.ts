import './env.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { JavaMissingError, startDynamoLocal } from '#local/dynamodb.ts';
import { campaignsBench } from './campaigns.ts';
import { cockpitBench } from './cockpit.ts';
import { complaintsBench } from './complaints.ts';
import { delaysBench } from './delays.ts';
import { importBench } from './import.ts';
import { option } from './lib.ts';
import { screenPopBench } from './screen-pop.ts';
import { DEMO_BOOK_SIZE } from './screen-pop-book.ts';

const HELP = `npm run bench [-- options]

Runs the benchmarks against DynamoDB Local (started in memory for the run) and writes the
figures to bench/results/bench.json. Ratios are against a baseline timed in the same run,
because absolute speed on a shared machine is noise.

Suites:
  import       account import: raw BatchWriteItem baseline, the import in process, a re-import
               (nothing changes), and the real \`npx keyline import\` CLI (10,000 rows, 50 bad)
  complaints   complaint intake throughput beside plain PutItem writes, and the SLA
               escalation scan's items read per escalation found on a 10,000- and a
               100,000-complaint book (only closed complaints grow)
  campaigns    a 10,000-callback campaign (500 accounts × 20 contacts with consent on file)
               dialed through a mocked Connect that enforces the quota, every DynamoDB
               request answered after a realistic latency: achieved dial rate as a share of
               the quota (consent re-read at each call), double dials with two overlapping
               runs without the run lease, a second run standing down with it, dials outside
               windows, DynamoDB requests per dial (SDK retries counted)
  delays       tracking ingestion and delay detection: events per second, DynamoDB requests
               per on-time event, and a 1,000-shipment incident on one account (digests per
               contact)
  cockpit      the key-account cockpit on a generated book (500 and 2,500 accounts, 27 weeks
               of aggregates each): requests and time of the portfolio and the service view,
               beside one Query per account (the least a per-account computation needs)
  screen-pop   the Connect screen pop, on its shipped bundle (built as infra/bundling.ts builds it)
               with its deployed settings read from the synthesized stack (INFO logs, EMF
               metrics on, NODE_OPTIONS=--enable-source-maps, AWS_MAX_ATTEMPTS=2, credentials
               in environment variables), run in child processes whose stdout (the logs and
               metrics) is drained. Warm: p50/p99 over N invocations beside a bundle of the bare
               DynamoDB calls it makes, interleaved in one process, and the HTTP requests per
               invocation of each (every attempt counted, retries included). Cold: import + first
               invocation in fresh Node processes beside a minimal one-GetItem bundle

Options:
  --only <suite>        run one suite
  --accounts <n>        screen-pop: accounts in the book (default 17, the demo book; more are
                        generated, e.g. 100000); import: accounts in the generated file
                        (default 2500)
  --contacts <n>        import: contacts per account (default 4)
  --concurrency <n>     import: requests in flight, for the import and its baseline (default 8)
  --rounds <n>          import: turns of baseline and import, best of each counts (default 2)
  --invocations <n>     screen-pop: warm invocations (default 5000)
  --complaints <n>      complaints: complaints filed for the intake figure (default 2000)
  --book <n>            complaints: book size for the escalation scan (default 100000)
  --callbacks <n>       campaigns: callbacks in the campaign (default 10000)
  --dial-quota <n>      campaigns: the mocked Connect's quota, calls a second (default 20)
  --dial-seconds <n>    campaigns: seconds each dialing phase runs (default 20)
  --dynamo-latency-ms <n>
                        campaigns: milliseconds added to every DynamoDB request (default 8;
                        0 for DynamoDB Local as it is)
  --cold-runs <n>       screen-pop: cold starts per bundle (default 15)
  --cockpit-accounts <n> cockpit: the larger book (default 2500); --cockpit-small <n> the smaller (500)
  --cockpit-runs <n>    cockpit: timed runs of each view, the median counts (default 5)
  -h, --help            show this help`;

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return;
  }
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  if (only && !['import', 'screen-pop', 'complaints', 'campaigns', 'delays', 'cockpit'].includes(only)) {
    throw new Error(
      `--only must be import, screen-pop, complaints, campaigns, delays or cockpit, got "${only}"`,
    );
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let dynamo: Awaited<ReturnType<typeof startDynamoLocal>>;
  try {
    dynamo = await startDynamoLocal();
  } catch (err) {
    if (err instanceof JavaMissingError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  process.on('exit', () => dynamo.process.kill('SIGKILL'));
  const ctx = { endpoint: dynamo.endpoint, args };
  const suites: Record<string, unknown> = {};
  try {
    if (!only || only === 'screen-pop') {
      // The demo book is the default figure; a larger book is kept beside it under its own name.
      const accounts = option(args, 'accounts', DEMO_BOOK_SIZE);
      suites[accounts === DEMO_BOOK_SIZE ? 'screenPop' : `screenPop_${accounts}Accounts`] =
        await screenPopBench(ctx);
    }
    if (!only || only === 'import') suites.import = await importBench(ctx);
    if (!only || only === 'complaints') suites.complaints = await complaintsBench(ctx);
    if (!only || only === 'campaigns') suites.campaigns = await campaignsBench(ctx);
    if (!only || only === 'delays') suites.delays = await delaysBench(ctx);
    if (!only || only === 'cockpit') suites.cockpit = await cockpitBench(ctx);
  } finally {
    await dynamo.stop();
  }
  // Suites not run this time keep their last figures, each stamped with when it was measured.
  const at = new Date().toISOString();
  const previous = await readFile('bench/results/bench.json', 'utf8')
    .then((t) => (JSON.parse(t) as { suites?: Record<string, unknown> }).suites ?? {})
    .catch(() => ({}));
  const out = {
    at,
    machine: { node: process.version, cpus: cpus().length },
    suites: {
      ...previous,
      ...Object.fromEntries(
        Object.entries(suites).map(([k, v]) => [k, { measuredAt: at, ...(v as object) }]),
      ),
    },
  };
  await writeFile('bench/results/bench.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nWritten to bench/results/bench.json');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
