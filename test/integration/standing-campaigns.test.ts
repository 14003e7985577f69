/**
 * Standing campaigns (customer callbacks, complaint follow-ups…) are never steered by a lead: a
 * caller promised a callback gets it. And a calling window that never opens again ends its
 * callback with a reason, in the dialer and on a contact event, instead of failing the run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import { newCallback } from '#shared/campaigns/callback.ts';
import type { Dialer } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { type Callback, CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { STANDING_CAMPAIGNS } from '#shared/campaigns/standing.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { RecordingDialer } from '../support/dialer.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

const db = createDocumentClient();
const campaigns = () => new Campaigns(db, TABLE_NAME());
const accounts = () => new Accounts(db, TABLE_NAME());
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
});

/** Mondays 10:00 in Shanghai, one per test, so no test finds another's due work. */
const monday = (week: number) => new Date(Date.parse('2026-11-23T02:00:00Z') + week * 7 * 86_400_000);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

const dial = (dialer: Dialer, now: Date) =>
  runDialer(
    { campaigns: campaigns(), accounts: accounts().repo, dialer },
    { quotaPerSecond: 50, burst: 50, maxRunMs: 60_000, now: () => new Date(now), sleep: async () => {} },
  );

let seq = 0;
type ContactBody = NonNullable<z.input<typeof AccountInput>['contacts']>[number];

async function freshAccount(): Promise<AccountWithContacts> {
  const k = ++seq;
  const id = `acc-standing-${k}`;
  const contacts: ContactBody[] = [
    {
      id: `c-standing-${k}`,
      name: `联系人${k}`,
      phones: [{ number: `+86139${String(31_000_000 + k)}`, label: 'mobile' }],
      consent: { calls: true, sms: true, email: true },
    },
  ];
  const { account } = await accounts().save(id, AccountInput.parse(accountBody({ contacts })), {
    now: monday(0),
  });
  return account;
}

const targetOf = (a: AccountWithContacts) => {
  const contact = a.contacts[0];
  if (!contact?.phones[0]) throw new Error('no contact');
  return { account: a, contact, phone: contact.phones[0].e164, timeZone: 'Asia/Shanghai' };
};

describe('a standing campaign', () => {
  it.each([
    ['cancel', 'en', /standing campaign/],
    ['pause', 'zh-CN', /常设活动/],
    ['resume', 'en', /cannot be paused, resumed or cancelled/],
  ])('refuses to %s over HTTP (409, saying why in %s) and keeps running', async (action, lang, words) => {
    await campaigns().ensureStanding('customer-callbacks', monday(0));
    const res = await api(
      'POST',
      '/campaigns/customer-callbacks/actions',
      { action },
      { 'accept-language': lang },
    );
    expect(res.status).toBe(409);
    expect(res.json.message).toMatch(words);
    expect((await campaigns().requireCampaign('customer-callbacks')).status).toBe('running');
  });

  it.each(Object.keys(STANDING_CAMPAIGNS))('refuses a cancel of %s', async (id) => {
    await campaigns().ensureStanding(id as keyof typeof STANDING_CAMPAIGNS, monday(0));
    await expect(campaigns().control(id, 'cancel', monday(0))).rejects.toMatchObject({
      problem: 'illegal-transition',
    });
  });

  it('dials a callback the caller asked for in the IVR, whatever a lead tried on the campaign', async () => {
    const T = monday(3);
    await campaigns().ensureStanding('customer-callbacks', T);
    await campaigns()
      .control('customer-callbacks', 'cancel', T)
      .catch(() => undefined);
    const fresh = new Campaigns(db, TABLE_NAME()); // a new Lambda container, nothing cached
    const booked = await fresh.requestCallback(targetOf(await freshAccount()), T);
    expect(booked.created).toBe(true);
    const dialer = new RecordingDialer();
    for (let i = 0; i < 3; i++) await dial(dialer, plus(T, 1 + i * 3));
    expect(dialer.calls.map((d) => d.callbackId)).toContain(booked.callback.id);
  });

  it('is started again when found stopped (cancelled before this was refused), so its bookings are dialed', async () => {
    const T = monday(4);
    const store = campaigns();
    await store.ensureStanding('retention-calls', T);
    // As a lead could do before: the stored campaign cancelled, in the sweep.
    const stored = await store.requireCampaign('retention-calls');
    expect(await store.repo.setStatus(stored, 'cancelled', T)).toBe(true);
    const fresh = new Campaigns(db, TABLE_NAME());
    const cb = await fresh.standingTargetCallback('retention-calls', targetOf(await freshAccount()), T);
    expect((await fresh.requireCampaign('retention-calls')).status).toBe('running');
    await fresh.callbacks.book(cb);
    const dialer = new RecordingDialer();
    await dial(dialer, plus(T, 1));
    expect(dialer.calls.map((d) => d.callbackId)).toContain(cb.id);
    expect((await fresh.requireCallback(cb.id)).state).toBe('dialed');
  });
});

describe('a calling window that never opens again', () => {
  /** Sundays only, with the coming Sundays holidays: from `at`, it does not open in 15 days. */
  const shut = (at: Date) => {
    const sundays: string[] = [];
    for (let i = 0; i <= 20; i++) {
      const d = new Date(at.getTime() + i * 86_400_000);
      if (d.getUTCDay() === 0) sundays.push(d.toISOString().slice(0, 10));
    }
    return { days: [7], start: '09:00', end: '18:00', holidays: sundays };
  };

  async function campaignWith(T: Date) {
    const a = await freshAccount();
    const input = CampaignInput.parse({
      name: `shut window ${++seq}`,
      type: 'account-review',
      audience: { accountIds: [a.id] },
      startNow: true,
    });
    const { targets, excluded } = await resolveAudience(accounts(), input.audience, input.type);
    const c = await campaigns().createCampaign(input, targets, excluded, 'test', T);
    return { c, a };
  }

  it('ends the callback failed, saying why, and the dialer run goes on with the others', async () => {
    const T = monday(5);
    const { c, a } = await campaignWith(T);
    // A callback stored with such a window (as one could be before windows were checked).
    const t = targetOf(a);
    const subject = {
      accountId: a.id,
      contactId: t.contact.id,
      phone: t.phone,
      timeZone: t.timeZone,
      language: 'zh-CN',
      rank: 0,
    };
    const bad: Callback = { ...newCallback(c, subject, T, `${c.id}-shut`), window: shut(T) };
    await campaigns().callbacks.book(bad);
    const dialer = new RecordingDialer();
    const run = await dial(dialer, plus(T, 1));
    const after = await campaigns().requireCallback(bad.id);
    expect(after.state).toBe('failed');
    expect(after.notes).toMatch(/does not open again in the next 15 days/);
    // The campaign's own callback was dialed in the same run.
    expect(dialer.calls.map((d) => d.callbackId)).not.toContain(bad.id);
    expect(dialer.calls.some((d) => d.attributes.campaignId === c.id)).toBe(true);
    expect(run.failed).toBeGreaterThanOrEqual(1);
  });

  it('ends a no-answer callback failed instead of failing the contact event', async () => {
    const T = monday(6);
    const { c } = await campaignWith(T);
    const [cb] = await campaigns().listCallbacks(c.id);
    if (!cb) throw new Error('no callback');
    const dialer = new RecordingDialer();
    await dial(dialer, plus(T, 1));
    const dialed = await campaigns().requireCallback(cb.id);
    expect(dialed.state).toBe('dialed');
    // Its window as stored turns shut (older data): the retry has nowhere to go.
    await campaigns().callbacks.book({ ...dialed, window: shut(T) });
    const to = await campaigns().applyOutcome(cb.id, 1, 'no-answer', plus(T, 5));
    expect(to).toBe('failed');
    const after = await campaigns().requireCallback(cb.id);
    expect(after.notes).toMatch(/呼叫时段在未来 15 天内不再开放/);
  });
});
