import {
  GetSuppressedDestinationCommand,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trackingRoutes } from '#functions/tracking/routes.ts';
import { demoShipments, demoWaybill } from '#local/demo/shipments.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { isOpenAndDelayed } from '#shared/shipments/model.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { loadDemo } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { sqsRecord } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
let proxy: DynamoProxy;
const db = () => createDocumentClient();
const store = () => new Shipments(db(), TABLE_NAME());
const ON_TIME = demoWaybill(0, 3); // Jinhe, key account, on schedule
const LATER = new Date(Date.now() + 60_000).toISOString();

const event = (o: Record<string, unknown> = {}) => ({
  eventId: `ev-${Math.random().toString(36).slice(2)}`,
  waybill: ON_TIME,
  accountId: 'acc-jinhe-grain',
  milestone: 'arrived-at-hub',
  location: '济南转运中心',
  at: new Date().toISOString(),
  ...o,
});

beforeAll(async () => {
  await loadDemo();
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  api = apiClient((await import('#functions/tracking/handler.ts')).handler, trackingRoutes);
});
afterAll(() => proxy.stop());
beforeEach(() => proxy.reset());

describe('tracking ingestion against DynamoDB Local', () => {
  it('applies an on-time scan in two DynamoDB requests', async () => {
    const res = await api('POST', '/tracking-events', { events: [event({ eventId: 'ev-on-time-1' })] });
    expect(res.json).toMatchObject({
      received: 1,
      applied: 1,
      stale: 0,
      duplicates: 0,
      delaysAnnounced: 0,
      rejected: [],
    });
    expect(proxy.calls.map((c) => c.op)).toEqual(['GetItem', 'TransactWriteItems']);
    const s = (await api('GET', `/shipments/${ON_TIME}`)).json;
    expect(s.milestones.at(-1)).toMatchObject({ milestone: 'arrived-at-hub', location: '济南转运中心' });
  });

  it('ignores a redelivered event', async () => {
    const e = event({ eventId: 'ev-dup-1', at: new Date(Date.now() + 1000).toISOString() });
    await api('POST', '/tracking-events', { events: [e] });
    const again = await api('POST', '/tracking-events', { events: [e] });
    expect(again.json).toMatchObject({ applied: 0, duplicates: 1 });
    const s = await store().get(ON_TIME);
    expect(s?.milestones.filter((m) => m.at === e.at)).toHaveLength(1);
  });

  it('keeps an older event as history without overwriting the newer state', async () => {
    const newer = event({
      eventId: 'ev-new',
      milestone: 'out-for-delivery',
      location: '北京顺义',
      at: LATER,
    });
    const older = event({
      eventId: 'ev-old',
      milestone: 'departed',
      location: '天津港',
      at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const res = await api('POST', '/tracking-events', { events: [newer] });
    expect(res.json.applied).toBe(1);
    const late = await api('POST', '/tracking-events', { events: [older] });
    expect(late.json).toMatchObject({ applied: 0, stale: 1 });
    expect((await store().get(ON_TIME))?.milestones.at(-1)?.milestone).toBe('out-for-delivery');
  });

  it('rejects bad events by index and still stores the good ones', async () => {
    const res = await api('POST', '/tracking-events', {
      events: [
        event({ eventId: 'ev-good-1', waybill: demoWaybill(0, 4) }),
        { eventId: 'ev-bad-1', waybill: 'x', milestone: 'teleported' },
        event({ eventId: 'ev-bad-2', waybill: '7199999999' }),
        event({ eventId: 'ev-bad-3', milestone: 'exception' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.applied).toBe(1);
    expect(res.json.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.json.rejected[0].reason).toContain('waybill');
    expect(res.json.rejected[1].reason).toBe('waybill 7199999999 is not a known shipment');
    expect(res.json.rejected[2].reason).toBe('reason: an exception needs a reason');
  });

  it('detects a delay, announces it once per severity, and clears it on delivery', async () => {
    // The rice line (importance 2: a slight delay is acceptable), so the tier's thresholds alone decide.
    const waybill = demoWaybill(0, 4);
    // One announcement per delay episode × severity: the id carries when the delay was detected.
    const announced = async () => {
      const detectedAt = (await store().get(waybill))?.delay?.detectedAt ?? 'none';
      return (
        await db().send(
          new GetCommand({
            TableName: TABLE_NAME(),
            Key: keys.outbox.item(keys.outbox.delayDetectedId(waybill, 'major', detectedAt)),
          }),
        )
      ).Item;
    };
    const before = await store().get(waybill);
    const lateEta = new Date(Date.parse(before?.promisedAt ?? '') + 6 * 3_600_000).toISOString();
    const first = await api('POST', '/tracking-events', {
      events: [
        event({
          eventId: 'ev-late-1',
          waybill,
          carrierEta: lateEta,
          at: new Date(Date.now() + 2000).toISOString(),
        }),
      ],
    });
    expect(first.json.delaysAnnounced).toBe(1);
    expect(await announced()).toMatchObject({
      eventType: 'DelayDetected',
      payload: { severity: 'major', tier: 'key', accountId: 'acc-jinhe-grain' },
    });
    const same = await api('POST', '/tracking-events', {
      events: [
        event({
          eventId: 'ev-late-2',
          waybill,
          carrierEta: lateEta,
          at: new Date(Date.now() + 3000).toISOString(),
        }),
      ],
    });
    expect(same.json.delaysAnnounced).toBe(0);
    const worse = new Date(Date.parse(before?.promisedAt ?? '') + 30 * 3_600_000).toISOString();
    const critical = await api('POST', '/tracking-events', {
      events: [
        event({
          eventId: 'ev-late-3',
          waybill,
          carrierEta: worse,
          at: new Date(Date.now() + 4000).toISOString(),
        }),
      ],
    });
    expect(critical.json.delaysAnnounced).toBe(1);
    expect((await store().get(waybill))?.delay).toMatchObject({
      state: 'detected',
      severity: 'critical',
      announcedSeverity: 'critical',
    });
    const statsBefore = await store().stats('acc-jinhe-grain');
    await api('POST', '/tracking-events', {
      events: [
        event({
          eventId: 'ev-delivered',
          waybill,
          milestone: 'delivered',
          at: new Date(Date.now() + 5000).toISOString(),
        }),
      ],
    });
    const delivered = await store().get(waybill);
    expect(delivered?.status).toBe('delivered');
    expect(delivered?.delay?.state).toBe('cleared');
    const statsAfter = await store().stats('acc-jinhe-grain');
    expect(statsAfter.delayedShipments).toBe(statsBefore.delayedShipments - 1);
    expect(statsAfter.inTransitShipments).toBe(statsBefore.inTransitShipments - 1);
  });
});

describe('delay handling by customer service', () => {
  it('acknowledges and clears a detected delay, and refuses one that is not open', async () => {
    const waybill = demoWaybill(0, 1);
    const s = await store().get(waybill);
    const late = new Date(Date.parse(s?.promisedAt ?? '') + 5 * 3_600_000).toISOString();
    await api('POST', '/tracking-events', {
      events: [
        event({
          eventId: 'ev-ack-1',
          waybill,
          carrierEta: late,
          at: new Date(Date.now() + 6000).toISOString(),
        }),
      ],
    });
    const ack = await api('POST', `/shipments/${waybill}/delay`, { action: 'acknowledge' });
    expect(ack.json.delay.state).toBe('acknowledged');
    const cleared = await api('POST', `/shipments/${waybill}/delay`, { action: 'clear' });
    expect(cleared.json.delay.state).toBe('cleared');
    const again = await api('POST', `/shipments/${waybill}/delay`, { action: 'clear' });
    expect(again.status).toBe(409);
    expect((await api('GET', '/accounts/acc-jinhe-grain/notifications')).json).toEqual({ items: [] });
  });
});

describe('stagnation watchdog and the SQS feed', () => {
  it('finds overdue shipments through the due index, announces once, and moves their next check on', async () => {
    const later = new Date(Date.now() + 13 * 3_600_000); // the demo's next milestone is due in 4 h
    const stagnant = await store().stagnant(later);
    expect(stagnant.length).toBeGreaterThan(0);
    expect(stagnant.every((s) => s.status !== 'delivered')).toBe(true);
    // An on-schedule shipment nobody scanned: stagnation alone makes it a minor delay.
    const target = stagnant.find(
      (s) => (!s.delay || s.delay.state === 'cleared') && s.status === 'in-transit' && s.eta <= s.promisedAt,
    );
    expect(target).toBeDefined();
    expect(await store().checkStagnation(target?.waybill ?? '', later)).toBe('minor');
    expect(await store().checkStagnation(target?.waybill ?? '', later)).toBeUndefined();
    expect((await store().stagnant(later)).map((s) => s.waybill)).not.toContain(target?.waybill);
    expect((await store().get(target?.waybill ?? ''))?.delay).toMatchObject({
      trigger: 'stagnation',
      state: 'detected',
    });
  });

  it('ingests SQS messages; a message not JSON, or with a rejected event, goes back to the queue (then the feed DLQ)', async () => {
    const { handler } = await import('#functions/tracking-feed/handler.ts');
    const res = await handler(
      {
        Records: [
          sqsRecord(
            'm1',
            JSON.stringify({
              events: [
                event({
                  eventId: 'sqs-1',
                  waybill: demoWaybill(2, 0),
                  accountId: 'acc-unimax-consumer',
                  at: new Date(Date.now() + 7000).toISOString(),
                }),
              ],
            }),
          ),
          sqsRecord('m2', 'not json'),
          sqsRecord('m3', JSON.stringify(event({ eventId: 'sqs-2', waybill: 'BAD' }))),
        ],
      } as never,
      { awsRequestId: 'r', functionName: 'feed', getRemainingTimeInMillis: () => 10_000 } as never,
    );
    // Nothing is dropped: what cannot be applied is kept for an operator (the feed's DLQ and alarm).
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect((await store().get(demoWaybill(2, 0)))?.milestones.at(-1)?.location).toBe('济南转运中心');
  });
});

describe('transport tracking report', () => {
  it('lists an account’s in-transit shipments, and only the late ones with delayed=true', async () => {
    const all = await api('GET', '/accounts/acc-kangtai-pharma/shipments');
    expect(all.status).toBe(200);
    expect(all.json.items).toHaveLength(3);
    for (const s of all.json.items) {
      expect(s.accountId).toBe('acc-kangtai-pharma');
      expect(s.status).not.toBe('delivered');
    }
    const promises = all.json.items.map((s: { promisedAt: string }) => s.promisedAt);
    expect(promises).toEqual([...promises].sort());
    const late = await api('GET', '/accounts/acc-kangtai-pharma/shipments?delayed=true');
    expect(late.json.items.length).toBeGreaterThan(0);
    expect(late.json.items.length).toBeLessThan(3);
    expect(JSON.stringify(late.json.items)).toContain('vehicle-breakdown');
    expect((await api('GET', '/accounts/acc-nobody/shipments')).status).toBe(404);
    const bad = await api('GET', '/accounts/acc-kangtai-pharma/shipments?delayed=maybe');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('delayed');
  });

  it('answers CSV of the in-transit shipments, delayed first, and emails the contacts who opted in', async () => {
    // Read the raw reply through the API Gateway adapter: the body is CSV, not JSON.
    const { invokeHttp } = await import('#local/api-gateway.ts');
    const { handler } = await import('#functions/tracking/handler.ts');
    const raw = await invokeHttp(handler, Object.values(trackingRoutes), {
      method: 'GET',
      url: '/accounts/acc-kangtai-pharma/tracking-report',
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = raw.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'waybill,origin,destination,status,last_milestone,last_location,last_scan_at,eta,promised_at,delayed,minutes_late,delay_reason,delay_state,service_line,service_priority,remedy',
    );
    expect(lines).toHaveLength(1 + 3);
    expect(lines[1]).toContain(',true,');
    expect(lines[1]).toContain('vehicle-breakdown');
    // After the late one, by the line's order service priority: the vaccines (rank 1) first.
    const priorities = lines.slice(2).map((l) => l.split(',')[14]);
    expect(priorities).toEqual([...priorities].sort());
    const { sendDailyReports } = await import('#shared/shipments/report.ts');
    const { OutboxEmailSender } = await import('#local/adapters.ts');
    const { Accounts } = await import('#shared/accounts/service.ts');
    const { Claims } = await import('#shared/platform/dynamo/claim.ts');
    const { NotificationRepo } = await import('#shared/notify/repo.ts');
    const outbox = new OutboxEmailSender();
    const run = await sendDailyReports({
      accounts: new Accounts(db(), TABLE_NAME()),
      shipments: store(),
      email: outbox,
      claims: new Claims(db(), TABLE_NAME()),
      notifications: new NotificationRepo(db(), TABLE_NAME()),
    });
    expect(run).toEqual({ sent: 2, already: 0, refused: 0, failed: 0 });
    expect(outbox.sent.map((m) => m.to).sort()).toEqual([
      'lukas.mueller@alpina-choc.example.com',
      'zhao.min@jinhe-grain.example.cn',
    ]);
    expect(outbox.sent.find((m) => m.to.startsWith('lukas'))?.subject).toMatch(
      /^Transport tracking report: \d+ in transit/,
    );
  });
});

describe('the daily report, each recipient once a day', () => {
  it('skips an address SES refuses without stopping the run, and a retried run sends only what failed', async () => {
    const { sendDailyReports } = await import('#shared/shipments/report.ts');
    const { Accounts } = await import('#shared/accounts/service.ts');
    const { Claims } = await import('#shared/platform/dynamo/claim.ts');
    const { SesEmailSender } = await import('#shared/notify/senders.ts');
    const { NotificationRepo } = await import('#shared/notify/repo.ts');
    const ses = mockClient(SESv2Client);
    try {
      const ZHAO = 'zhao.min@jinhe-grain.example.cn';
      const LUKAS = 'lukas.mueller@alpina-choc.example.com';
      // Zhao's address bounced before (SES suppression list); Lukas's first send is throttled.
      ses
        .on(GetSuppressedDestinationCommand)
        .rejects(new NotFoundException({ message: 'not on the suppression list', $metadata: {} }))
        .on(GetSuppressedDestinationCommand, { EmailAddress: ZHAO })
        .resolves({
          SuppressedDestination: { EmailAddress: ZHAO, Reason: 'BOUNCE', LastUpdateTime: new Date() },
        });
      ses
        .on(SendEmailCommand)
        .rejectsOnce(
          Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' }),
        )
        .resolves({ MessageId: 'ses-1' });
      const accounts = new Accounts(db(), TABLE_NAME());
      const claims = new Claims(db(), TABLE_NAME());
      const email = new SesEmailSender(new SESv2Client({}), 'alerts@keyline.example.cn');
      // 07:00 in Shanghai, a day no other test sends on.
      const at = new Date('2030-01-14T23:00:00Z');
      const notifications = new NotificationRepo(db(), TABLE_NAME());
      const run = () => sendDailyReports({ accounts, shipments: store(), email, claims, notifications }, at);
      // The SES commands since the last look (the history is kept: the once-only rejection counts calls).
      let seen = 0;
      const calls = () => {
        const all = ses.calls().map((c) => {
          const input = c.args[0].input as {
            EmailAddress?: string;
            Destination?: { ToAddresses?: string[] };
          };
          return `${c.args[0].constructor.name} ${input.EmailAddress ?? input.Destination?.ToAddresses?.join(',')}`;
        });
        const out = all.slice(seen);
        seen = all.length;
        return out.sort();
      };

      expect(await run()).toEqual({ sent: 0, already: 0, refused: 1, failed: 1 });
      expect(calls()).toEqual([
        `GetSuppressedDestinationCommand ${LUKAS}`,
        `GetSuppressedDestinationCommand ${ZHAO}`,
        `SendEmailCommand ${LUKAS}`,
      ]);
      // The schedule's retry: Zhao is not asked about again today, Lukas gets his report.
      expect(await run()).toEqual({ sent: 1, already: 1, refused: 0, failed: 0 });
      expect(calls()).toEqual([`GetSuppressedDestinationCommand ${LUKAS}`, `SendEmailCommand ${LUKAS}`]);
      // Another retry the same day sends nothing.
      expect(await run()).toEqual({ sent: 0, already: 2, refused: 0, failed: 0 });
      expect(calls()).toEqual([]);
      // What the claims remember: Zhao's refusal, Lukas's send.
      const jinhe = await accounts.get('acc-jinhe-grain');
      const zhao = jinhe?.contacts.find((c) => c.email === ZHAO);
      expect(
        await claims.read(keys.claim.dailyReport('acc-jinhe-grain', zhao?.id ?? '', '2030-01-15')),
      ).toEqual({
        state: 'done',
        data: { refused: 'bad-destination' },
      });
      // What the agent's card shows: each outcome once, on the day's lines of each account's log.
      const reportLines = async (accountId: string) =>
        (await notifications.list(accountId))
          .filter((r) => r.kind === 'daily-report' && r.at === at.toISOString())
          .map((r) => `${r.recipient} ${r.status}`)
          .reverse();
      expect(await reportLines('acc-jinhe-grain')).toEqual([`${ZHAO} undeliverable`]);
      expect(await reportLines('acc-alpina-chocolate')).toEqual([`${LUKAS} failed`, `${LUKAS} sent`]);
    } finally {
      ses.restore();
    }
  });
});

describe('the tracking report e-mail', () => {
  it('keeps quoted commas in one cell and escapes every cell in the HTML, headers in the reader’s language', async () => {
    const { trackingReportCsv, trackingReportHtml, trackingReportRows } = await import(
      '#shared/shipments/report.ts'
    );
    const { parse } = await import('csv-parse/sync');
    const base = await store().get(demoWaybill(0, 2));
    const odd = {
      ...(base as NonNullable<typeof base>),
      origin: 'Tianjin, Port "A" <East>',
      destination: '郑州, 仓库 & 2 号库',
    };
    const now = new Date('2026-11-24T02:00:00Z');
    const rows = parse(trackingReportCsv([odd], now), { bom: true }) as string[][];
    expect(rows[1]?.slice(1, 3)).toEqual(['Tianjin, Port "A" <East>', '郑州, 仓库 & 2 号库']);
    const zh = trackingReportHtml('报表 <测试>', trackingReportRows([odd], now), 'zh-CN');
    expect(zh).toContain('<td>Tianjin, Port &quot;A&quot; &lt;East&gt;</td>');
    expect(zh).toContain('<td>郑州, 仓库 &amp; 2 号库</td>');
    expect(zh).toContain('<h2>报表 &lt;测试&gt;</h2>');
    expect(zh).toContain('<th>运单号</th>');
    expect(trackingReportHtml('R', [], 'en')).toContain('<th>Waybill</th>');
  });
});

describe('local tracking-feed simulator', () => {
  it('moves on-schedule shipments to their next milestone through the ingestion', async () => {
    const { tickTrackingFeed } = await import('#local/tracking-simulator.ts');
    const { Accounts } = await import('#shared/accounts/service.ts');
    const report = await tickTrackingFeed(
      new Accounts(db(), TABLE_NAME()),
      store(),
      3,
      new Date(Date.now() + 3_600_000),
    );
    expect(report?.applied).toBe(3);
    expect(report?.rejected).toEqual([]);
  });
});

describe('bulk creation of shipments (the demo loader’s path)', () => {
  it('moves each account counter by the sum, leaves existing shipments alone, and creates only the new', async () => {
    const s = store();
    const now = new Date();
    const a = 'acc-bulk-test';
    const shipments = demoShipments(now)
      .filter((x) => x.accountId === 'acc-jinhe-grain')
      .map((x, i) => ({ ...x, accountId: a, waybill: `BULK${String(i).padStart(6, '0')}` }));
    const first = shipments.slice(0, 5);
    expect(await s.createMany(first, now)).toBe(5);
    // Again with every one: the five that exist are kept as they are, the rest created.
    expect(await s.createMany(shipments, now)).toBe(shipments.length - 5);
    expect(await s.createMany(shipments, now)).toBe(0);
    const open = shipments.filter((x) => x.status !== 'delivered');
    expect(open.length).toBeGreaterThan(0);
    expect(await s.stats(a)).toMatchObject({
      inTransitShipments: open.length,
      delayedShipments: open.filter((x) => isOpenAndDelayed(x, now)).length,
    });
    expect((await s.listByAccount(a, 'open')).map((x) => x.waybill).sort()).toEqual(
      open.map((x) => x.waybill).sort(),
    );
  });
});
