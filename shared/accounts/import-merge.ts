/**
 * An import's contacts against the stored ones, pure. The file is the source of what it carries,
 * but never of a refusal or of who is missing from it:
 * - a do-not-call stays set on the contact, and on any contact of the file holding one of its
 *   numbers (a renamed contact, or a successor given the number: the number said no, and only a
 *   person lifts that, in the desktop);
 * - a stored contact the file does not name is kept (added in the desktop, or left out of this
 *   file), unless the file gives one of its numbers to someone else: then the file's contact
 *   takes its place, so no number is on two contacts;
 * - the result keeps within the account's 25 contacts, or the account is refused.
 * Each thing kept or replaced is said in a notice.
 */
import type { FieldError } from '../platform/errors.ts';
import { fieldError } from '../platform/messages/index.ts';
import type { Contact } from './model.ts';

/** As AccountInput allows: an account the import stores must still be one a PUT accepts. */
export const MAX_CONTACTS = 25;

export interface ImportMerge {
  contacts: Contact[];
  notices: FieldError[];
  issues: FieldError[];
}

/**
 * `incoming` are the file's contacts, normalized and stamped (index = the file's position);
 * `stamp` stamps a do-not-call carried over from the stored contact that set it.
 */
export function mergeImportedContacts(
  stored: readonly Contact[],
  incoming: readonly Contact[],
  stamp: (next: Contact, refusing: Contact) => Contact,
): ImportMerge {
  const notices: FieldError[] = [];
  const shares = (a: Contact, b: Contact) => a.phones.some((p) => b.phones.some((q) => q.e164 === p.e164));
  const contacts = incoming.map((c, i) => {
    if (c.doNotCall) return c;
    const refusing = stored.find((s) => s.doNotCall && (s.id === c.id || shares(s, c)));
    if (!refusing) return c;
    notices.push(fieldError(`contacts.${i}.doNotCall`, 'import.kept-do-not-call', { name: refusing.name }));
    return stamp({ ...c, doNotCall: true }, refusing);
  });
  for (const old of stored) {
    if (contacts.some((c) => c.id === old.id)) continue;
    const taker = contacts.find((c) => shares(c, old));
    if (taker) {
      notices.push(
        fieldError('(account)', 'import.number-moved', { name: old.name, id: old.id, to: taker.name }),
      );
    } else {
      notices.push(fieldError('(account)', 'import.kept-contact', { name: old.name, id: old.id }));
      contacts.push(old);
    }
  }
  const issues =
    contacts.length > MAX_CONTACTS
      ? [
          fieldError('contacts', 'import.too-many-contacts', {
            count: contacts.length,
            kept: contacts.length - incoming.length,
          }),
        ]
      : [];
  return { contacts, notices, issues };
}
