import * as z from 'zod';
import { refusal } from '../platform/messages/index.ts';
import { timeZoneForPhone } from '../platform/time.ts';
import { worded } from '../platform/worded-patterns.ts';
import { ContactId, ContactInput, type Language, Phone, TimeZone } from './contact-input.ts';
import { Credit } from './credit.ts';
import { ServiceLineInput } from './order-priority.ts';
import { isPhoneRegion } from './phone-regions.ts';
import {
  type DerivedPrioritization,
  derivePrioritization,
  MODE_REASONS,
  POSITIONS,
  type PrioritizationPolicy,
  QUADRANTS,
  SERVICE_MODES,
  TIERS,
} from './prioritization.ts';
import { routingQueueOf } from './routing.ts';
import { DEDICATED_TEAM_IDS } from './teams.ts';

export const SEGMENTS = ['fmcg', 'chemicals', 'electrical', 'pharma', 'other'] as const;
export type Segment = (typeof SEGMENTS)[number];
/** A contact as a client sends it lives in contact-input.ts; its names are the model's too. */
export * from './contact-input.ts';

/** An account's name as a reader of `lang` sees it: the English name for English, if it has one. */
export const accountNameIn = (
  account: { name: string; nameEn?: string | undefined },
  lang: Language,
): string => (lang === 'en' && account.nameEn ? account.nameEn : account.name);
/** The number a campaign calls a contact on: the mobile, else the first. */
export const callNumber = (contact: Pick<Contact, 'phones'>): string | undefined =>
  contact.phones.find((p) => p.label === 'mobile')?.e164 ?? contact.phones[0]?.e164;

/** A mainland Chinese mobile number: texted whatever its label says. */
const CN_MOBILE = /^\+861[3-9]\d{9}$/;

/** Whether a number takes SMS: labelled a mobile, or a mainland Chinese mobile by its number. */
export const takesSms = (p: { e164: string; label: string }): boolean =>
  p.label === 'mobile' || CN_MOBILE.test(p.e164);

/** The number a contact is texted on (alerts, confirmations): the first that takes SMS. */
export const textNumber = (contact: Pick<Contact, 'phones'>): string | undefined =>
  contact.phones.find(takesSms)?.e164;

/**
 * The zone a contact lives in, as the record stands: the contact's own, else the zone of the
 * number called (a Swiss mobile on a Shanghai account), else the account's. Every booked call is
 * planned in it and the dialer checks its window and counts its day in it again at the call;
 * quiet hours and the times a contact is told are in it too.
 */
export function callZone(
  contact: Pick<Contact, 'timeZone' | 'phones'>,
  accountZone: string,
  phone: string | undefined = callNumber(contact),
): string {
  return contact.timeZone ?? (phone ? timeZoneForPhone(phone, accountZone) : accountZone);
}

/**
 * Where the relationship stands: `active`; `lost` (churned, recorded with its reason: only
 * retention campaigns and the client's own callback requests call it); `closed` (the client asked
 * for no further contact: only a callback the client requested is placed).
 */
export const ACCOUNT_STATUSES = ['active', 'lost', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const SEVERITIES = ['minor', 'major', 'critical'] as const;

export const AccountId = z
  .string()
  .regex(
    worded(
      /^[a-z0-9][a-z0-9-]{1,62}$/,
      'use 2–63 lowercase letters, digits and dashes, starting with a letter or digit',
      '应为 2–63 个小写字母、数字或连字符，以字母或数字开头',
    ),
  )
  .meta({ id: 'AccountId', example: 'acc-jinhe-grain' });

/**
 * Amounts up to a trillion yuan a year, kept to the cent, and fractions to a millionth: anything
 * finer or larger is no business figure, and DynamoDB refuses to store it (a 500, not a 400).
 */
const MAX_MONEY = 1e12;
const roundTo = (step: number) => (n: number) => Math.round(n / step) * step;
const cents = (n: number) => Math.round(n * 100) / 100;
const money = z.number().finite().nonnegative().max(MAX_MONEY).overwrite(cents);
const fraction = z
  .number()
  .finite()
  .min(0)
  .max(1)
  .overwrite((n) => Math.round(n * 1e6) / 1e6);
/** The largest lifetime value kept: its figures stay exact in JavaScript and DynamoDB alike. */
const MAX_LIFETIME_VALUE = 1e15;

export const Contact = ContactInput.extend({
  id: ContactId,
  accountId: AccountId,
  phones: z.array(Phone),
  doNotCallSince: z
    .string()
    .optional()
    .meta({ description: 'When do-not-call was set (kept while it stays set); stamped by the server' }),
}).meta({ id: 'Contact' });
export type Contact = z.output<typeof Contact>;

export const AccountEconomicsSchema = z
  .object({
    accountValue: money.meta({
      description: "The account's yearly logistics spend today (its wallet), CNY",
    }),
    potentialValue: money
      .optional()
      .meta({ description: 'Yearly logistics spend the account could bring, CNY' }),
    shareOfWallet: fraction.meta({
      description: 'Account position: our current share of its logistics spend, 0–1',
    }),
    projectedShareOfWallet: fraction
      .optional()
      .meta({ description: 'The share we expect to hold, 0–1; kept apart from the current one' }),
    relationshipStrength: fraction
      .optional()
      .meta({ description: 'How strong the relationship is, 0–1 (informative; not a matrix axis)' }),
    currentMargin: money.meta({ description: 'Current yearly margin contribution, CNY' }),
    potentialMargin: money.meta({ description: 'Potential yearly margin contribution, CNY' }),
    contributionTarget: money.optional(),
    averageTransactionValue: money,
    yearlyFrequency: z.number().finite().nonnegative().max(1_000_000).overwrite(roundTo(1e-4)),
    expectedLifetimeYears: z.number().finite().nonnegative().max(100).overwrite(roundTo(1e-4)),
  })
  .refine(
    (e) => e.averageTransactionValue * e.yearlyFrequency * e.expectedLifetimeYears <= MAX_LIFETIME_VALUE,
    {
      path: ['averageTransactionValue'],
      ...refusal('economics.clv-too-large', { max: String(MAX_LIFETIME_VALUE) }),
    },
  )
  .meta({ id: 'AccountEconomics' });

/** One of the registry's dedicated teams (teams.ts). */
export const DedicatedTeam = z
  .string()
  .trim()
  .refine(
    (t) => DEDICATED_TEAM_IDS.includes(t),
    refusal('account.dedicated-team', { teams: DEDICATED_TEAM_IDS.join(', ') }),
  );

const accountFields = {
  name: z.string().trim().min(1).max(120).meta({ example: '金禾粮油集团' }),
  nameEn: z.string().trim().max(120).optional().meta({ example: 'Jinhe Grain & Oil Group' }),
  segment: z.enum(SEGMENTS),
  regions: z.array(z.string().trim().min(1).max(40)).min(1).max(40),
  serviceGroup: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .meta({ description: 'Service group (queue) of the industry segment' }),
  accountManager: z.string().trim().min(1).max(80),
  dedicatedTeam: DedicatedTeam.optional().meta({
    description: 'Queue of the dedicated team; accounts served by a dedicated team route here',
  }),
  dedicatedRep: z
    .string()
    .trim()
    .max(80)
    .optional()
    .meta({ description: 'Dedicated customer-service representative' }),
  onTimeCommitment: fraction.meta({ description: 'Contracted on-time delivery rate, 0–1', example: 0.98 }),
  delayToleranceMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60)
    .meta({ description: 'Minutes past the promise before a shipment counts as late (delay detection)' }),
  phoneRegion: z.string().refine(isPhoneRegion, refusal('account.phone-region')).default('CN'),
  timeZone: TimeZone.default('Asia/Shanghai'),
  tags: z.array(z.string().trim().min(1).max(48)).max(20).default([]),
  status: z.enum(ACCOUNT_STATUSES).default('active'),
  statusReason: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'Why the account was lost or closed (churn management)' }),
  statusSince: z.iso
    .date()
    .optional()
    .meta({ description: 'The day it was lost or closed: the churn backtest measures warnings against it' }),
  serviceLines: z
    .array(ServiceLineInput)
    .max(20)
    .default([])
    .meta({ description: "The account's product lines or lanes, ranked by order service priority" }),
  credit: Credit.optional().meta({ description: 'Credit investigation: rating, limit and the next review' }),
  strategic: z
    .object({ reason: z.string().trim().min(3).max(200) })
    .optional()
    .meta({
      description:
        'Of strategic value for other accounts: keeps a shared team where the account is not profitable',
    }),
  economics: AccountEconomicsSchema,
};

/** The writable part of an account. Derived fields sent by a client are dropped, never trusted. */
export const AccountInput = z
  .object({
    ...accountFields,
    contacts: z.array(ContactInput).max(25).default([]),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'The version being replaced; required to update' }),
  })
  .meta({ id: 'AccountInput' });
export type AccountInput = z.output<typeof AccountInput>;

export const Derived = z
  .object({
    expectedRevenue: z.number().meta({ description: 'Value (or potential) × projected or current share' }),
    marginRate: z.number().meta({ description: 'Margin contribution per unit of revenue today' }),
    lifetimeValue: z.number().meta({ description: 'The value axis of the matrix' }),
    highValue: z.boolean(),
    position: z.enum(POSITIONS).meta({ description: 'The position axis: share of wallet' }),
    tier: z.enum(TIERS),
    largeAccount: z.boolean().meta({
      description: 'On the large-account list: expected profit with a dedicated team meets the target',
    }),
    serviceMode: z.enum(SERVICE_MODES),
    serviceModeReason: z.enum(MODE_REASONS),
    rules: z
      .object({ tier: z.enum(TIERS), serviceMode: z.enum(SERVICE_MODES), reason: z.enum(MODE_REASONS) })
      .meta({
        description: 'What the rules say today; the tier and mode above hold until a review moves them',
      }),
    costToServe: z.number().meta({ description: "Yearly cost of the account's service mode" }),
    expectedProfit: z.number().meta({ description: 'Expected revenue × margin rate − cost to serve' }),
    breakEvenRevenue: z.number().nullable(),
    targetRevenue: z
      .number()
      .nullable()
      .meta({ description: 'Revenue that meets the margin target in its mode' }),
    dedicatedTargetRevenue: z
      .number()
      .nullable()
      .meta({ description: 'Revenue that meets the margin target with a dedicated team' }),
    largeAccountRevenue: z
      .number()
      .nullable()
      .meta({ description: 'Expected revenue that would put the account on the large-account list' }),
    reviewQuadrant: z.enum(QUADRANTS),
    clv: z.number(),
    priorityScore: z.number().int(),
    routingPriority: z.number().int(),
  })
  .meta({ id: 'Derived' });

/** The account's last review: the tier and service mode it decided, in force until the next. */
export const AccountReviewState = z
  .object({
    id: z.string(),
    decision: z.enum(['accepted', 'amended']),
    tier: z.enum(TIERS),
    serviceMode: z.enum(SERVICE_MODES),
    decidedAt: z.iso.datetime(),
    decidedBy: z.string(),
    reason: z.string().optional(),
    nextReviewDue: z.iso.datetime(),
  })
  .meta({ id: 'AccountReviewState' });
export type AccountReviewState = z.output<typeof AccountReviewState>;

export const Account = z
  .object({
    id: AccountId,
    ...accountFields,
    derived: Derived,
    review: AccountReviewState.optional(),
    version: z.number().int().positive(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type Account = z.output<typeof Account>;

export const AccountWithContacts = Account.extend({ contacts: z.array(Contact) }).meta({
  id: 'AccountWithContacts',
});
export type AccountWithContacts = z.output<typeof AccountWithContacts>;

/** Builds the stored account: the input, its derived prioritization, and bookkeeping. */
export function buildAccount(
  id: string,
  input: Omit<AccountInput, 'contacts' | 'version'>,
  version: number,
  now: Date,
  createdAt: string | undefined,
  policy?: PrioritizationPolicy,
  review?: AccountReviewState,
): Account {
  const { contacts: _c, version: _v, ...fields } = input as AccountInput;
  const derived: DerivedPrioritization = derivePrioritization(
    fields.economics,
    { strategic: fields.strategic !== undefined, ...(review ? { decided: review } : {}) },
    policy,
  );
  return {
    id,
    ...fields,
    derived,
    ...(review ? { review } : {}),
    version,
    createdAt: createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * An account as stored before the practice's axes (November 2026) has no service mode: it is
 * re-derived when read, with the default policy, until its next write stores the new figures.
 */
export function withCurrentDerivation<A extends Account>(a: A): A {
  if ('rules' in a.derived) return a;
  const opts = { strategic: a.strategic !== undefined, ...(a.review ? { decided: a.review } : {}) };
  return { ...a, derived: derivePrioritization(a.economics, opts) };
}

/**
 * What the screen pop reads for a phone number: one item per (number, account, contact), with the
 * routing summary copied on it, so the hot path needs no second read for routing.
 */
export const PhoneLookup = z.object({
  e164: z.string(),
  accountId: AccountId,
  contactId: z.string(),
  accountName: z.string(),
  contactName: z.string(),
  tier: z.enum(TIERS),
  priorityScore: z.number(),
  routingPriority: z.number(),
  segment: z.enum(SEGMENTS),
  serviceGroup: z.string(),
  /** Queue name: the dedicated team's for key accounts, the service group's otherwise. */
  routingQueue: z.string(),
  dedicatedRep: z.string().optional(),
  language: z.string(),
  /**
   * The account's creation time: a lookup is live only while the account's profile exists with
   * this creation time (a lookup staged by an import that never committed is not).
   */
  accountCreatedAt: z.string().optional(),
  doNotCall: z.boolean(),
  /** The zone the contact is told times in (callZone, for this number): the IVR's, as the alerts'. */
  timeZone: z.string().optional(),
});
export type PhoneLookup = z.output<typeof PhoneLookup>;

/** The lookup item of one of a contact's numbers. */
export function phoneLookupOf(account: Account, contact: Contact, e164: string): PhoneLookup {
  return {
    e164,
    accountId: account.id,
    contactId: contact.id,
    accountName: account.name,
    contactName: contact.name,
    tier: account.derived.tier,
    priorityScore: account.derived.priorityScore,
    routingPriority: account.derived.routingPriority,
    segment: account.segment,
    serviceGroup: account.serviceGroup,
    routingQueue: routingQueueOf(account),
    ...(account.dedicatedRep ? { dedicatedRep: account.dedicatedRep } : {}),
    language: contact.language,
    accountCreatedAt: account.createdAt,
    doNotCall: contact.doNotCall,
    timeZone: callZone(contact, account.timeZone, e164),
  };
}
