import * as z from 'zod/mini';
import { type $ZodType, type output, safeParse } from 'zod/v4/core';

/**
 * Reads configuration once, at cold start. A missing or malformed variable fails fast and says
 * which one, instead of surfacing later as an undefined table name. Accepts any zod schema;
 * the Connect Lambdas use zod/mini to keep their cold start small.
 */
export function loadEnv<S extends $ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): output<S> {
  const r = safeParse(schema, source);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}

export const TableEnv = z.object({
  TABLE_NAME: z.string({ error: 'TABLE_NAME is required' }).check(z.minLength(3, 'TABLE_NAME is required')),
});

/** The IVR Lambdas that write (complaint intake, callback requests): their step budgets and hand-off queue. */
export const IvrWriteEnv = z
  .object({
    TABLE_NAME: z.string({ error: 'TABLE_NAME is required' }).check(z.minLength(3, 'TABLE_NAME is required')),
    IVR_LOOKUP_BUDGET_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(2500)), 900),
    IVR_WRITE_BUDGET_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(2500)), 1100),
    IVR_HANDOFF_BUDGET_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(1000)), 500),
    IVR_HANDOFF_QUEUE_URL: z.string({ error: 'IVR_HANDOFF_QUEUE_URL is required' }).check(z.minLength(1)),
  })
  .check(
    // The three run one after another inside the contact flow's 3 s, with room for the rest.
    z.refine((e) => e.IVR_LOOKUP_BUDGET_MS + e.IVR_WRITE_BUDGET_MS + e.IVR_HANDOFF_BUDGET_MS <= 2700, {
      path: ['IVR_WRITE_BUDGET_MS'],
      message:
        'IVR_LOOKUP_BUDGET_MS + IVR_WRITE_BUDGET_MS + IVR_HANDOFF_BUDGET_MS must be at most 2700 (the flow waits 3 s)',
    }),
  );

/** The IVR hand-off worker: the table, and the SMS sender ID where a country allows one. */
export const IvrHandoffEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  SMS_SENDER_ID: z.optional(z.string()),
});

/** Complaint settings, shared by every function that writes complaints. */
export const ComplaintEnv = z.object({
  /** Multiplies every SLA target: 1 in production; e.g. 0.0167 turns minutes into seconds for a demo. */
  SLA_TIME_SCALE: z._default(z.coerce.number().check(z.gt(0), z.lte(10)), 1),
  REOPEN_WINDOW_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(0)), 7 * 24 * 60),
  FOLLOW_UP_DELAY_MINUTES: z._default(z.coerce.number().check(z.gte(0)), 24 * 60),
  /**
   * Holidays and extra working days beyond China's (built in), by time zone, as JSON:
   * {"holidays":{"Europe/Zurich":["2026-12-25"]},"workdays":{}}.
   */
  SLA_CALENDAR: z._default(
    z.pipe(
      z.string(),
      z.transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'SLA_CALENDAR must be JSON', input: v });
          return z.NEVER;
        }
      }),
    ),
    '{}',
  ),
});

/** The dialer's Connect settings and pacing. */
export const DialerEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  CONNECT_INSTANCE_ID: z.string().check(z.minLength(1)),
  CONNECT_CONTACT_FLOW_ID: z.string().check(z.minLength(1)),
  CONNECT_QUEUE_ID: z.optional(z.string()),
  CONNECT_SOURCE_PHONE_NUMBER: z.optional(z.string()),
  DIAL_QUOTA_PER_SECOND: z._default(z.coerce.number().check(z.gt(0), z.lte(100)), 2),
  DIAL_BURST: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 5),
  DIAL_RUN_MS: z._default(z.coerce.number().check(z.int(), z.gte(1000), z.lte(840_000)), 50_000),
});

/** The notifier's senders. */
export const NotifierEnv = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  SES_FROM: z.string().check(z.minLength(3)),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  SMS_SENDER_ID: z.optional(z.string()),
  /** Where digests link to: an absolute URL, `{accountId}` replaced (notify/notifier.ts). */
  ALERT_LINK_BASE: z.url({
    error: 'ALERT_LINK_BASE must be an absolute URL (the desktop or a tracking page)',
  }),
});
