import { OutboxEventPublisher } from '#shared/adapters/events.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { CampaignStore } from '#shared/store/campaigns.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';
import { SimulatedDialer } from './simulated-dialer.ts';

export interface LocalSchedulers {
  outbox: OutboxEventPublisher;
  dialer: SimulatedDialer;
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
  return {
    outbox,
    dialer,
    stop: () => {
      clearInterval(timer);
      clearInterval(dialTimer);
    },
  };
}
