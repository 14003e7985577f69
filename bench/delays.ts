import { OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { DEFAULT_MAILBOX_POLICY } from '#shared/notify/mailbox.ts';
import { notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { ingestBatch } from '#shared/shipments/ingest.ts';
import type { Shipment } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { type BenchContext, freshTable, option, round } from './lib.ts';

/**
 * Delay early-warning: ingestion plus detection throughput, DynamoDB requests per on-time event,
 * and a 1,000-shipment incident on one account: how many digests each contact receives.
 */
export async function delaysBench(ctx: BenchContext) {
  const shipmentsN = option(ctx.args, 'incident-shipments', 1_000);
  const table = await freshTable(ctx, 'bench-delays');
  const db = createDocumentClient();
  let requests = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const accounts = new Accounts(db, table);
  const jinhe = DEMO_ACCOUNTS.find((a) => a.id === 'acc-jinhe-grain');
  if (!jinhe) throw new Error('demo account missing');
  const { id, ...raw } = jinhe;
  await accounts.save(id, AccountInput.parse(raw));
  const store = new Shipments(db, table);
  const now = new Date();
  const base = (i: number): Shipment => ({
    waybill: `72${String(i).padStart(8, '0')}`,
    accountId: id,
    origin: '天津港',
    destination: '北京顺义配送中心',
    consignee: { name: '收货部' },
    promisedAt: new Date(now.getTime() + 48 * 3_600_000).toISOString(),
    eta: new Date(now.getTime() + 40 * 3_600_000).toISOString(),
    status: 'in-transit',
    milestones: [
      { milestone: 'departed', at: new Date(now.getTime() - 3_600_000).toISOString(), location: '天津港' },
    ],
    tier: 'key',
    segment: 'fmcg',
    lastEventAt: new Date(now.getTime() - 3_600_000).toISOString(),
    version: 1,
    updatedAt: now.toISOString(),
  });
  for (let i = 0; i < shipmentsN; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, shipmentsN - i) }, (_, k) => store.create(base(i + k), now)),
    );
  }
  // On-time scans: ingestion and detection, no delay.
  const scans = Array.from({ length: shipmentsN }, (_, i) => ({
    eventId: `scan-${i}`,
    waybill: base(i).waybill,
    accountId: id,
    milestone: 'arrived-at-hub',
    location: '廊坊转运中心',
    at: now.toISOString(),
  }));
  requests = 0;
  let t = performance.now();
  const onTime = await ingestBatch(store, scans, now);
  const onTimeSeconds = (performance.now() - t) / 1000;
  const requestsPerEvent = requests / shipmentsN;

  // The incident: every shipment gets a weather exception with an ETA a day and a half late.
  const incident = Array.from({ length: shipmentsN }, (_, i) => ({
    eventId: `storm-${i}`,
    waybill: base(i).waybill,
    accountId: id,
    milestone: 'exception',
    reason: 'weather',
    location: 'G4 暴雪封路',
    at: new Date(now.getTime() + 60_000).toISOString(),
    carrierEta: new Date(now.getTime() + 90 * 3_600_000).toISOString(),
  }));
  t = performance.now();
  const stormReport = await ingestBatch(store, incident, new Date(now.getTime() + 60_000));
  const stormSeconds = (performance.now() - t) / 1000;

  // Every announced delay reaches the notifier, as SQS would deliver them.
  const sms = new OutboxSmsSender();
  const email = new OutboxEmailSender();
  const deps = {
    accounts: new Accounts(createDocumentClient(), table),
    notifications: new NotificationRepo(createDocumentClient(), table),
    sms,
    email,
  };
  const at = new Date('2026-11-24T03:00:00Z');
  t = performance.now();
  for (const e of incident) {
    await notifyDelay(
      deps,
      {
        type: 'DelayDetected',
        waybill: e.waybill,
        accountId: id,
        tier: 'key',
        severity: 'critical',
        trigger: 'exception',
        reason: 'weather',
        minutesLate: 2520,
        eta: e.carrierEta,
        location: e.location,
        createdAt: at.toISOString(),
      },
      at,
    );
  }
  // The burst's digests go once its gathering time has passed (the scheduled sender's next run).
  await sendDue(deps, new Date(at.getTime() + (DEFAULT_MAILBOX_POLICY.gatherSeconds + 1) * 1000));
  const notifySeconds = (performance.now() - t) / 1000;
  const digestsPerRecipient = new Map<string, number>();
  for (const m of sms.sent.filter((s) => s.text.startsWith('【运输延误汇总】')))
    digestsPerRecipient.set(m.to, (digestsPerRecipient.get(m.to) ?? 0) + 1);
  for (const m of email.sent.filter(
    (s) => s.subject.startsWith('运输延误汇总') || s.subject.startsWith('Delay digest'),
  ))
    digestsPerRecipient.set(m.to, (digestsPerRecipient.get(m.to) ?? 0) + 1);
  const result = {
    shipments: shipmentsN,
    onTime: {
      eventsPerSecond: round(shipmentsN / onTimeSeconds, 1),
      dynamoRequestsPerEvent: round(requestsPerEvent, 2),
      applied: onTime.applied,
      goal: '≤ 2 requests per on-time event',
    },
    incident: {
      eventsPerSecond: round(shipmentsN / stormSeconds, 1),
      delaysAnnounced: stormReport.delaysAnnounced,
      messagesSent: sms.sent.length + email.sent.length,
      maxDigestsPerRecipient: Math.max(0, ...digestsPerRecipient.values()),
      notifiedPerSecond: round(shipmentsN / notifySeconds, 1),
      goal: 'at most one digest per contact per window',
    },
  };
  console.log('\nDelay early-warning (DynamoDB Local)');
  console.table({
    'on-time scans': {
      events: shipmentsN,
      per_second: result.onTime.eventsPerSecond,
      'DynamoDB req/event': result.onTime.dynamoRequestsPerEvent,
      'max digests/contact': '',
      'notified/s': '',
    },
    'incident (1,000 late)': {
      events: shipmentsN,
      per_second: result.incident.eventsPerSecond,
      'DynamoDB req/event': '',
      'max digests/contact': result.incident.maxDigestsPerRecipient,
      'notified/s': result.incident.notifiedPerSecond,
    },
  });
  db.destroy();
  return result;
}
