import { z } from 'zod';

/** One call of an account: an inbound call the screen pop recorded, or an outbound call the dialer placed or did not place. */
export const CallRecord = z
  .object({
    /** Amazon Connect ContactId (absent for an outbound call that was not placed). */
    connectContactId: z.string().optional(),
    at: z.string(),
    e164: z.string(),
    accountId: z.string(),
    contactId: z.string().optional(),
    contactName: z.string().optional(),
    lookupStatus: z.string().optional(),
    direction: z.enum(['inbound', 'outbound']),
    channel: z.string().optional(),
    /** Outbound: the callback, its campaign type, and whether it was placed or skipped (and why). */
    callbackId: z.string().optional(),
    reason: z.string().optional(),
    outcome: z.enum(['dialed', 'skipped']).optional(),
    skipReason: z.string().optional(),
    /** Outbound and placed: how the call went, as its contact events (or Connect, asked) told. */
    result: z.enum(['connected', 'completed', 'no-answer']).optional(),
  })
  .meta({ id: 'CallRecord' });
export type CallRecord = z.output<typeof CallRecord>;
