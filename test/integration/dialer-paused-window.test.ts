/**
 * A campaign a lead paused (or cancelled) in the middle of a run gets its claimed callback back
 * untouched (or ended cancelled), whatever its window: a window that does not open again within
 * the horizon ends a callback failed only once the campaign is read at the moment of the call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import { runDialer } from '#shared/campaigns/dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { RecordingDialer } from '../support/dialer.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
const accounts = () => new Accounts(db, TABLE_NAME());
beforeAll(() => {
  process.env.AWS_REGION ??= 'cn-north-1';
});
afterAll(() => db.destroy());

/**
 * A campaign whose callback's window (Mondays 09:00–18:00 in Auckland, the next two Mondays
 * holidays) does not open again within the horizon when the run comes, and a dialer run during
 * which the lead presses `action` just as the run claims that callback.
 */
async function actedOnMidRun(accountId: string, number: string, name: string, action: 'pause' | 'cancel') {
  // Monday 2027-01-04 in Auckland (NZDT, +13). Created at 10:00 (the window open); the run comes
  // at 22:00.
  const created = new Date('2027-01-03T21:00:00Z');
  const T = new Date('2027-01-04T09:00:00Z');
  const { account } = await accounts().save(
    accountId,
    AccountInput.parse(
      accountBody({
        contacts: [
          {
            id: 'c-nz',
            name: '新西兰联系人',
            timeZone: 'Pacific/Auckland',
            phones: [{ number, label: 'mobile' as const }],
            consent: { calls: true, sms: true, email: true },
          },
        ],
      }),
    ),
    { now: created },
  );
  const parsed = CampaignInput.parse({
    name,
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

  // The run lists the campaign running; the lead acts just as it claims the callback.
  const claim = campaigns.callbacks.claim.bind(campaigns.callbacks);
  let acted = false;
  campaigns.callbacks.claim = async (...args) => {
    if (!acted) {
      acted = true;
      await new Campaigns(db, TABLE_NAME()).control(c.id, action, T);
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
  return { campaigns, c, dialer, acted };
}

describe('a campaign paused mid-run, its claimed callback outside a window that reopens only after the horizon', () => {
  it('goes back to waiting for the resume, not ended failed', async () => {
    const { campaigns, c, dialer, acted } = await actedOnMidRun(
      'acc-review-paused-window',
      '+8613950009901',
      'paused window review',
      'pause',
    );
    expect(acted).toBe(true);
    expect(dialer.calls).toHaveLength(0);
    expect((await campaigns.requireCampaign(c.id)).status).toBe('paused');
    // Paused, not over: the callback waits for the resume, as the moment-of-call rule promises.
    const [after] = await campaigns.listCallbacks(c.id);
    expect(after?.state).toBe('scheduled');
    expect((await campaigns.requireCampaign(c.id)).counts.failed ?? 0).toBe(0);
  });
  it('a campaign cancelled the same way ends the claimed callback cancelled, not failed', async () => {
    const { campaigns, c, dialer, acted } = await actedOnMidRun(
      'acc-review-cancelled-window',
      '+8613950009903',
      'cancelled window review',
      'cancel',
    );
    expect(acted).toBe(true);
    expect(dialer.calls).toHaveLength(0);
    expect((await campaigns.requireCampaign(c.id)).status).toBe('cancelled');
    // Cancelled: the claimed callback ends cancelled (call-moment.ts), counted with the campaign's cancellations.
    const [after] = await campaigns.listCallbacks(c.id);
    expect(after?.state).toBe('cancelled');
    expect((await campaigns.requireCampaign(c.id)).counts.failed ?? 0).toBe(0);
  });
});
