import { OutboxEventPublisher } from '#shared/adapters/events.ts';
import { OutboxEmailSender, OutboxSmsSender } from '#shared/adapters/senders.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { type DelayDetected, notifyDelay, sendDeferred } from '#shared/notify/notifier.ts';
import { drainOutbox, proactiveCall } from '#shared/notify/outbox.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';
import { NotificationStore } from '#shared/store/notifications.ts';
import { ShipmentStore } from '#shared/store/shipments.ts';
import { SimulatedDialer } from './simulated-dialer.ts';
import { tickTrackingFeed } from './tracking-simulator.ts';

export interface LocalSchedulers {
  outbox: OutboxEventPublisher;
  dialer: SimulatedDialer;
  /** The delay topic's published events, and the SMS and email that would have gone out. */
  delayTopic: OutboxEventPublisher;
  sms: OutboxSmsSender;
  email: OutboxEmailSender;
  stop: () => void;
}

export interface SchedulerOptions {
  escalationEveryMs: number;
  dialerEveryMs: number;
  answerRate: number;
  /** The Connect quota the local dialer paces to. */
  quotaPerSecond: number;
}

/**
 * The local stand-ins for EventBridge Scheduler: the SLA escalation job publishing to an in-memory
 * outbox (the local EventPublisher), and the dialer placing calls through the simulated dialer
 * (the local Dialer), whose contact events reach the real contact-events handler.
 */
export function startSchedulers(tableName: string, o: SchedulerOptions): LocalSchedulers {
  const outbox = new OutboxEventPublisher();
  const db = createDocumentClient();
  const store = new ComplaintStore(db, tableName, complaintOptionsFromEnv());
  const campaigns = new CampaignStore(db, tableName);
  // Contact events go to the very handler EventBridge invokes in AWS.
  let contactEvents: Promise<(e: unknown) => Promise<unknown>> | undefined;
  const sink = async (event: unknown) => {
    contactEvents ??= import('#functions/contact-events/handler.ts').then(
      (m) => m.handler as unknown as (e: unknown) => Promise<unknown>,
    );
    return (await contactEvents)(event);
  };
  const dialer = new SimulatedDialer(sink, o.answerRate);
  let dialing = false;
  const dial = async () => {
    if (dialing) return;
    dialing = true;
    try {
      const run = await runDialer(campaigns, dialer, {
        quotaPerSecond: o.quotaPerSecond,
        burst: 5,
        maxRunMs: Math.max(1000, o.dialerEveryMs - 500),
      });
      if (run.dialed + run.throttled + run.outsideWindow > 0) {
        console.log(
          `[dialer] dialed ${run.dialed}, outside window ${run.outsideWindow}, capped ${run.capped}, throttled ${run.throttled}`,
        );
      }
    } catch (err) {
      console.error('[dialer] run failed:', err instanceof Error ? err.message : err);
    } finally {
      dialing = false;
    }
  };
  const dialTimer = setInterval(dial, o.dialerEveryMs);
  dialTimer.unref();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const run = await runEscalation(store, outbox);
      if (run.published > 0)
        console.log(`[sla-escalation] ${run.published} escalation event(s), ${run.read} item(s) read`);
    } catch (err) {
      console.error('[sla-escalation] run failed:', err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, o.escalationEveryMs);
  timer.unref();

  // Delay alerts: the outbox is drained to a local topic whose subscribers are the notifier
  // (with local SMS and email outboxes) and the proactive-call hook, as SNS → SQS would in AWS.
  const delayTopic = new OutboxEventPublisher();
  const sms = new OutboxSmsSender();
  const email = new OutboxEmailSender();
  const accounts = new AccountStore(db, tableName);
  const shipments = new ShipmentStore(db, tableName);
  // A low digest threshold so a demo incident shows the digest (AWS default: 5 an hour).
  const notifierDeps = {
    accounts,
    notifications: new NotificationStore(db, tableName),
    sms,
    email,
    shipments,
    digestThreshold: 3,
  };
  let draining = false;
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      const before = delayTopic.events.length;
      await drainOutbox(db, tableName, delayTopic);
      for (const e of delayTopic.events.slice(0, delayTopic.events.length - before)) {
        const event = e.payload as unknown as DelayDetected;
        await notifyDelay(notifierDeps, event).catch((err: unknown) =>
          console.error('[notifier]', err instanceof Error ? err.message : err),
        );
        await proactiveCall(db, tableName, campaigns, accounts, event).catch((err: unknown) =>
          console.error('[proactive call]', err instanceof Error ? err.message : err),
        );
      }
      await sendDeferred(notifierDeps);
    } catch (err) {
      console.error('[delay alerts] run failed:', err instanceof Error ? err.message : err);
    } finally {
      draining = false;
    }
  };
  const drainTimer = setInterval(drain, 2000);
  drainTimer.unref();
  // The tracking-feed simulator: a couple of scans every 20 s keep the demo shipments moving.
  const feedTimer = setInterval(() => {
    tickTrackingFeed(accounts, shipments).catch((err: unknown) =>
      console.error('[tracking feed]', err instanceof Error ? err.message : err),
    );
  }, 20_000);
  feedTimer.unref();
  return {
    outbox,
    dialer,
    delayTopic,
    sms,
    email,
    stop: () => {
      clearInterval(timer);
      clearInterval(dialTimer);
      clearInterval(drainTimer);
      clearInterval(feedTimer);
    },
  };
}
