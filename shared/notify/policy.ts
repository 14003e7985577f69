/**
 * Who hears about a delay and when, pure: each contact's channels for the severity where they
 * consented; quiet hours in the contact's own time zone (critical alerts go out regardless); a
 * digest instead of dozens of alerts when many of an account's shipments slip in one window.
 */
import { type AccountWithContacts, type Contact, callZone, textNumber } from '../accounts/model.ts';
import { EVERY_DAY, inWindow, nextInWindow } from '../platform/time.ts';
import type { DelaySeverity } from '../shipments/model.ts';

export type Channel = 'sms' | 'email';

export interface Delivery {
  channel: Channel;
  recipient: string;
  contact: Contact;
  timeZone: string;
}

/** Each contact's channels for that severity, where consented; the rest are skipped, with the reason. */
export function recipients(
  account: AccountWithContacts,
  severity: DelaySeverity,
): { deliveries: Delivery[]; skipped: { contact: Contact; channel: Channel }[] } {
  const deliveries: Delivery[] = [];
  const skipped: { contact: Contact; channel: Channel }[] = [];
  for (const contact of account.contacts) {
    const channels = contact.notificationPreferences.channels[severity];
    const mobile = textNumber(contact);
    const timeZone = callZone(contact, account.timeZone, mobile);
    if (channels.includes('sms') && mobile) {
      if (contact.consent.sms) deliveries.push({ channel: 'sms', recipient: mobile, contact, timeZone });
      else skipped.push({ contact, channel: 'sms' });
    }
    if (channels.includes('email') && contact.email) {
      if (contact.consent.email)
        deliveries.push({ channel: 'email', recipient: contact.email, contact, timeZone });
      else skipped.push({ contact, channel: 'email' });
    }
  }
  return { deliveries, skipped };
}

/** Whether `at` falls in the contact's quiet hours (a window that may span midnight). */
export function inQuietHours(contact: Contact, timeZone: string, at: Date): boolean {
  const q = contact.notificationPreferences.quietHours;
  if (!q) return false;
  return inWindow(at, timeZone, { days: EVERY_DAY, start: q.start, end: q.end });
}

/**
 * When an alert to this contact may go out: now, or the end of their quiet hours. Critical
 * alerts never wait.
 */
export function sendTime(d: Delivery, severity: DelaySeverity, now: Date): Date {
  const q = d.contact.notificationPreferences.quietHours;
  if (severity === 'critical' || !q || !inQuietHours(d.contact, d.timeZone, now)) return now;
  return nextInWindow(now, d.timeZone, { days: EVERY_DAY, start: q.end, end: q.start });
}

/** The digest window an instant falls in (fixed windows of `minutes`). */
export function digestWindowStart(now: Date, minutes: number): string {
  const ms = minutes * 60_000;
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString();
}
