import { beforeAll, describe, expect, it } from 'vitest';
import { accountRoutes } from '#functions/accounts/routes.ts';
import { complaintRoutes } from '#functions/complaints/routes.ts';
import { screenPopRoutes } from '#functions/screen-pop-api/routes.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { demoWaybill } from '#local/demo/shipments.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { CallLog } from '#shared/inbound/directory.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { loadDemo } from '../support/demo.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let card: ReturnType<typeof apiClient>;
let accounts: ReturnType<typeof apiClient>;
let screenPop: (e: unknown) => Promise<Record<string, string>>;

beforeAll(async () => {
  await loadDemo();
  card = apiClient((await import('#functions/screen-pop-api/handler.ts')).handler, screenPopRoutes);
  accounts = apiClient((await import('#functions/accounts/handler.ts')).handler, accountRoutes);
  screenPop = (await import('#functions/screen-pop/handler.ts')).handler;
});

describe('screen-pop card API against DynamoDB Local', () => {
  it('builds the full card for a key-account caller', async () => {
    await screenPop(contactFlowEvent({ from: '+8613910012001', contactId: 'card-call-1' }));
    const res = await card('GET', '/screen-pop?phone=%2B8613910012001');
    expect(res.status).toBe(200);
    const c = res.json;
    expect(c).toMatchObject({ lookupStatus: 'ok', phone: '+8613910012001', routingQueue: 'ka-grain-oil' });
    expect(c.account).toMatchObject({
      id: 'acc-jinhe-grain',
      derived: { tier: 'key', reviewQuadrant: 'grow' },
    });
    expect(c.contact).toMatchObject({ name: '赵敏' });
    expect(c.stats).toEqual({ openComplaints: 0, delayedShipments: 2, inTransitShipments: 5 });
    expect(c.shipments).toHaveLength(5);
    expect(c.shipments.slice(0, 2).map((s: { delayed: boolean }) => s.delayed)).toEqual([true, true]);
    expect(c.shipments[0]).toMatchObject({
      waybill: demoWaybill(0, 0),
      delayReason: 'exception',
      exceptionReason: 'weather',
    });
    expect(c.kpis.delivered).toBeGreaterThan(15);
    expect(c.kpis.onTimeRate).toBeGreaterThan(0.7);
    expect(c.kpis.perfectOrderRate).toBeLessThanOrEqual(c.kpis.onTimeRate);
    expect(c.recentCalls.map((x: { connectContactId: string }) => x.connectContactId)).toContain(
      'card-call-1',
    );
    expect(c.actions[0]).toMatchObject({ code: 'explain-delay-offer-callback', urgency: 'high' });
    expect(c.actions[0].zh).toContain(demoWaybill(0, 0));
  });

  it('marks a switchboard several contacts of one account share ambiguous, naming them to ask for', async () => {
    const board = '+862166661234';
    await new Accounts(createDocumentClient(), TABLE_NAME()).save(
      'acc-switchboard',
      AccountInput.parse(
        accountBody({
          contacts: [
            { id: 'sb-qian', name: '钱总', phones: [{ number: board }] },
            { id: 'sb-sun', name: '孙经理', phones: [{ number: board }] },
          ],
        }),
      ),
    );
    const attrs = await screenPop(contactFlowEvent({ from: board }));
    expect(attrs).toMatchObject({ known: 'true', lookupStatus: 'ambiguous', accountId: 'acc-switchboard' });
    const c = (await card('GET', `/screen-pop?phone=${encodeURIComponent(board)}`)).json;
    expect(c.lookupStatus).toBe('ambiguous');
    const shown = c.contact.id;
    expect(
      c.otherMatches.map((m: { accountId: string; contactId: string }) => [m.accountId, m.contactId]),
    ).toEqual([['acc-switchboard', shown === 'sb-qian' ? 'sb-sun' : 'sb-qian']]);
    const codes = c.actions.map((a: { code: string }) => a.code);
    expect(codes).toContain('confirm-contact');
    expect(codes).not.toContain('confirm-account');
  });

  it('marks a shared number ambiguous and lists the other accounts', async () => {
    const c = (await card('GET', `/screen-pop?phone=${encodeURIComponent('021 5888 1234')}`)).json;
    expect(c.lookupStatus).toBe('ambiguous');
    expect(c.account.id).toBe('acc-cuile-snacks');
    expect(c.otherMatches.map((m: { accountId: string }) => m.accountId).sort()).toEqual([
      'acc-haichuan-forwarding',
      'acc-huacai-paints',
    ]);
    expect(c.actions.map((a: { code: string }) => a.code)).toContain('confirm-account');
  });

  it('reads the calling number the desktop passes in any form the screen pop read it in', async () => {
    // The softphone may hand over the endpoint as a SIP or tel URI, or a trunk's +86 0… form:
    // the screen pop knew the caller, so the card must load, for the same contact.
    for (const phone of [
      'sip:+8613910012001@trunk.example.com',
      'tel:+8613910012001',
      '0086 139 1001 2001',
      '8613910012001',
    ]) {
      const attrs = await screenPop(contactFlowEvent({ from: phone }));
      expect(attrs).toMatchObject({ known: 'true', accountId: 'acc-jinhe-grain', contactName: '赵敏' });
      const res = await card(
        'GET',
        `/accounts/acc-jinhe-grain/screen-pop?phone=${encodeURIComponent(phone)}`,
      );
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ phone: '+8613910012001', contact: { name: '赵敏' } });
      expect((await card('GET', `/screen-pop?phone=${encodeURIComponent(phone)}`)).json.account.id).toBe(
        'acc-jinhe-grain',
      );
    }
  });

  it('answers an unknown number with an unknown card', async () => {
    expect((await card('GET', '/screen-pop?phone=13700000000')).json).toMatchObject({
      lookupStatus: 'unknown',
      phone: '+8613700000000',
      shipments: [],
    });
  });

  it('answers 400 for a number that is not a phone number and 404 for an unknown account', async () => {
    const bad = await card('GET', '/screen-pop?phone=12345');
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { path: 'query.phone', message: '"12345" is not a valid phone number for region CN' },
    ]);
    expect((await card('GET', '/accounts/acc-nope/screen-pop')).status).toBe(404);
    // Asked in Chinese, the number's refusal is in Chinese too (by number and for an account).
    const zh = { 'accept-language': 'zh-CN' };
    for (const url of ['/screen-pop?phone=12345', '/accounts/acc-kangtai-pharma/screen-pop?phone=12345']) {
      const refused = await card('GET', url, undefined, zh);
      expect(refused.status).toBe(400);
      expect(refused.json.errors).toEqual([
        { path: 'query.phone', message: '"12345" 不是有效的电话号码（按地区 CN 解读）' },
      ]);
    }
  });

  it('counts only the account’s own calls in, not our dials or skips, as repeat calling', async () => {
    const id = 'acc-kangtai-pharma';
    const codes = async () =>
      (await card('GET', `/accounts/${id}/screen-pop`)).json.actions.map((a: { code: string }) => a.code);
    expect(await codes()).not.toContain('take-ownership-repeat-caller');
    const log = new CallLog(createDocumentClient(), TABLE_NAME());
    const at = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    // Our callback campaign dialled twice and skipped once: the client has not called at all.
    for (const [m, outcome] of [
      [30, 'dialed'],
      [20, 'dialed'],
      [10, 'skipped'],
    ] as const)
      await log.record({
        at: at(m),
        e164: '+8613700000009',
        accountId: id,
        direction: 'outbound',
        callbackId: `cb-repeat-${m}`,
        outcome,
      });
    expect(await codes()).not.toContain('take-ownership-repeat-caller');
    // The client called three times this morning, then a campaign dialled them twelve times since:
    // their calls are still counted, and the card still shows the ten newest calls.
    for (const m of [300, 290, 280])
      await log.record({
        at: at(m),
        e164: '+8613700000009',
        accountId: id,
        direction: 'inbound',
        connectContactId: `c-repeat-in-${m}`,
        lookupStatus: 'ok',
      });
    for (let m = 200; m > 80; m -= 10)
      await log.record({
        at: at(m),
        e164: '+8613700000009',
        accountId: id,
        direction: 'outbound',
        callbackId: `cb-repeat-many-${m}`,
        outcome: 'dialed',
      });
    const after = (await card('GET', `/accounts/${id}/screen-pop`)).json;
    expect(after.actions.map((a: { code: string }) => a.code)).toContain('take-ownership-repeat-caller');
    expect(after.recentCalls).toHaveLength(10);
  });

  it('attaches an unknown caller’s number to a contact, after which the screen pop knows them', async () => {
    const before = await screenPop(contactFlowEvent({ from: '+8613700000001' }));
    expect(before.known).toBe('false');
    const res = await accounts('POST', '/accounts/acc-kangtai-pharma/contacts/kangtai-guo/phones', {
      number: '137 0000 0001',
    });
    expect(res.status).toBe(200);
    expect(res.json.phones.map((p: { e164: string }) => p.e164)).toContain('+8613700000001');
    const after = await screenPop(contactFlowEvent({ from: '+8613700000001' }));
    expect(after).toMatchObject({ known: 'true', accountId: 'acc-kangtai-pharma', contactName: '郭婧' });
    const again = await accounts('POST', '/accounts/acc-kangtai-pharma/contacts/kangtai-guo/phones', {
      number: '+8613700000001',
    });
    expect(again.json.phones).toHaveLength(2);
    // The number as the softphone handed it over (a SIP URI) attaches as the number itself.
    const sip = await accounts('POST', '/accounts/acc-kangtai-pharma/contacts/kangtai-guo/phones', {
      number: 'sip:+8613700000003@trunk.example.com',
    });
    expect(sip.status).toBe(200);
    expect(sip.json.phones.map((p: { e164: string }) => p.e164)).toContain('+8613700000003');
    expect(await screenPop(contactFlowEvent({ from: 'sip:+8613700000003@trunk.example.com' }))).toMatchObject(
      {
        known: 'true',
        accountId: 'acc-kangtai-pharma',
      },
    );
    expect(
      (
        await accounts('POST', '/accounts/acc-kangtai-pharma/contacts/nobody/phones', {
          number: '13700000002',
        })
      ).status,
    ).toBe(404);
  });
});

describe('the desk feed', () => {
  type Section = { tag: string; items?: { id?: string; contactId?: string; sla?: { current: string } }[] };
  it('answers complaints, campaigns and the caller journal in one request, and only what changed', async () => {
    const complaintsApi = apiClient(
      (await import('#functions/complaints/handler.ts')).handler,
      complaintRoutes,
    );
    const filed = await complaintsApi('POST', '/complaints', {
      accountId: 'acc-jinhe-grain',
      contactId: 'jinhe-zhao',
      category: 'delay',
      severity: 'critical',
      description: '天津仓到北京的食用油晚到一天。',
    });
    expect(filed.status).toBe(201);
    await screenPop(contactFlowEvent({ from: '+8613910012001', contactId: 'desk-call-1' }));
    const first = await card('GET', '/desk');
    expect(first.status).toBe(200);
    const { complaints, campaigns, calls } = first.json as Record<string, Section>;
    expect(complaints?.items?.map((c) => c.id)).toContain(filed.json.id);
    expect(Array.isArray(campaigns?.items)).toBe(true);
    expect(calls?.items?.map((c) => c.contactId)).toContain('desk-call-1');
    // Holding every tag: nothing changed, no items.
    const have = `complaints.${complaints?.tag},campaigns.${campaigns?.tag},calls.${calls?.tag}`;
    const same = await card('GET', `/desk?have=${encodeURIComponent(have)}`);
    expect(same.json).toEqual({
      complaints: { tag: complaints?.tag },
      campaigns: { tag: campaigns?.tag },
      calls: { tag: calls?.tag },
    });
    // A new call: only the journal comes back with items.
    await screenPop(contactFlowEvent({ from: '+8613910012002', contactId: 'desk-call-2' }));
    const next = (await card('GET', `/desk?have=${encodeURIComponent(have)}`)).json as Record<
      string,
      Section
    >;
    expect(next.complaints?.items).toBeUndefined();
    expect(next.calls?.tag).not.toBe(calls?.tag);
    expect(next.calls?.items?.map((c) => c.contactId)).toContain('desk-call-2');
  });

  it('filters the complaints as /complaints does, and says which field is wrong', async () => {
    const breached = (await card('GET', '/desk?sla=breached')).json.complaints as Section;
    expect(breached.items?.every((c) => c.sla?.current === 'breached')).toBe(true);
    const bad = await card('GET', '/desk?have=complaints');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('query.have');
    const zh = await card('GET', '/desk?have=complaints', undefined, { 'accept-language': 'zh-CN' });
    expect(zh.json.errors).toEqual([
      { path: 'query.have', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
    ]);
  });
});
