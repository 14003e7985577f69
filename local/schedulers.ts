import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scoreBook } from '#shared/accounts/churn-run.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { StaticManagerDirectory, sendWeeklyDigests } from '#shared/analytics/digest.ts';
import { FACT_ENTITIES } from '#shared/analytics/facts.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { scheduleFollowUps } from '#shared/campaigns/follow-ups.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { complaintPolicyFromEnv } from '#shared/complaints/config.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { completeHandoff, IvrHandoffMessage } from '#shared/inbound/handoff-worker.ts';
import { Confirmations } from '#shared/notify/confirmations.ts';
import { type NotifierDeps, notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { proactiveCall } from '#shared/notify/proactive-call.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { drainOutbox } from '#shared/platform/dynamo/outbox.ts';
import type { DomainEvent } from '#shared/platform/events.ts';
import { pool } from '#shared/platform/pool.ts';
import type { DelayDetected } from '#shared/shipments/delay.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { LocalTopic, OutboxEmailSender, OutboxSmsSender } from './adapters.ts';
import { lambdaContext } from './api-gateway.ts';
import { DEMO_MANAGERS } from './demo/history.ts';
import { SimulatedDialer } from './simulated-dialer.ts';
import { LocalSqs } from './sqs.ts';
import { LocalTableStream } from './table-stream.ts';
import { tickTrackingFeed } from './tracking-simulator.ts';

export interface LocalSchedulers {
  /** The escalation topic's published events. */
  outbox: LocalTopic;
  dialer: SimulatedDialer;
  /** The delay topic's published events, and the SMS and email that would have gone out. */
  delayTopic: LocalTopic;
  sms: OutboxSmsSender;
  email: OutboxEmailSender;
  /** The IVR hand-off queue (the real SQS client talks to it). */
  handoff: LocalSqs;
  /** Where alert digests link to: the desktop, once its port is known. */
  setLinkBase: (url: string) => void;
  stop: () => void;
}

export interface SchedulerOptions {
  escalationEveryMs: number;
  dialerEveryMs: number;
  answerRate: number;
  /** The Connect quota the local dialer paces to. */
  quotaPerSecond: number;
  /**
   * The delay alerts' clock (default: the real one). Quiet hours hold alerts at night in the
   * contacts' time zones; a test that must see an alert go out at any hour runs on a daytime clock.
   */
  alertClock?: () => Date;
  /** How long a simulated outbound call rings, talks or rings out (default 1.5 s, 6 s, 4 s). */
  dialTiming?: { connectMs: number; talkMs: number; noAnswerMs: number };
  /**
   * The follow-up scheduler (daily in AWS): its first run this long after start, then hourly.
   * Off unless given (the browser tests keep the dialer's work to their own campaigns).
   */
  followUpsAfterMs?: number;
  /**
   * The weekly aggregates from the table's stream (the table must have one: createTable's
   * `stream`), and the churn scorer (daily at 06:00 in AWS): first this long after start, then
   * every six hours. Off unless given.
   */
  analyticsAfterMs?: number;
  /** How often the outbox is drained to the notifier and due alerts are sent (default 2 s). */
  alertsEveryMs?: number;
  /**
   * How often the delay watchdog looks for shipments with no scan since a milestone was due
   * (every 15 minutes in AWS). Off unless given (the browser tests keep the demo book's delays
   * to those they make).
   */
  watchdogEveryMs?: number;
  /** How long a contact's mailbox gathers alerts before it sends (default 5 s here; AWS: 2 minutes). */
  gatherSeconds?: number;
}

/** Runs `job` every `ms`, never two at once; a failure is logged and the next tick tries again. */
function every(ms: number, name: string, job: () => Promise<unknown>) {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (err) {
      console.error(`[${name}] run failed:`, err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The local stand-ins for EventBridge Scheduler, SNS and the stream: the SLA escalation job
 * publishing to a local topic, the dialer placing calls through the simulated dialer (whose
 * contact events reach the real contact-events handler), the outbox drained to a local delay topic
 * whose subscribers are the notifier and the proactive-call hook, and a tracking-feed simulator.
 */
export async function startSchedulers(tableName: string, o: SchedulerOptions): Promise<LocalSchedulers> {
  const db = documentClient();
  const accounts = new Accounts(db, tableName);
  const campaigns = new Campaigns(db, tableName);
  const complaints = new Complaints(db, tableName, campaigns, complaintPolicyFromEnv());
  const shipments = new Shipments(db, tableName);
  const outbox = new LocalTopic();
  // Contact events go to the very handler EventBridge invokes in AWS.
  let contactEvents: Promise<(e: unknown) => Promise<unknown>> | undefined;
  const dialer = new SimulatedDialer(
    async (event) => {
      contactEvents ??= import('#functions/contact-events/handler.ts').then(
        (m) => m.handler as unknown as (e: unknown) => Promise<unknown>,
      );
      return (await contactEvents)(event);
    },
    o.answerRate,
    o.dialTiming,
  );
  const delayTopic = new LocalTopic();
  const sms = new OutboxSmsSender();
  const email = new OutboxEmailSender();
  // The IVR hand-off queue: the IVR Lambdas send to it through the SDK, as they would to SQS.
  const handoff = await new LocalSqs('keyline-ivr-handoff').start();
  process.env.AWS_ENDPOINT_URL_SQS = handoff.endpoint;
  process.env.IVR_HANDOFF_QUEUE_URL = handoff.queueUrl;
  const handoffDeps = {
    accounts: accounts.repo,
    campaigns,
    complaints,
    confirmations: new Confirmations(db, tableName, sms),
  };
  handoff.consume(async (m) => {
    const done = await completeHandoff(handoffDeps, IvrHandoffMessage.parse(JSON.parse(m.body)));
    console.log(`[ivr hand-off] ${done.kind} ${done.reference ?? done.id} finished and confirmed by SMS`);
  });
  // A low digest threshold so a demo incident shows the digest (AWS default: 5 an hour).
  const notifier: NotifierDeps = {
    accounts,
    notifications: new NotificationRepo(db, tableName),
    sms,
    email,
    shipments,
    digestThreshold: 3,
    // A short gathering time, so a demo incident's digest shows within seconds (AWS: 2 minutes).
    policy: { gatherSeconds: o.gatherSeconds ?? 5 },
    linkBase: 'http://127.0.0.1:4310/',
    onDeadLetter: (records) =>
      console.error(`[notifier] ${records.length} alert(s) dead-lettered after their last attempt`),
  };

  const alertNow = o.alertClock ?? (() => new Date());
  const stops = [
    every(o.dialerEveryMs, 'dialer', async () => {
      const run = await runDialer(
        { campaigns, accounts: accounts.repo, dialer },
        {
          quotaPerSecond: o.quotaPerSecond,
          burst: 5,
          maxRunMs: Math.max(1000, o.dialerEveryMs - 500),
        },
      );
      if (run.dialed + run.throttled + run.outsideWindow + run.skipped + run.reconciled > 0) {
        console.log(
          `[dialer] dialed ${run.dialed}, skipped ${run.skipped}, outside window ${run.outsideWindow}, capped ${run.capped}, throttled ${run.throttled}, reconciled ${run.reconciled}`,
        );
      }
    }),
    every(o.escalationEveryMs, 'sla-escalation', async () => {
      const run = await runEscalation(complaints, outbox);
      if (run.published > 0) {
        console.log(`[sla-escalation] ${run.published} escalation event(s), ${run.read} item(s) read`);
      }
    }),
    every(o.alertsEveryMs ?? 2000, 'delay alerts', async () => {
      // What this drain publishes, in order, as the topic's subscribers would receive it (the
      // topic itself keeps only the last events, for the desktop). The deployed outbox sweeper's
      // drain (bounded attempts, then a dead letter), here for every entry at once: there is no
      // table stream to publish first.
      const fresh: DomainEvent[] = [];
      const run = await drainOutbox(
        db,
        tableName,
        {
          publish: async (e) => {
            await delayTopic.publish(e);
            fresh.push(e);
          },
        },
        {
          onDeadLetter: (e) =>
            console.error(`[outbox] ${e.subject} given up after ${e.attempts} attempts (DEADLETTER#OUTBOX)`),
        },
      );
      if (run.failed) console.error(`[outbox] ${run.failed} entr(ies) failed to publish; retried next run`);
      // Four events at a time, as several Lambda invocations would take them in AWS: mailboxes
      // are leased, so concurrent notifiers never send one alert twice.
      await pool(fresh, 4, async (e) => {
        const event = e.payload as DelayDetected;
        await notifyDelay(notifier, event, alertNow()).catch((err: unknown) =>
          console.error('[notifier]', err instanceof Error ? err.message : err),
        );
        await proactiveCall({ db, tableName, campaigns, accounts }, event).catch((err: unknown) =>
          console.error('[proactive call]', err instanceof Error ? err.message : err),
        );
      });
      await sendDue(notifier, alertNow());
    }),
    // The tracking-feed simulator: a couple of scans every 20 s keep the demo shipments moving.
    every(20_000, 'tracking feed', () => tickTrackingFeed(accounts, shipments)),
  ];
  // The delay watchdog (every 15 minutes in AWS): shipments with no scan since a milestone was
  // due, or past their promise and tolerance, announce their delay as a scan would.
  if (o.watchdogEveryMs !== undefined)
    stops.push(
      every(o.watchdogEveryMs, 'delay watchdog', async () => {
        const run = await shipments.watchdogRun(new Date(), (waybill, err) =>
          console.error('[delay watchdog]', waybill, err instanceof Error ? err.message : err),
        );
        if (run.stopped) throw new Error(`delay watchdog stopped after ${run.failed.length} failed checks`);
      }),
    );
  if (o.analyticsAfterMs !== undefined) {
    const { handler } = await import('#functions/analytics/handler.ts');
    const raw = new DynamoDBClient({});
    const stream = (
      await LocalTableStream.open(raw, tableName, {
        entities: FACT_ENTITIES,
        handler: (e) => handler(e, lambdaContext('keyline-analytics')),
      })
    ).start();
    const churnDeps = {
      db,
      tableName,
      aggregates: new WeeklyAggregates(db, tableName),
      campaigns,
      accounts: accounts.repo,
    };
    const score = async () => {
      const run = await scoreBook(churnDeps);
      console.log(
        `[churn] ${run.scored} account(s) scored, ${run.byLevel.high} at high risk, ${run.booked} retention call(s) booked`,
      );
      // The managers' weekly digest (Mondays in AWS), once a week: it lands in the desk's outbox.
      const digests = await sendWeeklyDigests({
        ...churnDeps,
        email,
        directory: new StaticManagerDirectory(DEMO_MANAGERS),
        link: `${notifier.linkBase}#cockpit`,
      });
      if (digests.sent) console.log(`[digest] ${digests.sent} weekly digest(s) sent to key-account managers`);
    };
    const first = setTimeout(() => {
      score().catch((err: unknown) => console.error('[churn]', err instanceof Error ? err.message : err));
      stops.push(every(6 * 3_600_000, 'churn', score));
    }, o.analyticsAfterMs);
    first.unref();
    stops.push(() => {
      clearTimeout(first);
      stream.stop();
      raw.destroy();
    });
  }
  if (o.followUpsAfterMs !== undefined) {
    const followUps = async () => {
      const run = await scheduleFollowUps({ db, tableName, campaigns, accounts: accounts.repo });
      if (run.booked) console.log(`[follow-ups] ${run.booked} scheduled follow-up call(s) booked`);
    };
    const first = setTimeout(() => {
      followUps().catch((err: unknown) =>
        console.error('[follow-ups]', err instanceof Error ? err.message : err),
      );
      stops.push(every(3_600_000, 'follow-ups', followUps));
    }, o.followUpsAfterMs);
    first.unref();
    stops.push(() => clearTimeout(first));
  }
  return {
    outbox,
    dialer,
    delayTopic,
    sms,
    email,
    handoff,
    setLinkBase: (url) => {
      notifier.linkBase = url;
    },
    stop: () => {
      for (const stop of stops) stop();
      void handoff.stop();
    },
  };
}
