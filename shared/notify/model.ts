import * as z from 'zod';
import { NotFoundError } from '../platform/errors.ts';

export const NOTIFICATION_STATUSES = [
  'sent',
  'deferred',
  'suppressed-duplicate',
  'opted-out',
  'failed',
  'skipped-no-consent',
  'digest-sent',
  'in-digest',
  /** A send failed; it is retried at `sendAt`. */
  'retrying',
  /** Given up after the last attempt: an operator looks (metric, alarm, this log). */
  'dead-lettered',
  /** The number or address cannot receive: skipped until the contact's details are corrected. */
  'undeliverable',
  /** The delay was over (cleared, or the shipment delivered) when it was time to send. */
  'skipped-delay-over',
  /** A newer alert for the same shipment covered it (sent already, or sent instead with its facts). */
  'superseded',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One line of an account's notification log: what happened to one alert for one recipient. */
export const NotificationRecord = z
  .object({
    id: z.string(),
    at: z.string(),
    accountId: z.string(),
    /** What was sent: a delay alert (the default, for lines written before this field) or the daily report. */
    kind: z.enum(['alert', 'daily-report']).optional(),
    /** The alert's shipment ('' on a daily report's line). */
    waybill: z.string(),
    /** The alert's severity ('' on a daily report's line). */
    severity: z.string(),
    channel: z.enum(['sms', 'email']),
    recipient: z.string(),
    contactName: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    detail: z.string().optional(),
    sendAt: z.string().optional(),
  })
  .meta({ id: 'NotificationRecord' });
export type NotificationRecord = z.output<typeof NotificationRecord>;

/**
 * A DelayDetected names an account the registry does not have (the notifier, the proactive call). It is thrown, so the queue
 * redelivers the event and, after its last receive, keeps it in the dead-letter queue (alarmed),
 * rather than dropping it: Keyline never deletes an account (leaving the large-account list keeps
 * it), so the account is one not written yet (a TMS feed ahead of the account's import, a read
 * just behind the write) or an id that is wrong. A retry serves the first; an operator, the second,
 * redriving the message once the account exists. Nothing else would announce the delay again.
 */
export class UnknownAccount extends NotFoundError {
  constructor(
    readonly accountId: string,
    readonly waybill: string,
  ) {
    super('Account', accountId);
  }
}
