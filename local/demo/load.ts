import { AccountInput } from '#shared/accounts/model.ts';
import { derivePrioritization } from '#shared/accounts/prioritization.ts';
import type { Accounts, SaveOutcome } from '#shared/accounts/service.ts';
import { pool } from '#shared/platform/pool.ts';
import { shipmentProfile } from '#shared/shipments/booking.ts';
import type { Shipments } from '#shared/shipments/service.ts';
import { DEMO_ACCOUNTS } from './accounts.ts';
import { DEMO_LOSSES } from './history.ts';
import { demoShipments } from './shipments.ts';

const LOAD_CONCURRENCY = 6;

/**
 * Loads the demo book through the same store the Lambdas use; the accounts the story loses are
 * lost some weeks before `now` (history.ts). Loading twice the same day changes nothing.
 */
export async function loadDemoData(store: Accounts, now = new Date()): Promise<Record<SaveOutcome, number>> {
  const counts: Record<SaveOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  // Accounts are independent of each other: several at a time (the local start and every test
  // file that loads the book wait for it).
  await pool(DEMO_ACCOUNTS, LOAD_CONCURRENCY, async ({ id, ...raw }) => {
    const loss = DEMO_LOSSES[id];
    const lost = loss
      ? {
          status: 'lost',
          statusReason: loss.reason,
          statusSince: new Date(now.getTime() - loss.weeksAgo * 7 * 86_400_000).toISOString().slice(0, 10),
        }
      : {};
    const { outcome } = await store.save(id, AccountInput.parse({ ...raw, ...lost }), {
      asImport: true,
    });
    counts[outcome]++;
  });
  return counts;
}

/** Loads the demo shipments (in transit, some late, and 90 days of deliveries). Skips existing ones. */
export async function loadDemoShipments(store: Shipments, now = new Date()): Promise<number> {
  // What each shipment copies of its account: the same derivation a TMS booking uses (booking.ts).
  const profiles = new Map(
    DEMO_ACCOUNTS.map((a) => {
      const input = AccountInput.parse(a);
      return [a.id, shipmentProfile({ ...input, derived: derivePrioritization(input.economics) })];
    }),
  );
  const shipments = demoShipments(now).map((s) => {
    const { lines = [], profile } = profiles.get(s.accountId) ?? {};
    // The account's lines in turn, the top-ranked line first.
    const serviceLine = lines[Number(s.waybill.slice(-5)) % Math.max(1, lines.length)];
    return {
      ...s,
      ...profile,
      ...(serviceLine
        ? { serviceLine, cargo: `${serviceLine.name} / ${serviceLine.nameEn ?? serviceLine.id}` }
        : {}),
      lastEventAt: s.milestones.at(-1)?.at ?? s.updatedAt,
    };
  });
  // In bulk: a few transactions of up to a hundred items, existing shipments left as they are.
  const created = await store.createMany(shipments, now);
  return created;
}
