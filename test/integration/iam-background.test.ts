import type { DelayDetected } from '#shared/shipments/delay.ts';
/**
 * Exact IAM for the background functions (queues, streams, topics, schedules): each runs its
 * paths through a proxy in front of DynamoDB Local that records the IAM actions every request
 * needs; the set is exactly the one its role is granted (functions/index.ts), no more, no less.
 * The clock is a Tuesday morning in Shanghai (inside calling windows, outside quiet hours) unless
 * a path needs the night.
 */

import {
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  ConnectClient,
  DescribeContactCommand,
  StartOutboundVoiceContactCommand,
} from '@aws-sdk/client-connect';
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
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { contactEvent, contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { DEFAULT_COMPLAINT_POLICY } from '#shared/complaints/lifecycle.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { outboxPut } from '#shared/platform/dynamo/outbox.ts';
import { transactWrite } from '#shared/platform/dynamo/transact.ts';
import { delayDetected } from '../support/delays.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { sqsRecord, streamInsert } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';
import { granted, used } from '../support/iam.ts';

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
/** Tuesday 10:00 in Shanghai. */
const MORNING = new Date('2026-11-24T02:00:00Z');
/** Tuesday 23:30 in Shanghai: inside the default 22:00–08:00 quiet hours. */
const NIGHT = new Date('2026-11-24T15:30:00Z');

let proxy: DynamoProxy;
const direct = String(process.env.AWS_ENDPOINT_URL_DYNAMODB);
/** The test's own setup goes around the proxy. */
const db = createDocumentClient({ endpoint: direct });
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const connect = mockClient(ConnectClient);
const ctx = { awsRequestId: 'iam', functionName: 'iam', getRemainingTimeInMillis: () => 60_000 };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: MORNING, shouldAdvanceTime: true });
  await loadDemo(MORNING);
  Object.assign(process.env, {
    SES_FROM: 'alerts@keyline.example.cn',
    ALERT_LINK_BASE: 'https://desk.keyline.example.cn/#/accounts/{accountId}',
    DELAY_TOPIC_ARN: 'arn:aws:sns:cn-north-1:123456789012:keyline-delays',
    ESCALATION_TOPIC_ARN: 'arn:aws:sns:cn-north-1:123456789012:keyline-escalations',
    CONNECT_INSTANCE_ID: '11111111-2222-3333-4444-555555555555',
    CONNECT_CONTACT_FLOW_ID: 'flow-1',
    CONNECT_QUEUE_ID: 'queue-1',
  });
  proxy = new DynamoProxy(direct);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
  ses
    .on(GetSuppressedDestinationCommand)
    .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});
afterAll(() => {
  vi.useRealTimers();
  sns.restore();
  ses.restore();
  connect.restore();
  return proxy.stop();
});

const load = async (name: string) => (await import(`../../functions/${name}/handler.ts`)).handler as Handler;
async function expectExact(name: keyof typeof BACKGROUND_FUNCTIONS, paths: () => Promise<unknown>) {
  const actions = await used(proxy, paths);
  expect(actions).toEqual([...granted(BACKGROUND_FUNCTIONS[name].access)].sort());
}
const delay = (o: Partial<DelayDetected> = {}) =>
  delayDetected({ waybill: demoWaybill(0, 0), createdAt: MORNING.toISOString(), ...o });
const sqs = (id: string, body: unknown) =>
  sqsRecord(id, typeof body === 'string' ? body : JSON.stringify(body));

describe('exact IAM of the background functions', () => {
  it('tracking-feed', async () => {
    const h = await load('tracking-feed');
    const waybill = demoWaybill(1, 2);
    const base = {
      waybill,
      accountId: 'acc-alpina-chocolate',
      milestone: 'arrived-at-hub',
      location: '郑州',
    };
    await expectExact('tracking-feed', async () => {
      const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
      const r = (await h(
        {
          Records: [
            sqs('f-1', { ...base, eventId: 'iam-f-1', at: at(1) }),
            sqs('f-2', {
              events: [{ ...base, eventId: 'iam-f-2', carrierEta: at(30 * 86_400), at: at(2) }],
            }),
            sqs('f-3', { ...base, eventId: 'iam-f-1', at: at(1) }), // a duplicate
            sqs('f-4', '{not json'), // refused: back to the queue, then the feed DLQ
            // A booking of a new waybill (the account's profile read), then its first scan.
            sqs('f-5', [
              {
                type: 'ShipmentBooked',
                waybill: 'IAMBOOK001',
                accountId: 'acc-alpina-chocolate',
                origin: '上海',
                destination: '北京',
                consignee: { name: 'IAM' },
                promisedAt: at(2 * 86_400),
                bookedAt: at(0),
              },
              { ...base, waybill: 'IAMBOOK001', eventId: 'iam-f-5', milestone: 'picked-up', at: at(1) },
            ]),
          ],
        },
        ctx,
      )) as { batchItemFailures: unknown[] };
      expect(r.batchItemFailures).toEqual([{ itemIdentifier: 'f-4' }]);
    });
  });

  it('delay-watchdog', async () => {
    const h = await load('delay-watchdog');
    vi.setSystemTime(new Date(MORNING.getTime() + 3 * 86_400_000));
    await expectExact('delay-watchdog', async () => {
      const r = (await h({}, ctx)) as { stagnant: number; announced: number };
      expect(r.announced).toBeGreaterThan(0);
    });
    vi.setSystemTime(MORNING);
  });

  it('delay-publisher', async () => {
    const h = await load('delay-publisher');
    const put = outboxPut(
      TABLE_NAME(),
      `${demoWaybill(0, 3)}#major`,
      {
        type: 'DelayDetected',
        subject: 'Delay',
        payload: delay({ waybill: demoWaybill(0, 3) }),
        attributes: { accountId: 'acc-jinhe-grain', tier: 'key', severity: 'major', segment: 'fmcg' },
      },
      MORNING,
    );
    await transactWrite(db, [put]);
    await expectExact('delay-publisher', async () => {
      const r = (await h({ Records: [streamInsert(put.Put?.Item ?? {}, '1')] }, ctx)) as {
        batchItemFailures: unknown[];
      };
      expect(r.batchItemFailures).toEqual([]);
    });
  });

  it('outbox-sweeper', async () => {
    const h = await load('outbox-sweeper');
    const announce = (waybill: string) =>
      outboxPut(
        TABLE_NAME(),
        `${waybill}#critical`,
        {
          type: 'DelayDetected',
          subject: `Delay critical: waybill ${waybill}`,
          payload: delay({ waybill, severity: 'critical' }),
          attributes: { accountId: 'acc-jinhe-grain', tier: 'key', severity: 'critical', segment: 'fmcg' },
        },
        MORNING,
      );
    // One the stream gave up on, and one whose attempts are spent (dead-lettered on this run).
    const lost = announce(demoWaybill(0, 6));
    const spent = announce(demoWaybill(0, 7));
    await transactWrite(db, [lost]);
    await db.send(new PutCommand({ TableName: TABLE_NAME(), Item: { ...spent.Put?.Item, attempts: 5 } }));
    vi.setSystemTime(new Date(MORNING.getTime() + 20 * 60_000));
    await expectExact('outbox-sweeper', async () => {
      const r = (await h({}, ctx)) as { published: number; deadLettered: number };
      expect(r).toMatchObject({ deadLettered: 1 });
      expect(r.published).toBeGreaterThan(0);
      await h({}, ctx); // again: nothing left to publish
    });
    vi.setSystemTime(MORNING);
  });

  it('notifier', async () => {
    const h = await load('notifier');
    await expectExact('notifier', async () => {
      // A day-time alert to every consented contact.
      await h({ Records: [sqs('n-1', delay())] }, ctx);
      await h({ Records: [sqs('n-1', delay())] }, ctx); // SQS delivered it again
      // A night-time alert waits for the contacts' morning.
      vi.setSystemTime(NIGHT);
      await h({ Records: [sqs('n-2', delay({ waybill: demoWaybill(0, 1) }))] }, ctx);
      vi.setSystemTime(MORNING);
      // SNS refuses a number: the contact's number is marked and skipped from now on.
      sns
        .on(PublishCommand)
        .rejectsOnce(
          new InvalidParameterException({ message: 'Invalid parameter: PhoneNumber', $metadata: {} }),
        );
      await h(
        { Records: [sqs('n-3', delay({ waybill: demoWaybill(2, 0), accountId: 'acc-alpina-chocolate' }))] },
        ctx,
      );
      // SNS is down: the alert stays queued for a retry.
      sns.on(PublishCommand).rejects(new Error('SNS is down'));
      await h({ Records: [sqs('n-4', delay({ waybill: demoWaybill(0, 4), severity: 'critical' }))] }, ctx);
      sns.on(PublishCommand).resolves({ MessageId: 'sns-2' });
      // A digest: many late shipments of one account at once.
      const burst = Array.from({ length: 6 }, (_, i) =>
        sqs(`n-b-${i}`, delay({ waybill: demoWaybill(3, i), accountId: 'acc-unimax-consumer' })),
      );
      await h({ Records: burst }, ctx);
    });
    expect(sns.commandCalls(PublishCommand).length).toBeGreaterThan(0);
  });

  it('deferred-notifications', async () => {
    const h = await load('deferred-notifications');
    await expectExact('deferred-notifications', async () => {
      for (const minutes of [60, 24 * 60, 3 * 24 * 60]) {
        vi.setSystemTime(new Date(MORNING.getTime() + minutes * 60_000));
        await h({}, ctx);
      }
      vi.setSystemTime(MORNING);
    });
  });

  it('proactive-call', async () => {
    const h = await load('proactive-call');
    const sent = (m: unknown) => ({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: 'arn:aws:sns:cn-north-1:123456789012:keyline-delays:sub',
          Sns: {
            Type: 'Notification',
            MessageId: 'm-1',
            TopicArn: 'arn:aws:sns:cn-north-1:123456789012:keyline-delays',
            Subject: 'Delay',
            Message: JSON.stringify(m),
            Timestamp: MORNING.toISOString(),
            SignatureVersion: '1',
            Signature: 'x',
            SigningCertUrl: 'https://sns.cn-north-1.amazonaws.com.cn/cert.pem',
            UnsubscribeUrl: 'https://sns.cn-north-1.amazonaws.com.cn/unsubscribe',
            MessageAttributes: {},
          },
        },
      ],
    });
    await expectExact('proactive-call', async () => {
      await h(sent(delay({ severity: 'critical', waybill: demoWaybill(0, 5) })), ctx);
      await h(sent(delay({ severity: 'critical', waybill: demoWaybill(0, 5) })), ctx); // again
    });
  });

  it('sla-escalation', async () => {
    const complaints = new Complaints(
      db,
      TABLE_NAME(),
      new Campaigns(db, TABLE_NAME()),
      DEFAULT_COMPLAINT_POLICY,
    );
    const account = await new Accounts(db, TABLE_NAME()).require('acc-meilian-appliances');
    await complaints.create(
      {
        accountId: account.id,
        contactId: account.contacts[0]?.id ?? '',
        waybills: [],
        category: 'loss',
        severity: 'critical',
        channel: 'agent-phone',
        description: '权限测试',
      },
      account,
      'test',
      { now: new Date(MORNING.getTime() - 3 * 3_600_000) },
    );
    const h = await load('sla-escalation');
    await expectExact('sla-escalation', async () => {
      // SNS down for one publish: its level's claim is given back for the next run.
      sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
      const failed = (await h({}, ctx)) as { failures: number };
      expect(failed.failures).toBeGreaterThan(0);
      sns.on(PublishCommand).resolves({ MessageId: 'sns-e' });
      const r = (await h({}, ctx)) as { published: number };
      expect(r.published).toBeGreaterThan(0);
      await h({}, ctx);
    });
  });

  it('dialer and contact-events', async () => {
    // A campaign to dial, created and started through its API (around the proxy).
    const campaigns = new Campaigns(db, TABLE_NAME());
    const api = (await import('#functions/campaigns/handler.ts')).handler;
    const { apiClient } = await import('../support/http.ts');
    const { campaignRoutes } = await import('#functions/campaigns/routes.ts');
    proxy.fault = undefined;
    const call = apiClient(api, campaignRoutes);
    const created = await call('POST', '/campaigns', {
      name: '权限拨号',
      type: 'account-review',
      audience: { segments: ['electrical'], onePerAccount: false },
    });
    expect(created.status).toBe(201);
    await call('POST', `/campaigns/${created.json.id}/actions`, { action: 'start' });
    let n = 0;
    connect.on(StartOutboundVoiceContactCommand).callsFake(() => ({ ContactId: `iam-out-${++n}` }));
    connect.on(DescribeContactCommand).resolves({ Contact: { Id: 'x', DisconnectTimestamp: new Date() } });
    const dialer = await load('dialer');
    await expectExact('dialer', async () => {
      const r = (await h2(dialer)) as { dialed: number };
      expect(r.dialed).toBeGreaterThan(0);
      await h2(dialer);
    });
    expect(await campaigns.repo.get(created.json.id)).toBeDefined();
    // Connect reports how the calls and an inbound call went.
    const pop = await load('screen-pop');
    await pop(contactFlowEvent({ from: '+8613910012001', contactId: 'iam-in-1' }), ctx);
    const events = await load('contact-events');
    await expectExact('contact-events', async () => {
      await events(contactEvent('CONNECTED_TO_AGENT', 'iam-out-1', 'API'));
      await events(contactEvent('DISCONNECTED', 'iam-out-1', 'API'));
      await events(
        contactEvent('DISCONNECTED', 'iam-out-2', 'API', { disconnectReason: 'CUSTOMER_DISCONNECT' }),
      );
      await events(
        contactEvent('QUEUED', 'iam-in-1', 'INBOUND', {
          queueInfo: { enqueueTimestamp: MORNING.toISOString() },
        }),
      );
      await events(contactEvent('DISCONNECTED', 'iam-in-1', 'INBOUND'));
      await events(contactEvent('DISCONNECTED', 'iam-in-1', 'INBOUND')); // again
    });
  });

  it('follow-up-scheduler', async () => {
    const h = await load('follow-up-scheduler');
    await expectExact('follow-up-scheduler', async () => {
      const r = (await h({}, ctx)) as { booked: number };
      expect(r.booked).toBeGreaterThan(0);
      await h({}, ctx); // again: nothing more is booked
    });
  });

  it('analytics and churn-scorer', async () => {
    await loadHistory(MORNING);
    const analytics = await load('analytics');
    await expectExact('analytics', async () => {
      const call = {
        pk: 'ACCOUNT#acc-cuile-snacks',
        sk: 'CALL#x',
        entity: 'Call',
        connectContactId: 'iam-agg-1',
        at: MORNING.toISOString(),
        e164: '+8613910012001',
        accountId: 'acc-cuile-snacks',
        direction: 'inbound',
      };
      const complaint = {
        pk: 'COMPLAINT#iam-cmp-1',
        sk: 'COMPLAINT',
        entity: 'Complaint',
        id: 'iam-cmp-1',
        accountId: 'acc-cuile-snacks',
        createdAt: MORNING.toISOString(),
        category: 'delay',
        severity: 'high',
      };
      const r = (await analytics(
        { Records: [streamInsert(call, '1'), streamInsert(complaint, '2'), streamInsert(call, '3')] },
        ctx,
      )) as { batchItemFailures: unknown[] };
      expect(r.batchItemFailures).toEqual([]);
    });
    const scorer = await load('churn-scorer');
    await expectExact('churn-scorer', async () => {
      const r = (await scorer({}, ctx)) as { booked: number };
      expect(r.booked).toBeGreaterThan(0);
      await scorer({}, ctx); // again: nothing more is booked
    });
  });

  it('weekly-digest', async () => {
    const cognito = mockClient(CognitoIdentityProviderClient);
    const attrs = (name: string, email: string) => [
      { Name: 'name', Value: name },
      { Name: 'email', Value: email },
    ];
    cognito.on(ListUsersInGroupCommand).resolves({
      Users: [
        { Username: 'u1', Enabled: true, Attributes: attrs('陈静', 'chen.jing@3pl.example.cn') },
        { Username: 'u2', Enabled: true, Attributes: attrs('王建国', 'wang.jg@3pl.example.cn') },
        { Username: 'u3', Enabled: false, Attributes: attrs('刘强', 'liu.q@3pl.example.cn') },
      ],
    });
    Object.assign(process.env, {
      USER_POOL_ID: 'cn-north-1_abc',
      COCKPIT_URL: 'https://desk.example.cn/#cockpit',
    });
    ses.reset();
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
    // The first send to Wang fails: that digest is released and sent on the retry, once.
    ses
      .on(SendEmailCommand)
      .resolves({ MessageId: 'ses-d' })
      .on(SendEmailCommand, { Destination: { ToAddresses: ['wang.jg@3pl.example.cn'] } })
      .rejectsOnce(new Error('SES unavailable'))
      .resolves({ MessageId: 'ses-w' });
    const h = await load('weekly-digest');
    await expectExact('weekly-digest', async () => {
      await expect(h({}, ctx)).rejects.toThrow('1 weekly digest(s) could not be sent');
      const r = (await h({}, ctx)) as { sent: number; already: number };
      expect(r).toMatchObject({ sent: 1, already: 1 });
    });
    expect(cognito.commandCalls(ListUsersInGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'cn-north-1_abc',
      GroupName: 'account-managers',
    });
    const to = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination?.ToAddresses?.[0]);
    expect(to.sort()).toEqual([
      'chen.jing@3pl.example.cn',
      'wang.jg@3pl.example.cn',
      'wang.jg@3pl.example.cn',
    ]);
    const chen = ses
      .commandCalls(SendEmailCommand)
      .find((c) => c.args[0].input.Destination?.ToAddresses?.[0] === 'chen.jing@3pl.example.cn');
    expect(chen?.args[0].input.Content?.Simple?.Subject?.Data).toMatch(
      /^大客户周报 .* · Key accounts, week /,
    );
    cognito.restore();
    ses.reset();
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });

  it('tracking-report', async () => {
    // The first send fails: that report's claim is released, the run fails, and the schedule's
    // retry sends only that one.
    ses.reset();
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
    ses.on(SendEmailCommand).rejectsOnce(new Error('SES unavailable')).resolves({ MessageId: 'ses-r' });
    const h = await load('tracking-report');
    await expectExact('tracking-report', async () => {
      await expect(h({}, ctx)).rejects.toThrow('1 daily report(s) could not be sent');
      const r = (await h({}, ctx)) as { sent: number; already: number; failed: number };
      expect(r).toMatchObject({ sent: 1, failed: 0 });
      expect(r.already).toBeGreaterThan(0);
    });
    ses.reset();
    ses
      .on(GetSuppressedDestinationCommand)
      .rejects(new NotFoundException({ message: 'not suppressed', $metadata: {} }));
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });
});

const h2 = (h: Handler) => h({}, ctx);
