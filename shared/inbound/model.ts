import { z } from 'zod';

/** One call of an account, as the screen pop recorded it. */
export const CallRecord = z
  .object({
    /** Amazon Connect ContactId. */
    connectContactId: z.string(),
    at: z.string(),
    e164: z.string(),
    accountId: z.string(),
    contactId: z.string().optional(),
    contactName: z.string().optional(),
    lookupStatus: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    channel: z.string().optional(),
  })
  .meta({ id: 'CallRecord' });
export type CallRecord = z.output<typeof CallRecord>;
