/**
 * The IVR tells the caller the truth inside the contact flow's 3 s: through a proxy in front of
 * DynamoDB Local that makes it slow, failing or hanging, and the real SQS client sending the
 * hand-off to a local queue whose worker finishes it and texts the caller.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxSmsSender } from '#local/adapters.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { completeHandoff, IvrHandoffMessage } from '#shared/inbound/handoff-worker.ts';
import { Confirmations } from '#shared/notify/confirmations.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { t } from '#shared/platform/messages/index.ts';
import { DynamoProxy } from '../support/dynamo-proxy.ts';
import { accountBody, HANDOFF_QUEUE, TABLE_NAME } from '../support/fixtures.ts';

type Handler = (event: unknown, context?: unknown) => Promise<Record<string, string>>;
const FLOW_TIMEOUT_MS = 3000;
let proxy: DynamoProxy;
let complaintHandler: Handler;
let callbackHandler: Handler;
let trackingHandler: Handler;
/** The worker's side reaches DynamoDB directly: it runs later, when DynamoDB is healthy. */
const direct = createDocumentClient();
const sms = new OutboxSmsSender();
const campaigns = new Campaigns(direct, TABLE_NAME());
const complaints = new Complaints(direct, TABLE_NAME(), campaigns);
const PHONE = '+8613877770001';
const ACCOUNT = 'acc-ivr-timing';

beforeAll(async () => {
  const body = accountBody({
    contacts: [
      {
        id: 'timing-contact',
        name: '周婷',
        phones: [{ number: PHONE, label: 'mobile' }],
        consent: { calls: true, sms: true, email: true },
      },
    ],
  });
  await new Accounts(direct, TABLE_NAME()).save(ACCOUNT, AccountInput.parse(body));
  HANDOFF_QUEUE().consume(async (m) => {
    await completeHandoff(
      {
        accounts: new AccountRepo(direct, TABLE_NAME()),
        campaigns,
        complaints,
        confirmations: new Confirmations(direct, TABLE_NAME(), sms),
      },
      IvrHandoffMessage.parse(JSON.parse(m.body)),
    );
  });
  proxy = new DynamoProxy(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  process.env.AWS_ENDPOINT_URL_DYNAMODB = await proxy.start();
  process.env.LOOKUP_BUDGET_MS = '1500';
  complaintHandler = (await import('#functions/ivr-complaint/handler.ts')).handler as Handler;
  callbackHandler = (await import('#functions/ivr-callback/handler.ts')).handler as Handler;
  trackingHandler = (await import('#functions/ivr-tracking/handler.ts')).handler as Handler;
});
afterAll(() => proxy.stop());
beforeEach(() => proxy.reset());

/** Invokes a contact-flow Lambda and times it as Connect would. */
async function invoke(handler: Handler, contactId: string, parameters: Record<string, string> = {}) {
  const started = performance.now();
  const answer = await handler(contactFlowEvent({ from: PHONE, contactId, parameters }), {
    getRemainingTimeInMillis: () => 5000,
  });
  return { answer, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const complaintsOf = async (contactId: string) =>
  (await complaints.listByAccount(ACCOUNT)).filter((c) => c.connectContactId === contactId);

describe('IVR complaint intake inside the flow’s 3 s', () => {
  it('records the complaint and says its reference when DynamoDB answers', async () => {
    const { answer, ms } = await invoke(complaintHandler, 'timing-ok', { category: '1' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({ recorded: 'true', lookupStatus: 'ok' });
    expect(await complaintsOf('timing-ok')).toHaveLength(1);
  });

  it('says "we will text you the reference" when the write is too slow, and the text carries the one complaint that landed', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], delayMs: 1800 };
    const sent = HANDOFF_QUEUE().sent.length;
    const { answer, ms } = await invoke(complaintHandler, 'timing-slow', { category: '2' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({ recorded: 'pending', prompt: t('zh-CN', 'ivr.complaint.pending') });
    expect(
      HANDOFF_QUEUE()
        .sent.slice(sent)
        .map((m) => JSON.parse(m.body)),
    ).toEqual([expect.objectContaining({ kind: 'ivr-complaint', connectContactId: 'timing-slow' })]);
    await HANDOFF_QUEUE().drained();
    await sleep(2000); // the slow write lands (or is refused by the worker's) meanwhile
    const recorded = await complaintsOf('timing-slow');
    expect(recorded).toHaveLength(1);
    const texts = sms.sent.filter((m) => m.to === PHONE && m.text.includes(recorded[0]?.reference ?? '?'));
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text).toContain('您的投诉已登记');
  });

  it('finishes the complaint afterwards when the call’s write failed, and texts its reference once', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const { answer, ms } = await invoke(complaintHandler, 'timing-failed', { category: '3' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer.recorded).toBe('pending');
    proxy.reset();
    await HANDOFF_QUEUE().drained();
    const recorded = await complaintsOf('timing-failed');
    expect(recorded).toHaveLength(1);
    expect(sms.sent.filter((m) => m.text.includes(recorded[0]?.reference ?? '?'))).toHaveLength(1);
  });

  it('says "not recorded" when it cannot even find the caller in time, and nothing is recorded later', async () => {
    proxy.fault = { ops: ['Query'], delayMs: 2500 };
    const sent = HANDOFF_QUEUE().sent.length;
    const { answer, ms } = await invoke(complaintHandler, 'timing-lookup', { category: '1' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({
      recorded: 'false',
      lookupStatus: 'error',
      prompt: t('zh-CN', 'ivr.complaint.unavailable'),
    });
    await sleep(2800);
    expect(await complaintsOf('timing-lookup')).toEqual([]);
    expect(HANDOFF_QUEUE().sent.length).toBe(sent);
  });
});

describe('IVR callback requests inside the flow’s 3 s', () => {
  it('books the callback afterwards when the write fails, and texts the time', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const before = sms.sent.length;
    const { answer, ms } = await invoke(callbackHandler, 'timing-callback');
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({ scheduled: 'pending', prompt: t('zh-CN', 'ivr.callback.pending') });
    proxy.reset();
    await HANDOFF_QUEUE().drained();
    const pending = (await campaigns.listCallbacks('customer-callbacks')).filter((c) => c.phone === PHONE);
    expect(pending).toHaveLength(1);
    expect(sms.sent.slice(0, sms.sent.length - before).map((m) => m.to)).toEqual([PHONE]);
    // The caller asks again: the one pending callback, not a second.
    const again = await invoke(callbackHandler, 'timing-callback-2');
    expect(again.answer).toMatchObject({ status: 'already-scheduled', callbackId: pending[0]?.id });
  });
});

describe('IVR tracking inside the flow’s 3 s', () => {
  it('answers the fallback prompt when DynamoDB hangs', async () => {
    proxy.fault = { delayMs: 4000 };
    const { answer, ms } = await invoke(trackingHandler, 'timing-tracking', { waybill: 'JH20261123001' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({ found: 'false', lookupStatus: 'error' });
  });
});

describe('a caller on an office line (no SMS reaches it)', () => {
  const OFFICE = '+861065529901';
  const MOBILE = '+8613877770002';
  const OFFICE_ONLY = '+861065529902';
  beforeAll(async () => {
    const contact = (id: string, phones: { number: string; label: 'mobile' | 'office' }[]) => ({
      id,
      name: '钱伟',
      phones,
      consent: { calls: true, sms: true, email: true },
    });
    const body = accountBody({
      name: '京华仓储',
      nameEn: 'Jinghua Warehousing',
      contacts: [
        contact('office-and-mobile', [
          { number: OFFICE, label: 'office' },
          { number: MOBILE, label: 'mobile' },
        ]),
        contact('office-only', [{ number: OFFICE_ONLY, label: 'office' }]),
      ],
    });
    await new Accounts(direct, TABLE_NAME()).save('acc-ivr-office', AccountInput.parse(body));
  });
  const call = (handler: Handler, from: string, contactId: string, parameters = {}) =>
    handler(contactFlowEvent({ from, contactId, parameters }), { getRemainingTimeInMillis: () => 5000 });
  const textsTo = (to: string) => sms.sent.filter((m) => m.to === to);

  it('is texted the complaint’s reference on their mobile, as promised, not on the office line', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const answer = await call(complaintHandler, OFFICE, 'office-complaint', { category: '1' });
    expect(answer).toMatchObject({ recorded: 'pending', prompt: t('zh-CN', 'ivr.complaint.pending') });
    proxy.reset();
    await HANDOFF_QUEUE().drained();
    const [filed] = await complaints.listByAccount('acc-ivr-office');
    expect(textsTo(MOBILE).map((m) => m.text)).toEqual([expect.stringContaining(filed?.reference ?? '?')]);
    expect(textsTo(OFFICE)).toEqual([]);
  });

  it('is texted the callback’s time on their mobile, and called back on the line they called from', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const before = textsTo(MOBILE).length;
    const answer = await call(callbackHandler, OFFICE, 'office-callback');
    expect(answer).toMatchObject({ scheduled: 'pending', prompt: t('zh-CN', 'ivr.callback.pending') });
    proxy.reset();
    await HANDOFF_QUEUE().drained();
    const booked = (await campaigns.listCallbacks('customer-callbacks')).filter((c) => c.phone === OFFICE);
    expect(booked).toHaveLength(1);
    // The outbox keeps the newest first.
    expect(
      textsTo(MOBILE)
        .slice(0, textsTo(MOBILE).length - before)
        .map((m) => m.text),
    ).toEqual([expect.stringContaining('回电')]);
    expect(textsTo(OFFICE)).toEqual([]);
  });

  it('with no mobile on file, is not promised a text: told it could not be confirmed, and put through', async () => {
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const sent = HANDOFF_QUEUE().sent.length;
    const complaint = await call(complaintHandler, OFFICE_ONLY, 'office-only-complaint', { category: '1' });
    expect(complaint).toMatchObject({
      recorded: 'false',
      lookupStatus: 'unconfirmed',
      prompt: t('zh-CN', 'ivr.complaint.unconfirmed'),
    });
    const callback = await call(callbackHandler, OFFICE_ONLY, 'office-only-callback');
    expect(callback).toMatchObject({ scheduled: 'false', prompt: t('zh-CN', 'ivr.callback.unconfirmed') });
    expect(HANDOFF_QUEUE().sent.length).toBe(sent);
    expect(textsTo(OFFICE_ONLY)).toEqual([]);
  });
});

describe('when the hand-off fails too', () => {
  it('says it could not confirm and transfers, rather than claim the complaint was not recorded', async () => {
    await HANDOFF_QUEUE().stop();
    proxy.fault = { ops: ['TransactWriteItems'], fail: 'server-error' };
    const { answer, ms } = await invoke(complaintHandler, 'timing-unconfirmed', { category: '1' });
    expect(ms).toBeLessThan(FLOW_TIMEOUT_MS);
    expect(answer).toMatchObject({
      recorded: 'false',
      lookupStatus: 'unconfirmed',
      prompt: t('zh-CN', 'ivr.complaint.unconfirmed'),
    });
  });
});
