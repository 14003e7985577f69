import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, expect, it, vi } from 'vitest';
import { startSchedulers } from '#local/schedulers.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { OUTBOX_SWEEP, outboxPut } from '#shared/platform/dynamo/outbox.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { inTransitShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
beforeAll(async () => {
  await loadDemo();
});

it('the local stack notifies a delay however many events its topic already keeps for the desktop', async () => {
  const s = await startSchedulers(TABLE_NAME(), {
    escalationEveryMs: 1e9,
    dialerEveryMs: 1e9,
    answerRate: 1,
    quotaPerSecond: 1,
    alertsEveryMs: 100,
    alertClock: () => new Date('2026-11-24T02:00:00Z'),
  });
  try {
    // A long-running demo: the topic's memory is full (it keeps the last 200 events).
    for (let i = 0; i < 200; i++)
      s.delayTopic.events.push({ type: 'Old', subject: 'old', payload: {}, attributes: {}, at: '' });
    const shipments = new Shipments(db, TABLE_NAME());
    const waybill = '7100100000';
    const shipment = await shipments.get(waybill);
    if (!shipment) throw new Error(`demo shipment ${waybill} is missing`);
    await shipments.applyEvent({
      eventId: `ev-local-topic-${waybill}`,
      waybill,
      accountId: shipment.accountId,
      milestone: 'exception',
      reason: 'accident',
      location: 'G15',
      at: new Date().toISOString(),
      carrierEta: new Date(Date.parse(shipment.promisedAt) + 40 * 3_600_000).toISOString(),
    });
    const log = new NotificationRepo(db, TABLE_NAME());
    const lines = async () => (await log.list(shipment.accountId, 200)).filter((r) => r.waybill === waybill);
    for (let i = 0; i < 100 && (await lines()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(s.delayTopic.events[0]?.payload).toMatchObject({ waybill });
    expect((await lines()).length).toBeGreaterThan(0);
  } finally {
    s.stop();
  }
});

it('the local stack drains the outbox with the deployed sweeper’s bound: a spent entry is dead-lettered, not published', async () => {
  const put = outboxPut(
    TABLE_NAME(),
    'local-spent#major',
    { type: 'DelayDetected', subject: 'Delay major: waybill local-spent', payload: {}, attributes: {} },
    new Date(),
  );
  // Its attempts were spent (a topic that kept failing): the next drain gives it up.
  await db.send(
    new PutCommand({
      TableName: TABLE_NAME(),
      Item: { ...put.Put?.Item, attempts: OUTBOX_SWEEP.maxAttempts },
    }),
  );
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  const s = await startSchedulers(TABLE_NAME(), {
    escalationEveryMs: 1e9,
    dialerEveryMs: 1e9,
    answerRate: 1,
    quotaPerSecond: 1,
    alertsEveryMs: 100,
  });
  try {
    const key = { pk: put.Put?.Item?.pk, sk: put.Put?.Item?.sk };
    const dead = async () =>
      (await db.send(new GetCommand({ TableName: TABLE_NAME(), Key: key, ConsistentRead: true }))).Item
        ?.deadLetteredAt;
    for (let i = 0; i < 100 && !(await dead()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await dead()).toBeDefined();
    expect(s.delayTopic.events.some((e) => e.subject === 'Delay major: waybill local-spent')).toBe(false);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('local-spent given up after 5 attempts'));
  } finally {
    s.stop();
    errors.mockRestore();
  }
});

it('the local stack runs the delay watchdog: a shipment whose scans stopped is announced late', async () => {
  const now = new Date();
  const waybill = `LW${String(now.getTime()).slice(-8)}`;
  const shipments = new Shipments(db, TABLE_NAME());
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
  await shipments.create(
    inTransitShipment(now, {
      waybill,
      accountId: 'acc-jinhe-grain',
      milestones: [],
      lastEventAt: at(-13),
      nextMilestoneDueAt: at(-1),
      updatedAt: at(-13),
    }),
    now,
  );
  const s = await startSchedulers(TABLE_NAME(), {
    escalationEveryMs: 1e9,
    dialerEveryMs: 1e9,
    answerRate: 1,
    quotaPerSecond: 1,
    alertsEveryMs: 1e9,
    watchdogEveryMs: 100,
  });
  try {
    const trigger = async () => (await shipments.get(waybill))?.delay?.trigger;
    for (let i = 0; i < 100 && !(await trigger()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await trigger()).toBe('stagnation');
  } finally {
    s.stop();
  }
});
