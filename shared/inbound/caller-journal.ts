/**
 * The caller journal as the desktop uses it: the last day's inbound calls, each named by its
 * account (found again by the number when the screen pop could not name it: an unknown number
 * attached since, or a lookup that failed), and a one-click callback for a missed or abandoned
 * call, booked in the customer-callback campaign (one pending callback per number).
 */
import { liveMatches, type PhoneLookups } from '../accounts/lookup.ts';
import { callZone, type PhoneLookup } from '../accounts/model.ts';
import type { AccountRepo } from '../accounts/repo.ts';
import type { Callback } from '../campaigns/model.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { IllegalTransition, NotFoundError } from '../platform/errors.ts';
import { pool } from '../platform/pool.ts';
import { type CallJournal, type InboundCall, type JournalLine, journalView } from './journal.ts';

export interface CallerJournalDeps {
  journal: CallJournal;
  phones: PhoneLookups;
  accounts: AccountRepo;
  campaigns: Campaigns;
}

/** The one account a number belongs to now, if exactly one. */
async function ownerOf(phones: PhoneLookups, e164: string): Promise<PhoneLookup | undefined> {
  const found = await phones.find(e164);
  if (!found.length) return undefined;
  const live = liveMatches(found, await phones.heads(found.map((m) => m.accountId)));
  return new Set(live.map((m) => m.accountId)).size === 1 ? live[0] : undefined;
}

const named = (c: InboundCall, m: PhoneLookup): InboundCall => ({
  ...c,
  accountId: m.accountId,
  accountName: m.accountName,
  contactRef: m.contactId,
  contactName: m.contactName,
  tier: m.tier,
  lookupStatus: 'now',
});

export async function journalLines(
  deps: CallerJournalDeps,
  now = new Date(),
  hours = 24,
): Promise<JournalLine[]> {
  const entries = await deps.journal.recent(now, hours);
  const unnamed = [...new Set(entries.filter((e) => !e.accountId && e.e164).map((e) => e.e164 as string))];
  const owners = new Map<string, PhoneLookup>();
  await pool(unnamed, 4, async (e164) => {
    const m = await ownerOf(deps.phones, e164);
    if (m) owners.set(e164, m);
  });
  return journalView(
    entries.map((e) => {
      const m = !e.accountId && e.e164 ? owners.get(e.e164) : undefined;
      return m ? named(e, m) : e;
    }),
  );
}

/**
 * Why a journal call cannot be called back (the error's `reason`, which the desktop words):
 * `withheld`, `not-in-book` (attach the number first) or `do-not-call`.
 *
 * Books a callback for a journal line: the caller's number, in their account; the same callback
 * for a second click (or a number that already has one pending).
 */
export async function bookJournalCallback(
  deps: CallerJournalDeps,
  contactId: string,
  now = new Date(),
): Promise<{ callback: Callback; created: boolean }> {
  const entry = await deps.journal.get(contactId);
  if (!entry) throw new NotFoundError('Call', contactId);
  if (!entry.e164)
    throw new IllegalTransition('The caller withheld the number: there is nothing to call back', {
      reason: 'withheld',
    });
  const line = entry.accountId
    ? entry
    : await ownerOf(deps.phones, entry.e164).then((m) => (m ? named(entry, m) : entry));
  const account = line.accountId ? await deps.accounts.get(line.accountId) : undefined;
  const contact = account?.contacts.find((c) => c.id === line.contactRef);
  if (!account || !contact)
    throw new IllegalTransition(
      'The number is not in the book: attach it to a contact from the caller card, then book the callback',
      { reason: 'not-in-book' },
    );
  // The caller rang us, which is no standing consent; a do-not-call stands against a callback.
  if (contact.doNotCall)
    throw new IllegalTransition(
      `${contact.name} asked not to be called (do-not-call): no callback is booked`,
      { reason: 'do-not-call' },
    );
  const booked = await deps.campaigns.requestCallback(
    {
      account,
      contact,
      phone: entry.e164,
      timeZone: callZone(contact, account.timeZone, entry.e164),
    },
    now,
  );
  await deps.journal.markCallback(contactId, booked.callback.id);
  return booked;
}
