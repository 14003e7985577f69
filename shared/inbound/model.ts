import * as z from 'zod';
import {
  CALL_OUTCOMES,
  type InboundCall as InboundCallValue,
  type JournalLine as JournalLineValue,
} from './journal.ts';

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

/** The caller journal's line (journal.ts), as the API answers it. */
export const JournalLine = z
  .object({
    contactId: z.string().meta({ description: 'Amazon Connect ContactId' }),
    at: z.string().meta({ description: 'When the call arrived' }),
    e164: z.string().optional().meta({ description: "The caller's number; absent when withheld" }),
    accountId: z.string().optional(),
    accountName: z.string().optional(),
    contactRef: z.string().optional().meta({ description: "The caller's contact id in the account" }),
    contactName: z.string().optional(),
    tier: z.string().optional(),
    lookupStatus: z.string().meta({
      description:
        'ok or ambiguous: the screen pop named the account; pending: it did not (unknown, or the lookup failed); now: found by the number when the journal was read',
    }),
    outcome: z.enum(CALL_OUTCOMES),
    queuedAt: z.string().optional(),
    answeredAt: z.string().optional(),
    endedAt: z.string().optional(),
    callbackId: z.string().optional(),
    needsCallback: z.boolean(),
    calledAgain: z.boolean(),
  })
  .meta({ id: 'JournalLine' }) satisfies z.ZodType<JournalLineValue>;
export type { InboundCallValue as InboundCall };
