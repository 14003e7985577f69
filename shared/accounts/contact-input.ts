/**
 * A contact as a client sends it (the desktop, the API, the import): who to reach, on which
 * numbers and addresses, in which language and time zone, with which consent and alert channels.
 * The stored contact (model.ts) adds its account and normalized phones.
 */
import * as z from 'zod';
import { refusal } from '../platform/messages/index.ts';
import { isTimeZone } from '../platform/time.ts';
import { worded } from '../platform/worded-patterns.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CHANNELS = ['sms', 'email', 'call'] as const;

export const ContactId = z
  .string()
  .regex(
    worded(
      /^[A-Za-z0-9][A-Za-z0-9-]{1,40}$/,
      'use 2–41 letters, digits and dashes',
      '应为 2–41 个字母、数字或连字符',
    ),
  )
  .meta({ id: 'ContactId' });

export const TimeZone = z
  .string()
  .refine(isTimeZone, refusal('account.time-zone'))
  .meta({ id: 'TimeZone', example: 'Asia/Shanghai' });

const HHMM = z
  .string()
  .regex(worded(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour clock', '应为 24 小时制 HH:MM'));

export const NotificationPreferences = z
  .object({
    channels: z
      .object({
        minor: z.array(z.enum(CHANNELS)).max(3),
        major: z.array(z.enum(CHANNELS)).max(3),
        critical: z.array(z.enum(CHANNELS)).max(3),
      })
      .default({ minor: ['email'], major: ['sms', 'email'], critical: ['sms', 'email', 'call'] }),
    quietHours: z.object({ start: HHMM, end: HHMM }).nullable().default({ start: '22:00', end: '08:00' }),
    /** Receives the daily transport tracking report (运输跟踪报表) by email. */
    dailyReport: z.boolean().default(false),
  })
  .meta({
    id: 'NotificationPreferences',
    description: 'Channels per delay severity, and quiet hours in the contact time zone',
  });

export const Consent = z
  .object({
    calls: z.boolean().default(false),
    sms: z.boolean().default(false),
    email: z.boolean().default(false),
    recordedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'Consent' });

/**
 * A phone as a client sends it: `number` as dialled, or `e164` as GET returns it, so an account
 * read and sent back (to set one flag) needs no rewriting of its phones.
 */
export const PhoneInput = z
  .object({
    number: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .optional()
      .meta({ example: '138 0013 8000', description: 'As dialled; normalized against the region' }),
    e164: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .optional()
      .meta({ description: 'The stored form, as GET returns it: taken when `number` is absent' }),
    label: z.enum(['mobile', 'office', 'other']).default('mobile'),
  })
  .superRefine((p, ctx) => {
    // Raised as a missing value, so the request's language words it ("is required", 必填).
    if (p.number === undefined && p.e164 === undefined)
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['number'] });
  })
  .transform(({ number, e164, label }) => ({ number: (number ?? e164) as string, label }));

/** A contact as sent by a client. Phones are normalized against the account's region afterwards. */
export const ContactInput = z
  .object({
    id: ContactId.optional(),
    name: z.string().trim().min(1).max(80),
    role: z.string().trim().max(80).default(''),
    phones: z.array(PhoneInput).max(3).default([]),
    email: z.email().max(254).optional(),
    language: z.enum(LANGUAGES).default('zh-CN'),
    timeZone: TimeZone.optional(),
    notificationPreferences: NotificationPreferences.default({
      channels: { minor: ['email'], major: ['sms', 'email'], critical: ['sms', 'email', 'call'] },
      quietHours: { start: '22:00', end: '08:00' },
      dailyReport: false,
    }),
    doNotCall: z.boolean().default(false),
    consent: Consent.default({ calls: false, sms: false, email: false }),
  })
  .meta({ id: 'ContactInput' });
export type ContactInput = z.output<typeof ContactInput>;

/** A stored phone: E.164, with its label. */
export const Phone = z.object({
  e164: z.string().meta({ example: '+8613800138000' }),
  label: z.enum(['mobile', 'office', 'other']),
});
