import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalTopic, OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { notifyDelay, sendDeferred } from '#shared/notify/notifier.ts';
import { PROACTIVE_CAMPAIGN, proactiveCall } from '#shared/notify/proactive-call.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { delaySms, smsSegments } from '#shared/notify/templates.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { drainOutbox } from '#shared/platform/dynamo/outbox.ts';
import type { DelayDetected } from '#shared/shipments/delay.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { loadDemo } from '../support/demo.ts';
import { sqsRecord, streamInsert } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
let deps: {
  accounts: Accounts;
  notifications: NotificationRepo;
  sms: OutboxSmsSender;
  email: OutboxEmailSender;
};

beforeAll(async () => {
  await loadDemo();
});
afterEach(() => {
  sns.reset();
  ses.reset();
});

const fresh = () => {
  deps = {
    accounts: new Accounts(db, TABLE_NAME()),
    notifications: new NotificationRepo(db, TABLE_NAME()),
    sms: new OutboxSmsSender(),
    email: new OutboxEmailSender(),
  };
  return deps;
};

const delay = (o: Partial<DelayDetected> = {}): DelayDetected => ({
  type: 'DelayDetected',
  waybill: '7100000000',
  accountId: 'acc-jinhe-grain',
  tier: 'key',
  severity: 'major',
  trigger: 'exception',
  reason: 'weather',
  minutesLate: 1800,
  eta: '2026-11-25T07:00:00.000Z',
  location: 'G4 京港澳高速 信阳段',
  createdAt: '2026-11-24T02:00:00.000Z',
  ...o,
});

/** Tuesday 10:00 in Shanghai: nobody's quiet hours. */
const DAY = new Date('2026-11-24T02:00:00Z');
/** Tuesday 23:30 in Shanghai: inside the default 22:00–08:00 quiet hours. */
const NIGHT = new Date('2026-11-24T15:30:00Z');

describe('delay notifier against DynamoDB Local', () => {
  it('sends each consented contact their channels for the severity, once, however often SQS redelivers', async () => {
    const d = fresh();
    const first = await notifyDelay(d, delay(), DAY);
    const sent = first.filter((r) => r.status === 'sent');
    expect(sent.map((r) => `${r.channel}:${r.contactName}`).sort()).toEqual(
      ['email:刘洋', 'email:孙立伟', 'email:赵敏', 'sms:孙立伟', 'sms:赵敏'].sort(),
    );
    expect(d.sms.sent.map((s) => s.to).sort()).toEqual(['+8613910012001', '+8613910012002']);
    const again = await notifyDelay(d, delay(), DAY);
    expect(again.every((r) => r.status === 'suppressed-duplicate')).toBe(true);
    expect(d.sms.sent).toHaveLength(2);
    const log = await d.notifications.list('acc-jinhe-grain');
    expect(log.filter((r) => r.status === 'suppressed-duplicate')).toHaveLength(5);
  });

  it('defers non-critical alerts to the end of quiet hours, in the contact’s time zone, then sends them', async () => {
    const d = fresh();
    const records = await notifyDelay(
      d,
      delay({ waybill: '7100000001', severity: 'minor', accountId: 'acc-alpina-chocolate', tier: 'key' }),
      NIGHT,
    );
    // Shanghai contact (林佳) is asleep; Lukas in Zurich is at 16:30 and gets it now.
    const lin = records.filter((r) => r.contactName === '林佳');
    expect(lin.map((r) => r.status)).toEqual(['deferred']);
    expect(lin[0]?.sendAt).toBe('2026-11-25T00:00:00.000Z');
    expect(records.filter((r) => r.contactName === 'Lukas Müller').map((r) => r.status)).toEqual(['sent']);
    expect(await sendDeferred(d, new Date('2026-11-24T23:00:00Z'))).toBe(0);
    expect(await sendDeferred(d, new Date('2026-11-25T00:00:30Z'))).toBe(1);
    expect(await sendDeferred(d, new Date('2026-11-25T00:01:00Z'))).toBe(0);
  });

  it('sends critical alerts at once, even in quiet hours', async () => {
    const d = fresh();
    const records = await notifyDelay(d, delay({ waybill: '7100000002', severity: 'critical' }), NIGHT);
    expect(records.some((r) => r.status === 'deferred')).toBe(false);
    expect(records.filter((r) => r.status === 'sent').length).toBeGreaterThan(0);
  });

  it('moves the shipment’s delay from detected to notified once an alert went out, and only then', async () => {
    const shipments = new Shipments(db, TABLE_NAME());
    const now = DAY.toISOString();
    const make = (waybill: string) =>
      shipments.create(
        {
          waybill,
          accountId: 'acc-jinhe-grain',
          origin: '哈尔滨',
          destination: '郑州',
          consignee: { name: '郑州金禾粮油库' },
          promisedAt: '2026-11-24T00:00:00.000Z',
          eta: '2026-11-25T07:00:00.000Z',
          status: 'in-transit',
          milestones: [],
          tier: 'key',
          delay: {
            state: 'detected',
            severity: 'major',
            trigger: 'exception',
            minutesLate: 1860,
            detectedAt: now,
            announcedSeverity: 'major',
          },
          version: 1,
          updatedAt: now,
        },
        DAY,
      );
    await make('7100000090');
    await make('7100000091');
    const d = { ...fresh(), shipments };
    await notifyDelay(d, delay({ waybill: '7100000090' }), DAY);
    expect((await shipments.get('7100000090'))?.delay?.state).toBe('notified');
    // Quiet hours defer every alert: nothing went out, so the delay stays detected.
    const night = await notifyDelay(d, delay({ waybill: '7100000091' }), NIGHT);
    expect(night.every((r) => r.status === 'deferred' || r.status === 'opted-out')).toBe(true);
    expect((await shipments.get('7100000091'))?.delay?.state).toBe('detected');
  });

  it('records an opted-out number, does not retry it, and shows the failure', async () => {
    const d = fresh();
    d.sms.optedOut.add('+8613910012001');
    const first = await notifyDelay(d, delay({ waybill: '7100000003' }), DAY);
    expect(first.find((r) => r.recipient === '+8613910012001')).toMatchObject({ status: 'opted-out' });
    expect(await d.notifications.isOptedOut('+8613910012001')).toBe(true);
    const next = await notifyDelay(d, delay({ waybill: '7100000004' }), DAY);
    expect(next.find((r) => r.recipient === '+8613910012001')).toMatchObject({
      status: 'opted-out',
      detail: 'number opted out of SMS earlier',
    });
  });
});

describe('SMS and email through SNS and SES (mocked)', () => {
  it('publishes a transactional SMS with a sender id only where the country allows one', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const sender = new SnsSmsSender(new SNSClient({ region: 'cn-north-1' }), 'KEYLINE');
    await sender.send({ to: '+8613910012001', text: '运单延误' });
    await sender.send({ to: '+441234567890', text: 'Delay' });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({
      PhoneNumber: '+8613910012001',
      Message: '运单延误',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    expect(calls[1]?.MessageAttributes?.['AWS.SNS.SMS.SenderID']).toEqual({
      DataType: 'String',
      StringValue: 'KEYLINE',
    });
  });

  it('sends an HTML and text email through SES v2', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
    await new SesEmailSender(
      new SESv2Client({ region: 'cn-north-1' }),
      'alerts@keyline.example.cn',
      'keyline',
    ).send({ to: 'a@b.cn', subject: 'S', html: '<p>H</p>', text: 'T' });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'alerts@keyline.example.cn',
      Destination: { ToAddresses: ['a@b.cn'] },
      Content: {
        Simple: {
          Subject: { Data: 'S', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>H</p>', Charset: 'UTF-8' }, Text: { Data: 'T', Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: 'keyline',
    });
  });

  it('fits the Chinese delay SMS in one 70-character segment, and the English one in one GSM segment', () => {
    const facts = {
      waybill: '7100000000',
      accountName: '金禾',
      severity: 'major' as const,
      eta: '2026-11-25T07:00:00Z',
      reason: 'vehicle-breakdown',
      minutesLate: 600,
      timeZone: 'Asia/Shanghai',
    };
    const zh = delaySms(facts, 'zh-CN');
    const en = delaySms(facts, 'en');
    expect(zh.length).toBeLessThanOrEqual(70);
    expect(smsSegments(zh)).toBe(1);
    expect(smsSegments(en)).toBe(1);
    expect(smsSegments('延'.repeat(71))).toBe(2);
  });
});

describe('outbox and the proactive call', () => {
  it('publishes DelayDetected with its attributes and turns a key account’s critical delay into one proactive callback', async () => {
    const shipments = new Shipments(db, TABLE_NAME());
    const waybill = '7100100000';
    const s = await shipments.get(waybill);
    const worse = new Date(Date.parse(s?.promisedAt ?? '') + 40 * 3_600_000).toISOString();
    await shipments.applyEvent({
      eventId: 'ev-proactive',
      waybill,
      accountId: s?.accountId ?? '',
      milestone: 'exception',
      reason: 'accident',
      location: 'G15',
      at: new Date().toISOString(),
      carrierEta: worse,
    });
    const topic = new LocalTopic();
    expect(await drainOutbox(db, TABLE_NAME(), topic)).toBe(1);
    expect(await drainOutbox(db, TABLE_NAME(), topic)).toBe(0);
    const e = topic.events[0];
    expect(e?.attributes).toEqual({
      accountId: 'acc-alpina-chocolate',
      tier: 'key',
      severity: 'critical',
      segment: 'fmcg',
    });
    const campaigns = new Campaigns(db, TABLE_NAME());
    const hook = { db, tableName: TABLE_NAME(), campaigns, accounts: new Accounts(db, TABLE_NAME()) };
    const event = e?.payload as unknown as DelayDetected;
    const id = await proactiveCall(hook, event);
    expect(id).toBeDefined();
    expect(await proactiveCall(hook, event)).toBe(id);
    const callbacks = await campaigns.listCallbacks(PROACTIVE_CAMPAIGN);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({
      reason: 'delay-call',
      accountId: 'acc-alpina-chocolate',
      state: 'scheduled',
    });
    expect(await proactiveCall(hook, { ...event, tier: 'loyal' })).toBeUndefined();
  });
});

describe('notifier Lambda (SQS, partial batch failures) and the outbox stream publisher', () => {
  it('sends through SNS and SES and reports only the failed records', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sms-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'email-1' });
    process.env.SES_FROM = 'alerts@keyline.example.cn';
    const { handler } = await import('#functions/notifier/handler.ts');
    const res = await handler(
      {
        Records: [
          sqsRecord(
            'm-ok',
            JSON.stringify(
              delay({ waybill: '7100000008', severity: 'critical', accountId: 'acc-kangtai-pharma' }),
            ),
          ),
          sqsRecord('m-bad', '{not json'),
        ],
      } as never,
      { awsRequestId: 'r', functionName: 'notifier', getRemainingTimeInMillis: () => 10_000 } as never,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    const smsCalls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(smsCalls.map((c) => c.PhoneNumber).sort()).toEqual(['+8613311009001', '+8613311009002']);
    expect(smsCalls[0]?.MessageAttributes?.['AWS.SNS.SMS.SMSType']).toEqual({
      DataType: 'String',
      StringValue: 'Transactional',
    });
    expect(String(smsCalls[0]?.Message)).toContain('7100000008');
    const mail = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(mail.every((m) => m.FromEmailAddress === 'alerts@keyline.example.cn')).toBe(true);
    expect(mail[0]?.Content?.Simple?.Subject?.Data).toContain('7100000008');
  });

  it('publishes an outbox item from the table stream to SNS, then removes it', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'delay-1' });
    process.env.DELAY_TOPIC_ARN = 'arn:aws:sns:cn-north-1:123456789012:keyline-delays';
    const { handler } = await import('#functions/delay-publisher/handler.ts');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { outboxPut } = await import('#shared/platform/dynamo/outbox.ts');
    const { transactWrite } = await import('#shared/platform/dynamo/transact.ts');
    const payload = { ...delay({ waybill: '7100000009' }), segment: 'fmcg' };
    const put = outboxPut(
      TABLE_NAME(),
      '7100000009#major',
      {
        type: 'DelayDetected',
        subject: 'Delay major: waybill 7100000009',
        payload,
        attributes: { accountId: 'acc-jinhe-grain', tier: 'key', severity: 'major', segment: 'fmcg' },
      },
      DAY,
    );
    await transactWrite(db, [put]);
    const item = put.Put?.Item ?? {};
    const other = { pk: 'ACCOUNT#acc-jinhe-grain', sk: 'PROFILE', entity: 'Account' };
    const res = await handler(
      { Records: [streamInsert(item, '1'), streamInsert(other, '2')] } as never,
      { awsRequestId: 'r', functionName: 'publisher', getRemainingTimeInMillis: () => 10_000 } as never,
    );
    expect(res).toEqual({ batchItemFailures: [] });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      TopicArn: 'arn:aws:sns:cn-north-1:123456789012:keyline-delays',
      Subject: 'Delay major: waybill 7100000009',
      Message: JSON.stringify(payload),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'DelayDetected' },
        accountId: { DataType: 'String', StringValue: 'acc-jinhe-grain' },
        tier: { DataType: 'String', StringValue: 'key' },
        severity: { DataType: 'String', StringValue: 'major' },
        segment: { DataType: 'String', StringValue: 'fmcg' },
      },
    });
    expect(
      (await db.send(new GetCommand({ TableName: TABLE_NAME(), Key: { pk: item.pk, sk: item.sk } }))).Item,
    ).toBeUndefined();
  });
});

describe('digest', () => {
  it('sends each contact one digest instead of dozens when many shipments slip at once', async () => {
    const d = { ...fresh(), digestThreshold: 3, digestWindowMinutes: 60 };
    const t = new Date('2026-11-24T03:00:00Z');
    const all = [];
    for (let i = 0; i < 12; i++) {
      all.push(
        ...(await notifyDelay(
          d,
          delay({
            waybill: `71009${String(i).padStart(5, '0')}`,
            accountId: 'acc-tianyuan-dairy',
            tier: 'high-growth',
          }),
          t,
        )),
      );
    }
    const song = all.filter((r) => r.contactName === '宋雷');
    // Three individual alerts per channel, then one digest per channel, then nothing more.
    expect(song.filter((r) => r.status === 'sent')).toHaveLength(3 * 2);
    expect(song.filter((r) => r.status === 'digest-sent')).toHaveLength(2);
    expect(song.filter((r) => r.status === 'in-digest')).toHaveLength(8 * 2);
    const digestSms = d.sms.sent.filter((m) => m.text.startsWith('【运输延误汇总】'));
    expect(digestSms).toHaveLength(1);
    expect(digestSms[0]?.text).toContain('4票货物因恶劣天气延误');
  });
});
