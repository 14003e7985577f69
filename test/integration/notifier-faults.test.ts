/**
 * The notifier under faults: events it cannot use (a message that fails the schema, an account
 * Keyline does not know) leave a reason an operator can read, and a metric; a sender that dies
 * holds a mailbox only for its lease.
 * Against DynamoDB Local (this file's own table); SNS/SES mocked with aws-sdk-client-mock.
 */
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import {
  GetSuppressedDestinationCommand,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboxEmailSender, OutboxSmsSender } from '#local/adapters.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { notifyDelay, sendDue } from '#shared/notify/notifier.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { ttlAfter } from '#shared/platform/dynamo/claim.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import { logger, metrics } from '#shared/platform/observability/index.ts';
import { delayDetected } from '../support/delays.ts';
import { loadDemo } from '../support/demo.ts';
import { sqsRecord } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const ctx = (name: string) =>
  ({ awsRequestId: 'r', functionName: name, getRemainingTimeInMillis: () => 10_000 }) as never;

/** The notifier Lambda's answer to one batch of SQS records. */
async function notifier(...records: ReturnType<typeof sqsRecord>[]) {
  const { handler } = await import('#functions/notifier/handler.ts');
  return handler({ Records: records } as never, ctx('notifier'));
}

/** The metrics a spy saw added, as [name, value]. */
const added = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map(([name, , value]) => [name, value]);

beforeAll(async () => {
  await loadDemo();
  process.env.SES_FROM = 'alerts@keyline.example.cn';
  process.env.ALERT_LINK_BASE = 'https://track.keyline.example.cn/c/{accountId}';
});
beforeEach(() => {
  sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: false });
  sns.on(PublishCommand).resolves({ MessageId: 'x' });
  ses.on(GetSuppressedDestinationCommand).rejects(new NotFoundException({ message: 'no', $metadata: {} }));
  ses.on(SendEmailCommand).resolves({ MessageId: 'y' });
});
afterEach(() => {
  sns.reset();
  ses.reset();
  vi.restoreAllMocks();
  logger.setLogLevel('SILENT');
});

describe('a message that is not a DelayDetected', () => {
  it('a poison DelayDetected (fails the schema) is logged with its message id and the reason before it is redelivered to the DLQ', async () => {
    const error = vi.spyOn(logger, 'error');
    const warn = vi.spyOn(logger, 'warn');
    const metric = vi.spyOn(metrics, 'addMetric');
    const res = await notifier(
      sqsRecord('m-ok', JSON.stringify(delayDetected({ waybill: '7100000904', severity: 'critical' }))),
      sqsRecord(
        'm-poison',
        JSON.stringify({ ...delayDetected(), waybill: 'not-a-waybill', severity: 'apocalyptic' }),
      ),
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-poison' }] });
    const logged = JSON.stringify([...error.mock.calls, ...warn.mock.calls]);
    expect(logged).toContain('m-poison');
    expect(logged).toMatch(/severity|waybill/);
    // The failing fields by path, on the line an operator finds by the DLQ message's id.
    const line = error.mock.calls.find((c) => JSON.stringify(c).includes('m-poison'));
    expect(line?.[1]).toMatchObject({
      messageId: 'm-poison',
      receiveCount: '1',
      problems: [
        { path: 'waybill', message: expect.any(String) },
        { path: 'severity', message: expect.any(String) },
      ],
    });
    expect(added(metric)).toContainEqual(['NotificationFailures', 1]);
    // The good record of the batch went out.
    expect(
      sns.commandCalls(PublishCommand).some((c) => c.args[0].input.Message?.includes('7100000904')),
    ).toBe(true);
  });

  it('a body that is not JSON is logged as such, and a phone number in it is masked in the printed line', async () => {
    const error = vi.spyOn(logger, 'error');
    // A batch of one that fails whole fails the invocation: SQS redelivers it, as a partial failure.
    await expect(notifier(sqsRecord('m-garbled', '+8613910012001 called about 7100000904'))).rejects.toThrow(
      FullBatchFailureError,
    );
    const line = error.mock.calls.find((c) => JSON.stringify(c).includes('m-garbled'));
    expect(line?.[1]).toMatchObject({ problems: [{ path: '(root)' }] });
    // That line as the logger prints it (its console, after the masking replacer), at a level that
    // prints (the handler's middleware keeps the tests' SILENT within an invocation).
    error.mockRestore();
    logger.setLogLevel('ERROR');
    const printer = (logger as unknown as { console: Console }).console;
    const printed = vi.spyOn(printer, 'error').mockImplementation(() => {});
    const [message, extra] = line as [string, Record<string, unknown>];
    logger.error(message, extra);
    const out = printed.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(out).toContain('m-garbled');
    expect(out).toContain('Invalid JSON');
    expect(out).not.toMatch(/\+?861391001/);
  });
});

describe('a DelayDetected for an account Keyline does not know', () => {
  it('a DelayDetected for an account Keyline does not know is not acknowledged silently', async () => {
    const error = vi.spyOn(logger, 'error');
    const warn = vi.spyOn(logger, 'warn');
    const metric = vi.spyOn(metrics, 'addMetric');
    const res = await notifier(
      sqsRecord('m-ok', JSON.stringify(delayDetected({ waybill: '7100000907', severity: 'critical' }))),
      sqsRecord(
        'm-orphan',
        JSON.stringify(delayDetected({ accountId: 'acc-nobody-here', waybill: '7100000903' })),
      ),
    );
    // Redelivered, and after its last receive kept in the (alarmed) DLQ: see notifier.ts, UnknownAccount.
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-orphan' }] });
    expect(JSON.stringify([...error.mock.calls, ...warn.mock.calls])).toContain('acc-nobody-here');
    expect(warn.mock.calls.at(-1)?.[1]).toMatchObject({
      messageId: 'm-orphan',
      accountId: 'acc-nobody-here',
      waybill: '7100000903',
    });
    // Its own metric: no send failed.
    expect(added(metric)).toContainEqual(['AlertsForUnknownAccount', 1]);
    expect(added(metric)).not.toContainEqual(['NotificationFailures', 1]);
  });

  it('an account created moments later gets the alert when the queue redelivers it', async () => {
    const event = delayDetected({
      accountId: 'acc-jinhe-latecomer',
      waybill: '7100000906',
      severity: 'critical',
    });
    await expect(notifier(sqsRecord('m-early', JSON.stringify(event)))).rejects.toThrow(
      FullBatchFailureError,
    );
    // The account is imported meanwhile (a copy of 金禾's, 赵敏 among its contacts).
    const accounts = new Accounts(db, TABLE_NAME());
    const jinhe = await accounts.require('acc-jinhe-grain');
    await accounts.save('acc-jinhe-latecomer', AccountInput.parse({ ...jinhe, version: undefined }));
    expect(await notifier(sqsRecord('m-early', JSON.stringify(event)))).toEqual({ batchItemFailures: [] });
    const sms = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(sms.find((m) => m.PhoneNumber === '+8613910012001')?.Message).toContain('7100000906');
  });
});

describe('a sender that dies while it works a mailbox', () => {
  it('holds the mailbox only until its lease runs out; then the alert goes out and is logged', async () => {
    const d = {
      accounts: new Accounts(db, TABLE_NAME()),
      notifications: new NotificationRepo(db, TABLE_NAME()),
      sms: new OutboxSmsSender(),
      email: new OutboxEmailSender(),
    };
    const ZHAO = '+8613910012001';
    const waybill = '7100000908';
    const t = new Date('2026-11-24T02:00:00Z'); // 10:00 in Shanghai
    const seconds = (n: number) => new Date(t.getTime() + n * 1000);
    // The dead sender took the mailbox (its lease: the notifier's 120 s) and never released it.
    const lease = keys.claim.mailbox('sms', ZHAO);
    await d.notifications.claims.take(lease, {
      owner: 'dead-sender',
      now: t,
      leaseSeconds: 120,
      expiresAt: ttlAfter(t, 1),
    });
    await notifyDelay(d, delayDetected({ waybill, createdAt: t.toISOString() }), seconds(1));
    await sendDue(d, seconds(60));
    expect(d.sms.sent.filter((m) => m.to === ZHAO)).toEqual([]);
    // The lease ran out: the mailbox was left due, and the scheduled sender takes it over.
    await sendDue(d, seconds(121));
    expect(d.sms.sent.filter((m) => m.to === ZHAO && m.text.includes(waybill))).toHaveLength(1);
    const log = await d.notifications.list('acc-jinhe-grain', 200);
    expect(log.filter((r) => r.recipient === ZHAO && r.waybill === waybill).map((r) => r.status)).toEqual([
      'sent',
    ]);
  });
});
