import type * as z from 'zod';
import { AccountInput, type AccountWithContacts } from '#shared/accounts/model.ts';
import type { Accounts } from '#shared/accounts/service.ts';
import { resolveAudience } from '#shared/campaigns/audience.ts';
import type { Dialer, DialRequest } from '#shared/campaigns/connect-dialer.ts';
import { CampaignInput } from '#shared/campaigns/model.ts';
import type { Campaigns } from '#shared/campaigns/service.ts';
import { accountBody } from './fixtures.ts';

/**
 * Connect as the dialer tests see it: every call accepted, recorded in order, its contact id made
 * from the callback and the attempt; `onDial` runs while the call is being placed.
 */
export class RecordingDialer implements Dialer {
  readonly calls: DialRequest[] = [];
  onDial?: (req: DialRequest) => Promise<void>;
  async dial(req: DialRequest) {
    this.calls.push(req);
    await this.onDial?.(req);
    return { contactId: `contact-${req.callbackId}-${req.attempt}` };
  }
}

type ContactBody = NonNullable<z.input<typeof AccountInput>['contacts']>[number];

/**
 * A dialer test file's own accounts and campaigns: each account new (its contacts' mobiles from
 * `numbersFrom`, so files never share a number), each campaign an account review that starts at
 * once with room to dial everyone (`input` on top).
 */
export function dialerBook(o: {
  tag: string;
  numbersFrom: number;
  savedAt: Date;
  accounts: () => Accounts;
  campaigns: () => Campaigns;
}) {
  let seq = 0;
  return {
    async freshAccount(n = 1): Promise<AccountWithContacts> {
      const k = ++seq;
      const list: ContactBody[] = Array.from({ length: n }, (_, i) => ({
        id: `c-${k}-${i}`,
        name: `联系人${k}-${i}`,
        phones: [{ number: `+86139${String(o.numbersFrom + k * 100 + i)}`, label: 'mobile' as const }],
        consent: { calls: true, sms: true, email: true },
      }));
      const { account } = await o
        .accounts()
        .save(`acc-${o.tag}-${k}`, AccountInput.parse(accountBody({ contacts: list })), { now: o.savedAt });
      return account;
    },
    async campaignFor(
      accountIds: string[],
      created: Date,
      input: Partial<z.input<typeof CampaignInput>> = {},
    ) {
      const parsed = CampaignInput.parse({
        name: `${o.tag} ${++seq}`,
        type: 'account-review',
        audience: { accountIds, onePerAccount: false },
        startNow: true,
        dailyCapPerRecipient: 10,
        pacing: { dialsPerMinute: 600, maxConcurrent: 500 },
        ...input,
      });
      const { targets, excluded } = await resolveAudience(o.accounts(), parsed.audience, parsed.type);
      return o.campaigns().createCampaign(parsed, targets, excluded, 'test', created);
    },
  };
}
