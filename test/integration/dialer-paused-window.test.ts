/**
 * A campaign a lead paused (or cancelled) in the middle of a run gets its claimed callback back
 * untouched (or ended cancelled), whatever its window: a window that does not open again within
 * the horizon ends a callback failed only once the campaign is read at the moment of the call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import type { Dialer, DialRequest } from '#shared/campaigns/connect-dialer.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const accounts = () => new Accounts(db, TABLE_NAME());
beforeAll(() => {
  process.env.AWS_REGION ??= 'cn-north-1';
});
afterAll(() => db.destroy());

class RecordingDialer implements Dialer {
  readonly calls: DialRequest[] = [];
  async dial(req: DialRequest) {
    this.calls.push(req);
    return { contactId: `contact-${req.callbackId}-${req.attempt}` };
  }
}

describe('a campaign paused mid-run, its claimed callback outside a window that reopens only after the horizon', () => {
  it('goes back to waiting for the resume, not ended failed', async () => {
    // Monday 2027-01-04 in Auckland (NZDT, +13): the window is Mondays 09:00–18:00, and the next
    // two Mondays are holidays. Created at 10:00 (the window open); the run comes at 22:00.
    const created = new Date('2027-01-03T21:00:00Z');
    const T = new Date('2027-01-04T09:00:00Z');
    const { account } = await accounts().save(
      'acc-review-paused-window',
      AccountInput.parse(
        accountBody({
          contacts: [
            {
              id: 'c-nz',
              name: '新西兰联系人',
              timeZone: 'Pacific/Auckland',
              phones: [{ number: '+8613950009901', label: 'mobile' as const }],
              consent: { calls: true, sms: true, email: true },
            },
          ],
        }),
      ),
      { now: created },
    );
    const parsed = CampaignInput.parse({
      name: 'paused window review',
      type: 'account-review',
      audience: { accountIds: [account.id], onePerAccount: false },
      startNow: true,
      dailyCapPerRecipient: 10,
      window: { days: [1], start: '09:00', end: '18:00', holidays: ['2027-01-11', '2027-01-18'] },
      pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
    });
    const { targets, excluded } = await resolveAudience(accounts(), parsed.audience, parsed.type);
    const campaigns = new Campaigns(db, TABLE_NAME());
    const c = await campaigns.createCampaign(parsed, targets, excluded, 'test', created);
    const [before] = await campaigns.listCallbacks(c.id);
    expect(before).toMatchObject({ state: 'scheduled', timeZone: 'Pacific/Auckland' });

    // The run lists the campaign running; the lead presses "pause" just as it claims the callback.
    const claim = campaigns.callbacks.claim.bind(campaigns.callbacks);
    let paused = false;
    campaigns.callbacks.claim = async (...args) => {
      if (!paused) {
        paused = true;
        await new Campaigns(db, TABLE_NAME()).control(c.id, 'pause', T);
      }
      return claim(...args);
    };
    let clock = T.getTime();
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns, accounts: accounts().repo, dialer },
      {
        quotaPerSecond: 2,
        burst: 5,
        maxRunMs: 50_000,
        maxConcurrency: 1,
        now: () => new Date(clock),
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    expect(paused).toBe(true);
    expect(dialer.calls).toHaveLength(0);
    expect((await campaigns.requireCampaign(c.id)).status).toBe('paused');
    // Paused, not over: the callback waits for the resume, as the moment-of-call rule promises.
    const [after] = await campaigns.listCallbacks(c.id);
    expect(after?.state).toBe('scheduled');
    expect((await campaigns.requireCampaign(c.id)).counts.failed ?? 0).toBe(0);
  });
  it('a campaign cancelled the same way ends the claimed callback cancelled, not failed', async () => {
    // Monday 2027-01-04 in Auckland (NZDT, +13): the window is Mondays 09:00–18:00, and the next
    // two Mondays are holidays. Created at 10:00 (the window open); the run comes at 22:00.
    const created = new Date('2027-01-03T21:00:00Z');
    const T = new Date('2027-01-04T09:00:00Z');
    const { account } = await accounts().save(
      'acc-review-cancelled-window',
      AccountInput.parse(
        accountBody({
          contacts: [
            {
              id: 'c-nz',
              name: '新西兰联系人',
              timeZone: 'Pacific/Auckland',
              phones: [{ number: '+8613950009903', label: 'mobile' as const }],
              consent: { calls: true, sms: true, email: true },
            },
          ],
        }),
      ),
      { now: created },
    );
    const parsed = CampaignInput.parse({
      name: 'cancelled window review',
      type: 'account-review',
      audience: { accountIds: [account.id], onePerAccount: false },
      startNow: true,
      dailyCapPerRecipient: 10,
      window: { days: [1], start: '09:00', end: '18:00', holidays: ['2027-01-11', '2027-01-18'] },
      pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
    });
    const { targets, excluded } = await resolveAudience(accounts(), parsed.audience, parsed.type);
    const campaigns = new Campaigns(db, TABLE_NAME());
    const c = await campaigns.createCampaign(parsed, targets, excluded, 'test', created);
    const [before] = await campaigns.listCallbacks(c.id);
    expect(before).toMatchObject({ state: 'scheduled', timeZone: 'Pacific/Auckland' });

    // The run lists the campaign running; the lead presses "pause" just as it claims the callback.
    const claim = campaigns.callbacks.claim.bind(campaigns.callbacks);
    let paused = false;
    campaigns.callbacks.claim = async (...args) => {
      if (!paused) {
        paused = true;
        await new Campaigns(db, TABLE_NAME()).control(c.id, 'cancel', T);
      }
      return claim(...args);
    };
    let clock = T.getTime();
    const dialer = new RecordingDialer();
    await runDialer(
      { campaigns, accounts: accounts().repo, dialer },
      {
        quotaPerSecond: 2,
        burst: 5,
        maxRunMs: 50_000,
        maxConcurrency: 1,
        now: () => new Date(clock),
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    expect(paused).toBe(true);
    expect(dialer.calls).toHaveLength(0);
    expect((await campaigns.requireCampaign(c.id)).status).toBe('cancelled');
    // Cancelled: the claimed callback ends cancelled (call-moment.ts), counted with the campaign's cancellations.
    const [after] = await campaigns.listCallbacks(c.id);
    expect(after?.state).toBe('cancelled');
    expect((await campaigns.requireCampaign(c.id)).counts.failed ?? 0).toBe(0);
  });
});
