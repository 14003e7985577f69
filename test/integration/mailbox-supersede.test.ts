/**
 * One shipment, one message: alerts of one shipment that pile up in a mailbox (quiet hours, a
 * delay announced again, events delivered out of order) are merged at the moment of sending.
 * Against DynamoDB Local (this file's own table); senders are the local outboxes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { type NotifierDeps, notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { label } from '#shared/platform/messages/labels.ts';
import { delayDetected } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();

beforeAll(async () => {
  await loadDemo();
});

/** Tuesday 23:30 in Shanghai: inside the default 22:00–08:00 quiet hours. */
const NIGHT = new Date('2026-11-24T15:30:00Z');
/** Wednesday 08:00:30 in Shanghai. */
const MORNING = new Date('2026-11-25T00:00:30Z');
const fresh = (): NotifierDeps & { sms: OutboxSmsSender; email: OutboxEmailSender } => ({
  accounts: new Accounts(db, TABLE_NAME()),
  notifications: new NotificationRepo(db, TABLE_NAME()),
  sms: new OutboxSmsSender(),
  email: new OutboxEmailSender(),
});
const ZHAO = '+8613910012001'; // 金禾 赵敏: major → SMS, quiet hours 22:00–08:00 Shanghai

/** What became of each alert for a waybill to 赵敏's phone, oldest line first: [severity, status]. */
async function fates(d: NotifierDeps, waybill: string) {
  const log = await d.notifications.list('acc-jinhe-grain', 200);
  return log
    .filter((r) => r.recipient === ZHAO && r.waybill === waybill)
    .reverse()
    .map((r) => [r.severity, r.status]);
}

describe('alerts of one shipment held in a mailbox', () => {
  it('a major alert held for quiet hours is not sent in the morning after the critical one for the same shipment went out', async () => {
    const d = fresh();
    const waybill = '7100000901';
    const major = delayDetected({ waybill, severity: 'major', createdAt: NIGHT.toISOString() });
    const deferred = await notifyDelay(d, major, NIGHT);
    expect(deferred.filter((r) => r.recipient === ZHAO).map((r) => r.status)).toEqual(['deferred']);
    // Half an hour later the same shipment is critical: it goes out at once, quiet hours or not.
    const later = new Date(NIGHT.getTime() + 30 * 60_000);
    const critical = delayDetected({ waybill, severity: 'critical', createdAt: later.toISOString() });
    await notifyDelay(d, critical, later);
    expect(d.sms.sent.filter((m) => m.to === ZHAO && m.text.includes(waybill))).toHaveLength(1);
    // 08:00: the stale, less severe alert (its facts from 23:30) must not follow the critical one.
    await sendDue(d, MORNING);
    expect(d.sms.sent.filter((m) => m.to === ZHAO && m.text.includes(waybill))).toHaveLength(1);
    // The desktop's log says what became of each: the major one covered by the critical one.
    expect(await fates(d, waybill)).toEqual([
      ['major', 'deferred'],
      ['major', 'superseded'],
      ['critical', 'sent'],
    ]);
  });

  it('an older announcement delivered after a newer one went out (SQS does not keep order) is not sent', async () => {
    const d = fresh();
    const waybill = '7100000905';
    const later = new Date(NIGHT.getTime() + 30 * 60_000);
    await notifyDelay(
      d,
      delayDetected({ waybill, severity: 'critical', createdAt: later.toISOString() }),
      later,
    );
    const late = new Date(later.getTime() + 5 * 60_000);
    const stale = await notifyDelay(
      d,
      delayDetected({ waybill, severity: 'major', createdAt: NIGHT.toISOString() }),
      late,
    );
    expect(stale.filter((r) => r.recipient === ZHAO).map((r) => r.status)).toEqual(['superseded']);
    await sendDue(d, MORNING);
    expect(d.sms.sent.filter((m) => m.to === ZHAO && m.text.includes(waybill))).toHaveLength(1);
  });

  it('two announcements of one shipment waiting through the night go out as one message in the morning, not two', async () => {
    const d = fresh();
    const waybill = '7100000902';
    // 23:30 a major delay; cleared by a scan at 00:00; detected again at 00:30 (a new episode).
    await notifyDelay(
      d,
      delayDetected({ waybill, severity: 'major', createdAt: NIGHT.toISOString() }),
      NIGHT,
    );
    const again = new Date(NIGHT.getTime() + 60 * 60_000);
    await notifyDelay(
      d,
      delayDetected({
        waybill,
        severity: 'major',
        reason: 'vehicle-breakdown',
        createdAt: again.toISOString(),
      }),
      again,
    );
    expect(d.sms.sent.filter((m) => m.to === ZHAO)).toHaveLength(0);
    await sendDue(d, MORNING);
    // At sending time both say the same thing about the same shipment: the client should hear it once.
    const sms = d.sms.sent.filter((m) => m.to === ZHAO && m.text.includes(waybill));
    expect(sms).toHaveLength(1);
    // With the newest announcement's facts.
    expect(sms[0]?.text).toContain(label('reason', 'vehicle-breakdown', 'zh-CN'));
    expect(await fates(d, waybill)).toEqual([
      ['major', 'deferred'],
      ['major', 'deferred'],
      ['major', 'superseded'],
      ['major', 'sent'],
    ]);
  });

  it('a digest counts a shipment announced twice once, and the stale announcement is not in it', async () => {
    const d = { ...fresh(), digestThreshold: 3 };
    const SONG = '+8613047101801'; // 天源乳业 宋雷: SMS and email, quiet hours 22:00–08:00 Shanghai
    const accountId = 'acc-tianyuan-dairy';
    const waybills = ['7100009951', '7100009952', '7100009953', '7100009954'];
    for (const waybill of waybills)
      await notifyDelay(
        d,
        delayDetected({ waybill, accountId, tier: 'high-growth', createdAt: NIGHT.toISOString() }),
        NIGHT,
      );
    const again = new Date(NIGHT.getTime() + 60 * 60_000);
    await notifyDelay(
      d,
      delayDetected({
        waybill: '7100009951',
        accountId,
        tier: 'high-growth',
        createdAt: again.toISOString(),
      }),
      again,
    );
    await sendDue(d, MORNING);
    const sms = d.sms.sent.filter((m) => m.to === SONG);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.text).toContain('4票货物');
    const log = (await d.notifications.list(accountId, 200)).filter(
      (r) => r.recipient === SONG && r.waybill === '7100009951',
    );
    expect(log.map((r) => r.status).sort()).toEqual(['deferred', 'deferred', 'in-digest', 'superseded']);
  });
});
