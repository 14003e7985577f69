import {
  GetSuppressedDestinationCommand,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  InvalidParameterException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalTopic, OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { type NotifierDeps, notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { PROACTIVE_CAMPAIGN, proactiveCall } from '#shared/notify/proactive-call.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { BadDestination, OptedOut, SesEmailSender, SnsSmsSender } from '#shared/notify/senders.ts';
import { delaySms, smsSegments } from '#shared/notify/templates.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { drainOutbox } from '#shared/platform/dynamo/outbox.ts';
import type { DelayDetected } from '#shared/shipments/delay.ts';
import { Shipments } from '#shared/shipments/service.ts';
import { delayDetected, delayedShipment } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { sqsRecord, streamInsert } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
let deps: NotifierDeps & { accounts: Accounts; sms: OutboxSmsSender; email: OutboxEmailSender };

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

const delay = delayDetected;

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

  it('alerts again when a delay is announced again later (a new episode), never for a redelivery', async () => {
    const d = fresh();
    const t = new Date('2026-11-24T06:00:00Z');
    const first = delay({
      waybill: '7100000600',
      accountId: 'acc-kangtai-pharma',
      createdAt: t.toISOString(),
    });
    await notifyDelay(d, first, t);
    const redelivered = await notifyDelay(d, first, t);
    expect(redelivered.every((r) => r.status === 'suppressed-duplicate')).toBe(true);
    // Cleared, then detected again the next day at the same severity: a new announcement.
    const later = new Date(t.getTime() + 86_400_000);
    const again = await notifyDelay(d, { ...first, createdAt: later.toISOString() }, later);
    expect(again.filter((r) => r.channel === 'sms').map((r) => r.status)).toEqual(['sent', 'sent']);
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
    expect((await sendDue(d, new Date('2026-11-24T23:00:00Z'))).sent).toBe(0);
    expect((await sendDue(d, new Date('2026-11-25T00:00:30Z'))).sent).toBe(1);
    expect((await sendDue(d, new Date('2026-11-25T00:01:00Z'))).sent).toBe(0);
  });

  it('sends critical alerts at once, even in quiet hours', async () => {
    const d = fresh();
    const records = await notifyDelay(d, delay({ waybill: '7100000002', severity: 'critical' }), NIGHT);
    expect(records.some((r) => r.status === 'deferred')).toBe(false);
    expect(records.filter((r) => r.status === 'sent').length).toBeGreaterThan(0);
  });

  it('names the account as the reader knows it: the English name in English, the Chinese in Chinese', async () => {
    const d = fresh();
    await notifyDelay(
      d,
      delay({ waybill: '7100000003', accountId: 'acc-alpina-chocolate', severity: 'major' }),
      new Date('2026-11-24T08:00:00Z'), // 16:00 in Shanghai, 09:00 in Zurich
    );
    const subject = (to: string) => d.email.sent.find((m) => m.to === to)?.subject;
    expect(subject('lukas.mueller@alpina-choc.example.com')).toBe(
      'Delay notice: waybill 7100000003 (Alpina Chocolate (China))',
    );
    expect(subject('lin.jia@alpina-choc.example.com')).toContain('（阿尔皮纳巧克力(中国)）');
    // The new ETA in the reader's own zone, named, since a client may read it anywhere.
    const text = (to: string) => d.email.sent.find((m) => m.to === to)?.text ?? '';
    expect(text('lukas.mueller@alpina-choc.example.com')).toContain('25/11, 08:00 (CET)');
    expect(text('lin.jia@alpina-choc.example.com')).toContain('11/25 15:00（GMT+8）');
  });

  it('moves the shipment’s delay from detected to notified once an alert went out, and only then', async () => {
    const shipments = new Shipments(db, TABLE_NAME());
    const _now = DAY.toISOString();
    const make = (waybill: string) => shipments.create(delayedShipment(waybill, DAY), DAY);
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
    expect(await d.notifications.destinationMark('sms', '+8613910012001')).toMatchObject({
      status: 'opted-out',
    });
    // The next alert is not even offered to the sender: the mark is read first.
    d.sms.optedOut.clear();
    const next = await notifyDelay(d, delay({ waybill: '7100000004' }), DAY);
    expect(next.find((r) => r.recipient === '+8613910012001')).toMatchObject({ status: 'opted-out' });
    expect(d.sms.sent.filter((m) => m.to === '+8613910012001')).toEqual([]);
  });
});

describe('SMS and email through SNS and SES (mocked)', () => {
  it('publishes a transactional SMS with a sender id only where the country allows one', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
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

  it('asks SNS whether a number opted out before publishing, and tells a refused number from an outage', async () => {
    const sender = new SnsSmsSender(new SNSClient({ region: 'cn-north-1' }));
    sns
      .on(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: '+8613910012001' })
      .resolves({ isOptedOut: true });
    await expect(sender.send({ to: '+8613910012001', text: 'x' })).rejects.toBeInstanceOf(OptedOut);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    sns
      .on(CheckIfPhoneNumberIsOptedOutCommand, { phoneNumber: '+8613900000000' })
      .resolves({ isOptedOut: false });
    sns.on(PublishCommand, { PhoneNumber: '+8613900000000' }).rejects(
      new InvalidParameterException({
        message: 'Invalid parameter: PhoneNumber Reason: +8613900000000 is not valid to publish to',
        $metadata: {},
      }),
    );
    await expect(sender.send({ to: '+8613900000000', text: 'x' })).rejects.toBeInstanceOf(BadDestination);
    expect(sns.commandCalls(CheckIfPhoneNumberIsOptedOutCommand).map((c) => c.args[0].input)).toEqual([
      { phoneNumber: '+8613910012001' },
      { phoneNumber: '+8613900000000' },
    ]);
  });

  it('checks the SES suppression list first: a bounced address is bad, a complaint is an opt-out', async () => {
    const sender = new SesEmailSender(new SESv2Client({ region: 'cn-north-1' }), 'alerts@keyline.example.cn');
    const mail = { subject: 'S', html: '<p>H</p>', text: 'T' };
    ses.on(GetSuppressedDestinationCommand, { EmailAddress: 'gone@b.cn' }).resolves({
      SuppressedDestination: { EmailAddress: 'gone@b.cn', Reason: 'BOUNCE', LastUpdateTime: new Date() },
    });
    ses.on(GetSuppressedDestinationCommand, { EmailAddress: 'angry@b.cn' }).resolves({
      SuppressedDestination: {
        EmailAddress: 'angry@b.cn',
        Reason: 'COMPLAINT',
        LastUpdateTime: new Date(),
      },
    });
    await expect(sender.send({ to: 'gone@b.cn', ...mail })).rejects.toBeInstanceOf(BadDestination);
    await expect(sender.send({ to: 'angry@b.cn', ...mail })).rejects.toBeInstanceOf(OptedOut);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends an HTML and text email through SES v2', async () => {
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
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
    expect(await drainOutbox(db, TABLE_NAME(), topic)).toMatchObject({ read: 1, published: 1 });
    expect(await drainOutbox(db, TABLE_NAME(), topic)).toMatchObject({ read: 0, published: 0 });
    const e = topic.events[0];
    expect(e?.attributes).toEqual({
      accountId: 'acc-alpina-chocolate',
      tier: 'key',
      severity: 'critical',
      segment: 'fmcg',
      // The festive boxes: a delay loses the sale (importance 1), so the client may run out.
      stockOutRisk: 'true',
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
    // Not a key account and no stock-out risk: no call; with the risk, whatever the tier (booked once).
    expect(await proactiveCall(hook, { ...event, tier: 'loyal', stockOutRisk: false })).toBeUndefined();
    expect(await proactiveCall(hook, { ...event, tier: 'loyal' })).toBe(id);
  });
});

describe('notifier Lambda (SQS, partial batch failures) and the outbox stream publisher', () => {
  it('sends through SNS and SES and reports only the failed records', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
    sns.on(PublishCommand).resolves({ MessageId: 'sms-1' });
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
    ses.on(SendEmailCommand).resolves({ MessageId: 'email-1' });
    process.env.SES_FROM = 'alerts@keyline.example.cn';
    process.env.ALERT_LINK_BASE = 'https://track.keyline.example.cn/c/{accountId}';
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

  it('publishes each outbox item once when the stream retries a batch from a record that failed', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'ok' });
    sns
      .on(PublishCommand, { Subject: 'B' })
      .rejectsOnce(new Error('Throttling'))
      .resolves({ MessageId: 'ok-b' });
    process.env.DELAY_TOPIC_ARN = 'arn:aws:sns:cn-north-1:123456789012:keyline-delays';
    const { handler } = await import('#functions/delay-publisher/handler.ts');
    const { outboxPut } = await import('#shared/platform/dynamo/outbox.ts');
    const { transactWrite } = await import('#shared/platform/dynamo/transact.ts');
    const records = [];
    for (const [i, id] of ['A', 'B', 'C'].entries()) {
      const put = outboxPut(
        TABLE_NAME(),
        `retry-${id}`,
        { type: 'DelayDetected', subject: id, payload: { id }, attributes: {} },
        DAY,
      );
      await transactWrite(db, [put]);
      records.push(streamInsert(put.Put?.Item ?? {}, String(i + 1)));
    }
    const ctx = {
      awsRequestId: 'r',
      functionName: 'publisher',
      getRemainingTimeInMillis: () => 10_000,
    } as never;
    const [a, b, c] = records;
    expect(await handler({ Records: [a, b, c] } as never, ctx)).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }],
    });
    // Lambda retries the shard from the failed record, so C comes again although it went out.
    expect(await handler({ Records: [b, c] } as never, ctx)).toEqual({ batchItemFailures: [] });
    const subjects = sns.commandCalls(PublishCommand).map((x) => x.args[0].input.Subject);
    expect(subjects.filter((x) => x === 'C')).toHaveLength(1);
    expect(subjects.filter((x) => x === 'B')).toHaveLength(2); // failed once, then published
    expect(subjects.filter((x) => x === 'A')).toHaveLength(1);
  });
});

describe('digests and mailboxes', () => {
  const burst = async (d: NotifierDeps, n: number, at: Date, from = 0, accountId = 'acc-tianyuan-dairy') => {
    const all = [];
    for (let i = from; i < from + n; i++)
      all.push(
        ...(await notifyDelay(
          d,
          delay({ waybill: `71009${String(i).padStart(5, '0')}`, accountId, tier: 'high-growth' }),
          at,
        )),
      );
    return all;
  };
  const minutes = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);

  it('sends a few alerts alone, then one digest counted at send time with an absolute link, then "N more"', async () => {
    const d = {
      ...fresh(),
      digestThreshold: 3,
      digestWindowMinutes: 60,
      linkBase: 'https://track.keyline.example.cn/c/{accountId}',
    };
    const t = new Date('2026-11-24T03:00:00Z');
    const song = (await burst(d, 12, t)).filter((r) => r.contactName === '宋雷');
    // Three alone per channel; the other nine wait a moment so the burst arrives whole.
    expect(song.filter((r) => r.status === 'sent')).toHaveLength(3 * 2);
    expect(song.filter((r) => r.status === 'deferred')).toHaveLength(9 * 2);
    expect((await sendDue(d, minutes(t, 1))).sent).toBe(0);
    await sendDue(d, minutes(t, 2));
    const digests = d.sms.sent.filter((m) => m.text.startsWith('【运输延误汇总】'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain('9票货物因恶劣天气延误');
    expect(digests[0]?.text).toContain('https://track.keyline.example.cn/c/acc-tianyuan-dairy');
    // Five more slip ten minutes later: they wait for the window since the digest to pass.
    await burst(d, 5, minutes(t, 10), 100);
    expect((await sendDue(d, minutes(t, 30))).sent).toBe(0);
    await sendDue(d, minutes(t, 62));
    const more = d.sms.sent.filter((m) => m.text.startsWith('【运输延误汇总】'));
    expect(more).toHaveLength(2);
    expect(more[0]?.text).toContain('自上次通知后又有5票货物');
    const log = (await d.notifications.list('acc-tianyuan-dairy', 200)).filter(
      (r) => r.contactName === '宋雷',
    );
    expect(log.filter((r) => r.status === 'digest-sent')).toHaveLength(4);
  });

  it('holds digests for quiet hours too: at night nothing goes out, in the morning one digest and nothing after it', async () => {
    const d = { ...fresh(), digestThreshold: 3, digestWindowMinutes: 60 };
    const night = await burst(d, 10, NIGHT, 200);
    expect(night.filter((r) => r.status === 'sent' || r.status === 'digest-sent')).toEqual([]);
    expect(d.sms.sent).toEqual([]);
    expect((await sendDue(d, new Date('2026-11-24T23:59:00Z'))).sent).toBe(0);
    // 08:00 in Shanghai: one digest per recipient and channel, counting all ten.
    await sendDue(d, new Date('2026-11-25T00:00:30Z'));
    const sms = d.sms.sent.filter((m) => m.to === '+8613047101801');
    expect(sms).toHaveLength(1);
    expect(sms[0]?.text).toContain('10票货物');
    expect((await sendDue(d, new Date('2026-11-25T00:05:00Z'))).sent).toBe(0);
  });

  it('keeps a failed send and retries it with back-off, then dead-letters it where an operator sees it', async () => {
    const dead: string[] = [];
    const d = {
      ...fresh(),
      policy: { maxAttempts: 3, baseBackoffSeconds: 60 },
      random: () => 0.5,
      onDeadLetter: (records: { waybill: string }[]) => dead.push(...records.map((r) => r.waybill)),
    };
    d.sms.failNext = 1;
    const first = await notifyDelay(
      d,
      delay({ waybill: '7100000300', accountId: 'acc-kangtai-pharma', severity: 'major' }),
      DAY,
    );
    const retry = first.find((r) => r.channel === 'sms' && r.status === 'retrying');
    expect(retry?.sendAt).toBe(new Date(DAY.getTime() + 60_000).toISOString());
    expect((await sendDue(d, new Date(DAY.getTime() + 30_000))).sent).toBe(0);
    expect((await sendDue(d, new Date(DAY.getTime() + 61_000))).sent).toBe(1);
    expect(d.sms.sent.map((m) => m.text).join()).toContain('7100000300');
    // An outage that outlasts the attempts: dead-lettered, counted, on the log, and not due again.
    d.sms.failNext = 100;
    await notifyDelay(
      d,
      delay({ waybill: '7100000301', accountId: 'acc-kangtai-pharma', severity: 'major' }),
      DAY,
    );
    const later = (s: number) => new Date(DAY.getTime() + s * 1000);
    await sendDue(d, later(200));
    await sendDue(d, later(400));
    expect(dead).toContain('7100000301');
    const log = await d.notifications.list('acc-kangtai-pharma', 100);
    expect(
      log
        .filter((r) => r.waybill === '7100000301' && r.recipient === '+8613311009001')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['dead-lettered', 'retrying', 'retrying']);
    expect((await sendDue(d, later(3600))).mailboxes).toBe(0);
  });

  it('learns a bad number once and skips it until the contact is corrected', async () => {
    const d = fresh();
    d.sms.invalid.add('+8613910012002');
    // Three hours on, so the earlier tests' alerts to these contacts are out of the window.
    const t = new Date(DAY.getTime() + 3 * 3_600_000);
    const first = await notifyDelay(d, delay({ waybill: '7100000400' }), t);
    expect(first.find((r) => r.recipient === '+8613910012002')).toMatchObject({ status: 'undeliverable' });
    d.sms.invalid.clear();
    const next = await notifyDelay(d, delay({ waybill: '7100000401' }), t);
    expect(next.find((r) => r.recipient === '+8613910012002')).toMatchObject({ status: 'undeliverable' });
    expect(d.sms.sent.filter((m) => m.to === '+8613910012002')).toEqual([]);
    // The contact's other channel is unaffected.
    expect(next.find((r) => r.recipient === 'sun.liwei@jinhe-grain.example.cn')?.status).toBe('sent');
    // The agent checks the number with the client and saves the account again: one more try.
    const stored = await d.accounts.require('acc-jinhe-grain');
    await d.accounts.save(stored.id, AccountInput.parse({ ...stored, version: stored.version }));
    const retried = await notifyDelay(d, delay({ waybill: '7100000402' }), t);
    expect(retried.find((r) => r.recipient === '+8613910012002')?.status).toBe('sent');
  });

  it('two notifiers at once lose nothing and send nothing twice', async () => {
    const a = fresh();
    const b = { ...a };
    const t = new Date('2026-11-24T04:00:00Z');
    await Promise.all([
      notifyDelay(a, delay({ waybill: '7100000500', accountId: 'acc-kangtai-pharma' }), t),
      notifyDelay(b, delay({ waybill: '7100000501', accountId: 'acc-kangtai-pharma' }), t),
      notifyDelay(a, delay({ waybill: '7100000500', accountId: 'acc-kangtai-pharma' }), t),
    ]);
    // Whatever one sender found held by the other is due again, and the scheduled pass sends it.
    await sendDue(a, new Date(t.getTime() + 1000));
    const to = (n: string) =>
      a.sms.sent.filter((m) => m.to === n).map((m) => m.text.match(/7100000\d{3}/)?.[0]);
    expect(to('+8613311009001').sort()).toEqual(['7100000500', '7100000501']);
    expect(to('+8613311009002').sort()).toEqual(['7100000500', '7100000501']);
  });
});
