/**
 * The proactive call booked about a critical delay, checked against the shipment as it stands
 * when the DelayDetected event is handled (a late outbox publish, an operator's replay).
 * Against DynamoDB Local (this file's own table).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { PROACTIVE_CAMPAIGN, proactiveCall } from '#shared/notify/proactive-call.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { logger } from '#shared/platform/observability/index.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { delayDetected, inTransitShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const store = () => new Shipments(db, TABLE_NAME());
const campaigns = new Campaigns(db, TABLE_NAME());
const hook = () => ({ db, tableName: TABLE_NAME(), campaigns, accounts: new Accounts(db, TABLE_NAME()) });
const now = new Date();
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
let n = 0;

/** A 金禾 (key account) shipment of its own, departed five hours ago, with `o` on top. */
async function newShipment(o: Partial<Shipment> = {}): Promise<Shipment> {
  n++;
  const s = inTransitShipment(now, {
    waybill: `PC${String(now.getTime()).slice(-8)}${String(n).padStart(2, '0')}`,
    accountId: 'acc-jinhe-grain',
    milestones: [{ milestone: 'departed', at: h(-5), location: '哈尔滨' }],
    lastEventAt: h(-5),
    nextMilestoneDueAt: h(7),
    tier: 'key',
    updatedAt: h(-5),
    ...o,
  });
  await store().create(s, now);
  return s;
}

const critical = (s: Shipment) =>
  delayDetected({ waybill: s.waybill, accountId: s.accountId, tier: 'key', severity: 'critical' });
const booked = async (waybill: string) =>
  (await campaigns.listCallbacks(PROACTIVE_CAMPAIGN)).filter((c) => c.waybill === waybill);

beforeAll(() => loadDemo());
afterEach(() => vi.restoreAllMocks());

describe('a proactive call about a delay that is over by the time the event is handled', () => {
  it('books no call about a critical delay whose shipment was delivered before the event was handled', async () => {
    // A key account's shipment, critical late; its announcement waits (an SNS outage: the sweeper,
    // or an operator's replay, publishes it later) while the goods arrive.
    const s = await newShipment();
    const delivered = await ingestBatch(
      store(),
      [
        {
          eventId: `ev-${s.waybill}`,
          waybill: s.waybill,
          accountId: s.accountId,
          milestone: 'delivered',
          location: '郑州',
          at: h(-0.5),
        },
      ],
      now,
    );
    expect(delivered.applied).toBe(1);
    expect((await store().get(s.waybill))?.status).toBe('delivered');
    const info = vi.spyOn(logger, 'info');
    expect(await proactiveCall(hook(), critical(s), now)).toBeUndefined();
    expect(await booked(s.waybill)).toEqual([]);
    // Why nothing was booked, in the SMS path's words, for the operator who looks.
    expect(JSON.stringify(info.mock.calls)).toContain('skipped-delay-over');
    expect(JSON.stringify(info.mock.calls)).toContain(s.waybill);
  });

  it('books no call when customer service cleared the delay meanwhile', async () => {
    const s = await newShipment({
      delay: {
        state: 'cleared',
        severity: 'critical',
        trigger: 'exception',
        reason: 'weather',
        minutesLate: 1800,
        detectedAt: h(-2),
        clearedAt: h(-1),
      },
    });
    expect(await proactiveCall(hook(), critical(s), now)).toBeUndefined();
    expect(await booked(s.waybill)).toEqual([]);
  });

  it('books the call, once, while the delay is still open', async () => {
    const s = await newShipment({
      delay: {
        state: 'detected',
        severity: 'critical',
        trigger: 'exception',
        reason: 'weather',
        minutesLate: 1800,
        detectedAt: h(-1),
        announcedSeverity: 'critical',
      },
    });
    const id = await proactiveCall(hook(), critical(s), now);
    expect(id).toBeDefined();
    expect(await proactiveCall(hook(), critical(s), now)).toBe(id);
    expect((await booked(s.waybill)).map((c) => c.id)).toEqual([id]);
  });
});

describe('a proactive call nobody can take', () => {
  const openDelay = {
    state: 'detected',
    severity: 'critical',
    trigger: 'exception',
    reason: 'weather',
    minutesLate: 1800,
    detectedAt: h(-1),
    announcedSeverity: 'critical',
  } as const;

  it('throws for an account not imported yet, so Lambda retries the event and keeps it in the DLQ', async () => {
    const s = await newShipment({ accountId: 'acc-not-imported-yet', delay: openDelay });
    await expect(proactiveCall(hook(), critical(s), now)).rejects.toMatchObject({
      name: 'UnknownAccount',
      accountId: 'acc-not-imported-yet',
      waybill: s.waybill,
    });
    expect(await booked(s.waybill)).toEqual([]);
  });

  it('books nothing, and says why, when no contact of the account may be called', async () => {
    const s = await newShipment({ delay: openDelay });
    const accounts = new Accounts(db, TABLE_NAME());
    const jinhe = await accounts.get('acc-jinhe-grain');
    if (!jinhe) throw new Error('the demo has 金禾');
    // Every contact said "do not call" (the demo's own account is left as it is).
    const noCalls = { ...jinhe, contacts: jinhe.contacts.map((c) => ({ ...c, doNotCall: true })) };
    const warn = vi.spyOn(logger, 'warn');
    const id = await proactiveCall({ ...hook(), accounts: { get: async () => noCalls } }, critical(s), now);
    expect(id).toBeUndefined();
    expect(await booked(s.waybill)).toEqual([]);
    expect(JSON.stringify(warn.mock.calls)).toContain('skipped-no-consent');
    expect(JSON.stringify(warn.mock.calls)).toContain(s.waybill);
  });
});
