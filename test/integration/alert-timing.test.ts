import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { type NotifierDeps, notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { delayDetected, delayedShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

/**
 * What is true of an alert at the moment it goes out, not when it was queued: whose it is (an
 * address shared by several accounts), whether its delay is still on, and whether the address is
 * waiting for a retry.
 */
const db = createDocumentClient();
beforeAll(async () => {
  await loadDemo();
});

const fresh = () => ({
  accounts: new Accounts(db, TABLE_NAME()),
  notifications: new NotificationRepo(db, TABLE_NAME()),
  sms: new OutboxSmsSender(),
  email: new OutboxEmailSender(),
});

const delay = delayDetected;

/** Tuesday 23:30 in Shanghai, and the next morning just after quiet hours. */
const NIGHT = new Date('2026-11-24T15:30:00Z');
const MORNING = new Date('2026-11-25T00:00:30Z');
const minutesAfter = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);

describe('an alert is judged when it goes out', () => {
  it('an address on several accounts gets each account’s alerts under that account, on that account’s log', async () => {
    const d = fresh();
    const desk = 'ops@haichuan-fwd.example.cn';
    const cuile = await d.accounts.require('acc-cuile-snacks');
    const huacai = await d.accounts.require('acc-huacai-paints');
    expect(
      cuile.contacts.some((c) => c.email === desk) && huacai.contacts.some((c) => c.email === desk),
    ).toBe(true);
    // Minor delays go by e-mail; at night both wait in the desk's one mailbox.
    const at = [NIGHT, minutesAfter(NIGHT, 1)];
    await notifyDelay(
      d,
      delay({
        waybill: '7200000001',
        accountId: cuile.id,
        severity: 'minor',
        createdAt: NIGHT.toISOString(),
      }),
      at[0],
    );
    await notifyDelay(
      d,
      delay({
        waybill: '7200000002',
        accountId: huacai.id,
        severity: 'minor',
        createdAt: NIGHT.toISOString(),
      }),
      at[1],
    );
    expect(d.email.sent.filter((m) => m.to === desk)).toEqual([]);
    await sendDue(d, MORNING);
    const subjects = d.email.sent.filter((m) => m.to === desk).map((m) => m.subject);
    expect(subjects.find((s) => s.includes('7200000001'))).toContain(cuile.name);
    expect(subjects.find((s) => s.includes('7200000002'))).toContain(huacai.name);
    const lines = async (accountId: string) =>
      (await d.notifications.list(accountId, 200))
        .filter((r) => r.recipient === desk)
        .map((r) => `${r.waybill} ${r.status}`)
        .sort();
    // Neither client's log shows the other's shipment.
    expect(await lines(cuile.id)).toEqual(['7200000001 deferred', '7200000001 sent']);
    expect(await lines(huacai.id)).toEqual(['7200000002 deferred', '7200000002 sent']);
  });

  it('two accounts’ bursts at one shared address: each goes as its own digest in the morning, neither says "more"', async () => {
    const d = fresh();
    const desk = 'ops@haichuan-fwd.example.cn';
    const night = minutesAfter(NIGHT, 24 * 60);
    const morning = minutesAfter(MORNING, 24 * 60);
    for (const [k, accountId] of ['acc-cuile-snacks', 'acc-huacai-paints'].entries())
      for (let i = 0; i < 6; i++) {
        const at = new Date(night.getTime() + (k * 6 + i) * 1000);
        const waybill = `73000${k}000${i}`;
        await notifyDelay(
          d,
          delay({ waybill, accountId, severity: 'minor', createdAt: at.toISOString() }),
          at,
        );
      }
    await sendDue(d, morning);
    const digests = d.email.sent.filter((m) => m.to === desk);
    expect(digests).toHaveLength(2);
    for (const accountId of ['acc-cuile-snacks', 'acc-huacai-paints']) {
      const log = await d.notifications.list(accountId, 200);
      expect(log.find((r) => r.recipient === desk && r.status === 'digest-sent')?.at).toBe(
        morning.toISOString(),
      );
      const text = digests.find((m) => m.text.includes(accountId))?.text ?? '';
      expect(text).toMatch(/^您有 6 票货物/);
    }
  });

  it('an alert stored before alerts named their account goes out under its event’s account', async () => {
    const d = fresh();
    const desk = 'ops@haichuan-fwd.example.cn';
    const night = minutesAfter(NIGHT, 2 * 24 * 60);
    const huacai = await d.accounts.require('acc-huacai-paints');
    const huacaiDesk = huacai.contacts.find((c) => c.email === desk);
    const waybill = '7400000001';
    await notifyDelay(
      d,
      delay({ waybill, accountId: 'acc-cuile-snacks', severity: 'minor', createdAt: night.toISOString() }),
      night,
    );
    // As the previous release stored it: the alert names no account, and the head names the
    // mailbox's last enqueuer, another account.
    const pk = `MAILBOX#email#${desk}`;
    const items =
      (
        await db.send(
          new QueryCommand({
            TableName: TABLE_NAME(),
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
            ExpressionAttributeValues: { ':pk': pk, ':a': 'ALERT#' },
          }),
        )
      ).Items ?? [];
    for (const i of items)
      await db.send(
        new UpdateCommand({
          TableName: TABLE_NAME(),
          Key: { pk, sk: i.sk },
          UpdateExpression: 'REMOVE accountId, contactId',
        }),
      );
    await db.send(
      new UpdateCommand({
        TableName: TABLE_NAME(),
        Key: { pk, sk: 'HEAD' },
        UpdateExpression: 'SET accountId = :a, contactId = :c',
        ExpressionAttributeValues: { ':a': huacai.id, ':c': huacaiDesk?.id },
      }),
    );
    await sendDue(d, minutesAfter(MORNING, 2 * 24 * 60));
    const subject = d.email.sent.find((m) => m.to === desk && m.subject.includes(waybill))?.subject;
    expect(subject).toContain('脆乐食品');
    expect((await d.notifications.list(huacai.id, 200)).filter((r) => r.waybill === waybill)).toEqual([]);
    const cuile = await d.notifications.list('acc-cuile-snacks', 200);
    expect(cuile.filter((r) => r.waybill === waybill).map((r) => r.status)).toContain('sent');
  });

  it('a burst reads each mailbox a few times, not once per alert, and still goes out as one digest', async () => {
    const counted = createDocumentClient();
    const loads = new Map<string, number>();
    counted.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as {
          KeyConditionExpression?: string;
          ExpressionAttributeValues?: Record<string, unknown>;
        };
        const value = input.ExpressionAttributeValues?.[':pk'] as string | { S?: string } | undefined;
        const pk = (typeof value === 'string' ? value : value?.S) ?? '';
        if (input.KeyConditionExpression && pk.startsWith('MAILBOX#'))
          loads.set(pk, (loads.get(pk) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countMailboxLoads' },
    );
    const d = { ...fresh(), notifications: new NotificationRepo(counted, TABLE_NAME()), digestThreshold: 3 };
    const t = new Date('2026-11-27T03:00:00Z');
    for (let i = 0; i < 40; i++)
      await notifyDelay(
        d,
        delay({
          waybill: `75000${String(i).padStart(5, '0')}`,
          accountId: 'acc-tianyuan-dairy',
          tier: 'high-growth',
        }),
        t,
      );
    expect(loads.size).toBeGreaterThan(0);
    for (const [pk, n] of loads) expect({ pk, n: n <= 10 }).toEqual({ pk, n: true });
    await sendDue(d, new Date(t.getTime() + 3 * 60_000));
    const digests = d.sms.sent.filter(
      (m) => m.to === '+8613047101801' && m.text.startsWith('【运输延误汇总】'),
    );
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain('37票货物');
  });

  it('a delay cleared overnight is not announced in the morning, and the log says why', async () => {
    const shipments = new Shipments(db, TABLE_NAME());
    const now = NIGHT.toISOString();
    await shipments.create(delayedShipment('7200000200', NIGHT), NIGHT);
    const d = { ...fresh(), shipments };
    const night = await notifyDelay(d, delay({ waybill: '7200000200', createdAt: now }), NIGHT);
    expect(night.filter((r) => r.status === 'deferred').length).toBeGreaterThan(0);
    // 03:00 in Shanghai the delay is cleared (back on schedule).
    await shipments.updateDelay('7200000200', { action: 'clear' }, new Date('2026-11-24T19:00:00Z'));
    await sendDue(d, MORNING);
    const about = [...d.sms.sent.map((m) => m.text), ...d.email.sent.map((m) => m.subject)];
    expect(about.filter((t) => t.includes('7200000200'))).toEqual([]);
    const log = (await d.notifications.list('acc-jinhe-grain', 200)).filter(
      (r) => r.waybill === '7200000200',
    );
    const deferred = log.filter((r) => r.status === 'deferred').length;
    expect(log.filter((r) => r.status === 'skipped-delay-over')).toHaveLength(deferred);
    // Nothing is left waiting for it.
    expect((await sendDue(d, minutesAfter(MORNING, 60))).sent).toBe(0);
  });

  it('an alert that takes over a retry from one whose delay ended gets its own attempts', async () => {
    const shipments = new Shipments(db, TABLE_NAME());
    const dead: string[] = [];
    const d: NotifierDeps & { sms: OutboxSmsSender } = {
      ...fresh(),
      shipments,
      policy: { maxAttempts: 3, baseBackoffSeconds: 60 },
      random: () => 0.5,
      onDeadLetter: (records) => dead.push(...records.map((r) => `${r.channel} ${r.waybill}`)),
    };
    // Midday in Shanghai, a day after the other tests' alerts.
    const t = new Date('2026-11-27T05:00:00Z');
    const later = (s: number) => new Date(t.getTime() + s * 1000);
    await shipments.create(delayedShipment('7200000300', t), t);
    await shipments.create(delayedShipment('7200000301', t), t);
    d.sms.failNext = 100;
    const first = await notifyDelay(d, delay({ waybill: '7200000300', createdAt: t.toISOString() }), t);
    const number = first.find((r) => r.channel === 'sms' && r.status === 'retrying')?.recipient;
    expect(number).toBeDefined();
    await sendDue(d, later(61));
    // The second alert arrives while the address waits; the first one's delay then ends.
    const second = await notifyDelay(
      d,
      delay({ waybill: '7200000301', createdAt: later(90).toISOString() }),
      later(90),
    );
    expect(second.find((r) => r.recipient === number)?.status).toBe('deferred');
    await shipments.updateDelay('7200000300', { action: 'clear' }, later(100));
    await sendDue(d, later(190));
    const log = (await d.notifications.list('acc-jinhe-grain', 200)).filter((r) => r.recipient === number);
    const of = (waybill: string) =>
      log.filter((r) => r.waybill === waybill).map((r) => `${r.status} ${r.detail ?? ''}`.trim());
    expect(of('7200000300').sort()).toEqual([
      expect.stringMatching(/^retrying attempt 1 of 3 failed/),
      expect.stringMatching(/^retrying attempt 2 of 3 failed/),
      'skipped-delay-over the delay was over when it was time to send',
    ]);
    // The second alert failed once, its first try: it is retried, not given up with the first's count.
    expect(of('7200000301')).toContainEqual(expect.stringMatching(/^retrying attempt 1 of 3 failed/));
    expect(dead).toEqual([]);
    // SMS is back by its retry (the address's third failure in a row: four minutes on).
    d.sms.failNext = 0;
    expect((await sendDue(d, later(190 + 241))).sent).toBeGreaterThan(0);
    expect(d.sms.sent.filter((m) => m.to === number).map((m) => m.text)).toEqual([
      expect.stringContaining('7200000301'),
    ]);
  });

  it('alerts arriving during an outage wait for the address’s retry instead of spending its attempts', async () => {
    const dead: string[] = [];
    const d: NotifierDeps & { sms: OutboxSmsSender } = {
      ...fresh(),
      policy: { maxAttempts: 3, baseBackoffSeconds: 60 },
      random: () => 0.5,
      onDeadLetter: (records) => dead.push(...records.map((r) => `${r.recipient} ${r.waybill}`)),
    };
    d.sms.failNext = 100;
    const t = new Date('2026-11-26T03:00:00Z');
    const number = '+8613311009001';
    for (let i = 0; i < 3; i++) {
      const at = new Date(t.getTime() + i * 5_000);
      await notifyDelay(
        d,
        delay({ waybill: `720000010${i}`, accountId: 'acc-kangtai-pharma', createdAt: at.toISOString() }),
        at,
      );
    }
    expect(dead).toEqual([]);
    const log = (await d.notifications.list('acc-kangtai-pharma', 200)).filter((r) => r.recipient === number);
    // One attempt so far; the two later alerts wait for its retry a minute after it.
    expect(log.filter((r) => r.status === 'retrying').map((r) => r.waybill)).toEqual(['7200000100']);
    const waiting = log.filter((r) => r.status === 'deferred');
    expect(waiting.map((r) => r.waybill).sort()).toEqual(['7200000101', '7200000102']);
    expect(new Set(waiting.map((r) => r.sendAt))).toEqual(new Set([minutesAfter(t, 1).toISOString()]));
    // Still nothing due before the retry; SMS is back by then, and everything goes out.
    expect((await sendDue(d, new Date(t.getTime() + 30_000))).sent).toBe(0);
    d.sms.failNext = 0;
    await sendDue(d, minutesAfter(t, 2));
    const texts = d.sms.sent.filter((m) => m.to === number).map((m) => m.text);
    for (const w of ['7200000100', '7200000101', '7200000102'])
      expect(texts.some((x) => x.includes(w))).toBe(true);
    expect(dead).toEqual([]);
  });
});
