/**
 * An IVR hand-off redelivered, or redriven from its dead-letter queue by an operator, long after
 * it was finished: nothing is booked or texted twice, and a call that handed off both a complaint
 * and a callback texts both. Against DynamoDB Local (this file's own table).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxSmsSender } from '#local/adapters.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Complaints } from '#shared/complaints/service.ts';
import { completeHandoff, IvrHandoffMessage } from '#shared/inbound/handoff-worker.ts';
import { Confirmations } from '#shared/notify/confirmations.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const sms = new OutboxSmsSender();
const campaigns = new Campaigns(db, TABLE_NAME());
const complaints = new Complaints(db, TABLE_NAME(), campaigns);
const deps = () => ({
  accounts: new AccountRepo(db, TABLE_NAME()),
  campaigns,
  complaints,
  confirmations: new Confirmations(db, TABLE_NAME(), sms),
});
const ACCOUNT = 'acc-ivr-redrive';
const PHONE = '+8613877770091';

beforeAll(async () => {
  const body = accountBody({
    contacts: [
      {
        id: 'redrive-contact',
        name: '吴倩',
        phones: [{ number: PHONE, label: 'mobile' }],
        consent: { calls: true, sms: true, email: true },
      },
    ],
  });
  await new Accounts(db, TABLE_NAME()).save(ACCOUNT, AccountInput.parse(body));
});

const callbackMessage = (connectContactId: string) =>
  IvrHandoffMessage.parse({
    kind: 'ivr-callback',
    connectContactId,
    request: { accountId: ACCOUNT, contactId: 'redrive-contact', phone: PHONE, language: 'zh-CN' },
  });
const textsFor = (phone: string) => sms.sent.filter((m) => m.to === phone);
const callbacksFor = async (phone: string) =>
  (await campaigns.listCallbacks('customer-callbacks')).filter((c) => c.phone === phone);

describe('an IVR hand-off delivered again after it was finished', () => {
  it('books no second callback when redriven after the first one ended', async () => {
    const first = await completeHandoff(deps(), callbackMessage('redrive-cb-1'));
    expect(textsFor(PHONE)).toHaveLength(1);
    // The callback is placed (or expires) and ends: the number's pending slot is free again.
    const booked = await campaigns.requireCallback(first.id);
    expect(await campaigns.callbacks.end(booked, 'expired', { note: 'ended', now: new Date() })).toBe(true);
    // An operator redrives the DLQ (the worker had failed after the text, say): the same request.
    const again = await completeHandoff(deps(), callbackMessage('redrive-cb-1'));
    expect(again.id).toBe(first.id);
    expect((await callbacksFor(PHONE)).map((c) => [c.id, c.state])).toEqual([[first.id, 'expired']]);
    expect(textsFor(PHONE)).toHaveLength(1);
  });

  it('texts both when one call handed off a complaint and a callback', async () => {
    const phone = PHONE;
    const before = textsFor(phone).length;
    const contactId = 'redrive-both-1';
    await completeHandoff(
      deps(),
      IvrHandoffMessage.parse({
        kind: 'ivr-complaint',
        connectContactId: contactId,
        request: {
          accountId: ACCOUNT,
          phone,
          language: 'zh-CN',
          input: {
            accountId: ACCOUNT,
            contactId: 'redrive-contact',
            category: 'delay',
            severity: 'medium',
            channel: 'ivr',
            description: '电话语音投诉',
          },
        },
      }),
    );
    const cb = await completeHandoff(deps(), callbackMessage(contactId));
    const texts = textsFor(phone).slice(0, textsFor(phone).length - before);
    expect(texts).toHaveLength(2);
    expect(texts.map((m) => m.text).join('\n')).toMatch(/投诉/);
    expect((await callbacksFor(phone)).map((c) => c.id)).toContain(cb.id);
  });
});
