import { AccountInput } from '#shared/accounts/model.ts';
import { rankOrderServicePriority } from '#shared/accounts/order-priority.ts';
import { derivePrioritization } from '#shared/accounts/prioritization.ts';
import type { Accounts, SaveOutcome } from '#shared/accounts/service.ts';
import type { Shipments } from '#shared/shipments/service.ts';
import { DEMO_ACCOUNTS } from './accounts.ts';
import { DEMO_LOSSES } from './history.ts';
import { demoShipments } from './shipments.ts';

/**
 * Loads the demo book through the same store the Lambdas use; the accounts the story loses are
 * lost some weeks before `now` (history.ts). Loading twice the same day changes nothing.
 */
export async function loadDemoData(store: Accounts, now = new Date()): Promise<Record<SaveOutcome, number>> {
  const counts: Record<SaveOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const { id, ...raw } of DEMO_ACCOUNTS) {
    const loss = DEMO_LOSSES[id];
    const lost = loss
      ? {
          status: 'lost',
          statusReason: loss.reason,
          statusSince: new Date(now.getTime() - loss.weeksAgo * 7 * 86_400_000).toISOString().slice(0, 10),
        }
      : {};
    const { outcome } = await store.save(id, AccountInput.parse({ ...raw, ...lost }), {
      skipUnchanged: true,
    });
    counts[outcome]++;
  }
  return counts;
}

/** Loads the demo shipments (in transit, some late, and 90 days of deliveries). Skips existing ones. */
export async function loadDemoShipments(store: Shipments, now = new Date()): Promise<number> {
  let created = 0;
  const profiles = new Map(
    DEMO_ACCOUNTS.map((a) => {
      const input = AccountInput.parse(a);
      const profile = {
        tier: derivePrioritization(input.economics).tier,
        delayToleranceMinutes: input.delayToleranceMinutes,
        lines: rankOrderServicePriority(input.serviceLines).sort((x, y) => x.rank - y.rank),
      };
      return [a.id, profile];
    }),
  );
  for (const s of demoShipments(now)) {
    if (await store.get(s.waybill)) continue;
    const { lines = [], ...profile } = profiles.get(s.accountId) ?? {};
    const segment = DEMO_ACCOUNTS.find((a) => a.id === s.accountId)?.segment;
    // The account's lines in turn, the top-ranked line first.
    const serviceLine = lines[Number(s.waybill.slice(-5)) % Math.max(1, lines.length)];
    await store.create(
      {
        ...s,
        ...profile,
        ...(serviceLine
          ? { serviceLine, cargo: `${serviceLine.name} / ${serviceLine.nameEn ?? serviceLine.id}` }
          : {}),
        ...(segment ? { segment } : {}),
        lastEventAt: s.milestones.at(-1)?.at ?? s.updatedAt,
      },
      now,
    );
    created++;
  }
  return created;
}
