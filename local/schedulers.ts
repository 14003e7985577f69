import { OutboxEventPublisher } from '#shared/adapters/events.ts';
import { complaintOptionsFromEnv } from '#shared/complaints/config.ts';
import { runEscalation } from '#shared/complaints/escalation.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ComplaintStore } from '#shared/store/complaints.ts';

export interface LocalSchedulers {
  outbox: OutboxEventPublisher;
  stop: () => void;
}

/**
 * The local stand-ins for EventBridge Scheduler: the SLA escalation job on a timer, publishing
 * to an in-memory outbox (the local EventPublisher) that the agent desktop shows.
 */
export function startSchedulers(tableName: string, escalationEveryMs: number): LocalSchedulers {
  const outbox = new OutboxEventPublisher();
  const store = new ComplaintStore(createDocumentClient(), tableName, complaintOptionsFromEnv());
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
  const timer = setInterval(tick, escalationEveryMs);
  timer.unref();
  return { outbox, stop: () => clearInterval(timer) };
}
