import { ulid } from 'ulid';
import type { Accounts } from '#shared/accounts/service.ts';
import { poolMap } from '#shared/platform/pool.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipments } from '#shared/shipments/service.ts';

const NEXT: Record<string, { milestone: string; location: (dest: string) => string }> = {
  'picked-up': { milestone: 'departed', location: () => '始发站 / origin hub' },
  departed: { milestone: 'arrived-at-hub', location: () => '郑州转运中心' },
  'arrived-at-hub': { milestone: 'out-for-delivery', location: (d) => d },
  'out-for-delivery': { milestone: 'delivered', location: (d) => d },
};

/**
 * Keeps the demo shipments moving: each tick, a few on-schedule in-transit shipments get their
 * next scan through the same ingestion as a TMS feed (shipments held by an exception stay put).
 */
export async function tickTrackingFeed(
  accounts: Accounts,
  shipments: Shipments,
  perTick = 2,
  now = new Date(),
) {
  const open = (
    await poolMap(await accounts.list(), 16, (a) => shipments.listByAccount(a.id, 'open'))
  ).flat();
  const movable = open.filter((s) => s.status === 'in-transit' && NEXT[s.milestones.at(-1)?.milestone ?? '']);
  const picked = movable.sort(() => Math.random() - 0.5).slice(0, perTick);
  const events = picked.map((s) => {
    const step = NEXT[s.milestones.at(-1)?.milestone ?? ''];
    return {
      eventId: `sim-${ulid()}`,
      waybill: s.waybill,
      accountId: s.accountId,
      milestone: step?.milestone,
      location: step?.location(s.destination),
      at: now.toISOString(),
    };
  });
  return events.length ? ingestBatch(shipments, events, now) : undefined;
}
