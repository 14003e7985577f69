import { ulid } from 'ulid';
import type { Accounts } from '#shared/accounts/service.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipments } from '#shared/shipments/service.ts';

/**
 * A weather incident on a region: every in-transit shipment of the accounts serving that region
 * gets an exception scan (weather) and a carrier ETA pushed back by `hours`. It goes through the
 * same ingestion as a TMS feed, so detection, the outbox, alerts, digests and the proactive call
 * all follow.
 */
export async function weatherIncident(
  accounts: Accounts,
  shipments: Shipments,
  region: string,
  hours = 30,
  now = new Date(),
) {
  const affected = (await accounts.list()).filter((a) => a.regions.includes(region));
  const events: unknown[] = [];
  for (const a of affected) {
    for (const s of await shipments.listByAccount(a.id, 'open')) {
      events.push({
        eventId: `incident-${ulid()}`,
        waybill: s.waybill,
        accountId: a.id,
        milestone: 'exception',
        reason: 'weather',
        location: `${region} 暴雪封路 / snowstorm closes the expressway`,
        at: now.toISOString(),
        carrierEta: new Date(Math.max(Date.parse(s.eta), now.getTime()) + hours * 3_600_000).toISOString(),
      });
    }
  }
  const report = events.length ? await ingestBatch(shipments, events, now) : undefined;
  return { region, accounts: affected.map((a) => a.id), events: events.length, report };
}
