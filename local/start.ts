import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Accounts } from '#shared/accounts/service.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { loadDemoCalls } from './demo/calls.ts';
import { loadDemoComplaints } from './demo/complaints.ts';
import { loadDemoHistory } from './demo/history.ts';
import { loadDemoData, loadDemoShipments } from './demo/load.ts';
import {
  createTable,
  JavaMissingError,
  type LocalDynamo,
  localAwsEnv,
  startDynamoLocal,
} from './dynamodb.ts';
import { startSchedulers } from './schedulers.ts';
import { createLocalServer, listen } from './server.ts';

const HELP = `keyline local stack — npm start [-- options]

Starts everything Keyline needs on this machine:
  1. DynamoDB Local (the official engine, in memory, telemetry off, on a free port: it listens
     on every interface, see the note below; needs Java 17+)
  2. the single table and the demo book of business
  3. the HTTP API (the Lambda handlers themselves, behind an API Gateway v2 adapter)
  4. the agent desktop

Options:
  --port <n>     port for the API and agent desktop on 127.0.0.1 (default 4310; 0 picks a free one)
  --no-demo      start with an empty table
  --sla-scale <x>
                 multiply every complaint SLA by x (default 1). 0.0167 turns minutes into
                 seconds: a key-account critical complaint is then due in 30 s and escalates
                 while you watch
  --answer-rate <x>
                 share of simulated outbound calls the client answers (default 0.7)
  --escalation-every <s>
                 seconds between SLA escalation runs (default 10; EventBridge runs it every minute)
  -h, --help     show this help

Ctrl-C stops everything, DynamoDB Local included.
Note: DynamoDB Local listens on every interface and cannot be bound to loopback only (other
machines on your network can reach it; browsers cannot, its CORS allows no page); keep only demo
and test data in it. The API and the desktop listen on 127.0.0.1 only.`;

const TABLE_NAME = 'keyline-local';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4310' },
      'no-demo': { type: 'boolean', default: false },
      'sla-scale': { type: 'string', default: process.env.SLA_TIME_SCALE ?? '1' },
      'escalation-every': { type: 'string', default: '10' },
      'answer-rate': { type: 'string', default: '0.7' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, got "${values.port}"`);
    process.exitCode = 2;
    return;
  }

  const slaScale = Number(values['sla-scale']);
  const escalationEvery = Number(values['escalation-every']);
  if (!(slaScale > 0 && slaScale <= 10)) {
    console.error(`--sla-scale must be a number above 0 and at most 10, got "${values['sla-scale']}"`);
    process.exitCode = 2;
    return;
  }
  if (!(escalationEvery >= 1 && escalationEvery <= 3600)) {
    console.error(`--escalation-every must be 1 to 3600 seconds, got "${values['escalation-every']}"`);
    process.exitCode = 2;
    return;
  }
  const answerRate = Number(values['answer-rate']);
  if (!(answerRate >= 0 && answerRate <= 1)) {
    console.error(`--answer-rate must be between 0 and 1, got "${values['answer-rate']}"`);
    process.exitCode = 2;
    return;
  }
  process.env.SLA_TIME_SCALE = String(slaScale);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

  let dynamo: LocalDynamo | undefined;
  const stopAll = async (code: number) => {
    await dynamo?.stop();
    process.exit(code);
  };
  // Whatever ends this process, DynamoDB Local goes with it.
  process.on('exit', () => dynamo?.process.kill('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping DynamoDB Local and the server…`);
      void stopAll(0);
    });
  }

  // If whatever launched us dies without passing a signal on (npm killed, terminal gone), stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      console.log('The launching process is gone; stopping.');
      void stopAll(0);
    }
  }, 1000).unref();

  console.log('Starting DynamoDB Local (in memory)…');
  try {
    dynamo = await startDynamoLocal();
  } catch (err) {
    if (err instanceof JavaMissingError) {
      console.error(`\n${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  Object.assign(process.env, localAwsEnv(dynamo.endpoint, TABLE_NAME));
  const raw = new DynamoDBClient({});
  await createTable(raw, TABLE_NAME, true);
  raw.destroy();

  if (!values['no-demo']) {
    const db = documentClient();
    const accounts = new Accounts(db, TABLE_NAME);
    const counts = await loadDemoData(accounts);
    const shipments = await loadDemoShipments(new Shipments(db, TABLE_NAME));
    const weeks = await loadDemoHistory(new WeeklyAggregates(db, TABLE_NAME));
    const complaints = await loadDemoComplaints(
      new Complaints(db, TABLE_NAME, new Campaigns(db, TABLE_NAME), complaintPolicyFromEnv()),
      accounts,
    );
    console.log(
      `Loaded the demo book of business: ${counts.created} accounts, ${shipments} shipments, ${complaints} complaints, ${weeks} account-weeks of history.`,
    );
  }

  const schedulers = await startSchedulers(TABLE_NAME, {
    escalationEveryMs: escalationEvery * 1000,
    dialerEveryMs: 5000,
    answerRate,
    quotaPerSecond: 2,
    // A minute after start, the day's follow-up calls (回访) are booked and the dialer places them.
    followUpsAfterMs: 60_000,
    // Shipments whose scans stopped coming are announced late within a minute.
    watchdogEveryMs: 60_000,
    // The aggregates follow the table's stream at once; the churn scorer runs ten seconds in.
    analyticsAfterMs: 10_000,
  });
  const server = createLocalServer({ outbox: schedulers.outbox, dialer: schedulers.dialer, schedulers });
  let actual: number;
  try {
    actual = await listen(server, port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.log(`Port ${port} is busy; picking a free one.`);
      actual = await listen(server, 0);
    } else throw err;
  }
  const base = `http://127.0.0.1:${actual}`;
  // The screen pop links its answer to the desktop; the handler reads this at its (lazy) cold start.
  process.env.DESKTOP_URL = `${base}/`;
  schedulers.setLinkBase(`${base}/`);
  if (!values['no-demo']) await loadDemoCalls();
  console.log(`
Keyline is running.
  Agent desktop   ${base}/        (simulate incoming calls from the panel on the left)
  HTTP API        ${base}/api/accounts
  OpenAPI         ${base}/openapi.json
  DynamoDB Local  ${dynamo.endpoint}  (table ${TABLE_NAME})
  Schedulers      SLA escalation every ${escalationEvery} s${slaScale !== 1 ? `, SLA clocks × ${slaScale}` : ''}; delay watchdog every minute;
                  dialer every 5 s (simulated Connect: 2 calls/s, ${Math.round(answerRate * 100)} % answered)

Press Ctrl-C to stop.`);
}

main().catch(async (err) => {
  console.error('The local stack failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
