/**
 * Who may be called, pure. One rule for planning a campaign and for the moment of the call: the
 * dialer applies it again, to the account and contact as they stand, just before it dials.
 *
 * - A callback the client requested (the IVR's "call me back") is consent for that one call: it is
 *   placed without standing call consent, whatever the account's status, unless the contact set
 *   do-not-call after asking.
 * - Every other call (campaigns, complaint follow-ups, proactive delay calls) needs the contact's
 *   call consent and no do-not-call flag, on an active account; a lost account takes retention
 *   calls only; a closed one takes none.
 * - The contact and the number must still be on file.
 */
import type { AccountWithContacts, Contact } from '../accounts/model.ts';
import type { CampaignType } from './model.ts';

export const SKIP_REASONS = [
  'do-not-call',
  'no-consent',
  'account-lost',
  'account-closed',
  'account-removed',
  'contact-removed',
  'number-removed',
  /** A proactive delay call no longer needed at the moment of the call (call-moment.ts). */
  'shipment-delivered',
  'delay-cleared',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What asks for the call: its campaign type, and for a client's own request when they asked. */
export interface CallPurpose {
  type: CampaignType;
  /** When the client asked to be called (customer-requested callbacks only). */
  requestedAt?: string;
}

/** Why this contact of this account may not be called for this purpose, or undefined. */
export function callBlocker(
  account: Pick<AccountWithContacts, 'status'>,
  contact: Pick<Contact, 'doNotCall' | 'doNotCallSince' | 'consent'>,
  purpose: CallPurpose,
): SkipReason | undefined {
  if (purpose.type === 'customer-callback') {
    const optedOutSince = contact.doNotCall ? contact.doNotCallSince : undefined;
    // A do-not-call of unknown date predates the request: the request stands.
    return optedOutSince && purpose.requestedAt && optedOutSince > purpose.requestedAt
      ? 'do-not-call'
      : undefined;
  }
  const status = account.status ?? 'active';
  if (status === 'closed') return 'account-closed';
  if (status === 'lost' && purpose.type !== 'retention') return 'account-lost';
  if (contact.doNotCall) return 'do-not-call';
  if (!contact.consent.calls) return 'no-consent';
  return undefined;
}

/**
 * The check at the moment of the call: the account and contact as read just now (either may be
 * gone), the number the callback would dial, and what the callback is for.
 */
export function dialBlocker(
  standing: {
    account?: Pick<AccountWithContacts, 'status'>;
    contact?: Pick<Contact, 'doNotCall' | 'doNotCallSince' | 'consent' | 'phones'>;
  },
  phone: string | undefined,
  purpose: CallPurpose,
): SkipReason | undefined {
  if (!standing.account) return 'account-removed';
  if (!standing.contact) return 'contact-removed';
  if (!standing.contact.phones.some((p) => p.e164 === phone)) return 'number-removed';
  return callBlocker(standing.account, standing.contact, purpose);
}
