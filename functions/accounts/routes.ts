import * as z from 'zod';
import { CREDIT_STATES, Credit } from '#shared/accounts/credit.ts';
import {
  AccountId,
  AccountInput,
  AccountWithContacts,
  Contact,
  ContactId,
  ContactInput,
  SEGMENTS,
} from '#shared/accounts/model.ts';
import { TIERS } from '#shared/accounts/prioritization.ts';
import { ReviewCommand, ReviewProposal, ReviewRecord } from '#shared/accounts/review.ts';
import { AccountSummary } from '#shared/accounts/summary.ts';
import { AccountSummaryView, AccountView } from '#shared/accounts/visibility.ts';
import { ErrorBody, errorResponses } from '#shared/platform/http/errors-schema.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';
import type { Role } from '#shared/platform/roles.ts';

const errors = errorResponses;
/** Account economics, reviews and credit are for key-account managers (roles.ts). */
const MANAGERS: Role[] = ['account-manager'];

const IdParams = z.object({ id: AccountId });

/** A look-ahead in days, up to a year. */
const withinDays = (byDefault: number, description: string) =>
  z.coerce.number().int().min(0).max(366).default(byDefault).meta({ description });

export const accountRoutes = {
  list: {
    method: 'GET',
    path: '/accounts',
    operationId: 'listAccounts',
    summary: 'List key accounts, highest priority first',
    tag: 'Accounts',
    query: z.object({
      tier: z.enum(TIERS).optional(),
      segment: z.enum(SEGMENTS).optional(),
      q: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .optional()
        .meta({ description: 'Text matched in the Chinese or English name' }),
    }),
    responses: {
      200: {
        description: 'Matching accounts',
        schema: z.object({ items: z.array(AccountSummaryView), count: z.number().int() }),
      },
      400: errors[400],
      500: errors[500],
    },
  },
  create: {
    method: 'POST',
    path: '/accounts',
    operationId: 'createAccount',
    summary: 'Create an account with its contacts',
    tag: 'Accounts',
    roles: MANAGERS,
    idempotent: true,
    body: AccountInput.omit({ version: true }).extend({ id: AccountId }).meta({ id: 'AccountCreate' }),
    responses: {
      201: { description: 'Created', schema: AccountWithContacts },
      400: errors[400],
      409: { description: 'An account with this id exists', schema: ErrorBody },
      500: errors[500],
    },
  },
  get: {
    method: 'GET',
    path: '/accounts/{id}',
    operationId: 'getAccount',
    summary: 'An account with its contacts and derived prioritization',
    tag: 'Accounts',
    params: IdParams,
    responses: {
      200: { description: 'The account; its economics for key-account managers only', schema: AccountView },
      404: errors[404],
      500: errors[500],
    },
  },
  put: {
    method: 'PUT',
    path: '/accounts/{id}',
    operationId: 'putAccount',
    roles: MANAGERS,
    summary: 'Create or replace an account and its full contact list',
    tag: 'Accounts',
    params: IdParams,
    body: AccountInput,
    responses: {
      200: { description: 'Replaced', schema: AccountWithContacts },
      201: { description: 'Created', schema: AccountWithContacts },
      ...errors,
    },
  },
  listContacts: {
    method: 'GET',
    path: '/accounts/{id}/contacts',
    operationId: 'listContacts',
    summary: 'The contacts of an account',
    tag: 'Contacts',
    params: IdParams,
    responses: {
      200: { description: 'Contacts', schema: z.object({ items: z.array(Contact) }) },
      404: errors[404],
      500: errors[500],
    },
  },
  addContact: {
    method: 'POST',
    path: '/accounts/{id}/contacts',
    operationId: 'addContact',
    summary: 'Add a contact (and its phone lookups) to an account',
    tag: 'Contacts',
    // An account edit: a contact receives the account's alerts and reports, and its numbers route calls.
    roles: MANAGERS,
    idempotent: true,
    params: IdParams,
    body: ContactInput,
    responses: { 201: { description: 'Created', schema: Contact }, ...errors },
  },
  addPhone: {
    method: 'POST',
    path: '/accounts/{id}/contacts/{contactId}/phones',
    operationId: 'addContactPhone',
    summary: 'Attach a phone number to a contact (e.g. an unknown caller identified by the agent)',
    tag: 'Contacts',
    params: z.object({ id: AccountId, contactId: ContactId }),
    body: z
      .object({
        number: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .meta({ description: 'As dialled, or the tel/SIP URI the softphone gave for the caller' }),
        label: z.enum(['mobile', 'office', 'other']).default('mobile'),
      })
      .meta({ id: 'PhoneAttach' }),
    responses: { 200: { description: 'The contact with the number attached', schema: Contact }, ...errors },
  },
  review: {
    method: 'GET',
    path: '/accounts/{id}/review',
    operationId: 'getAccountReview',
    roles: MANAGERS,
    summary:
      'The account review: the proposal (review chart and monitoring quadrant), its conflicts, what is in force, and the decisions so far',
    tag: 'Account review',
    params: IdParams,
    responses: {
      200: {
        description: 'The proposal and the history, newest first',
        schema: z.object({
          proposal: ReviewProposal,
          history: z.array(ReviewRecord),
          creditState: z.enum(CREDIT_STATES),
        }),
      },
      404: errors[404],
      500: errors[500],
    },
  },
  decideReview: {
    method: 'POST',
    path: '/accounts/{id}/review',
    operationId: 'decideAccountReview',
    roles: MANAGERS,
    summary:
      'Accept the proposal, or amend it with a reason: the tier, service mode and team then hold until the next review, and calls route by them',
    tag: 'Account review',
    params: IdParams,
    body: ReviewCommand,
    responses: {
      200: {
        description: 'The account as moved, and the decision’s record',
        schema: z.object({ account: AccountWithContacts, record: ReviewRecord }),
      },
      ...errors,
    },
  },
  reviewsDue: {
    method: 'GET',
    path: '/reviews',
    operationId: 'reviewsDue',
    roles: MANAGERS,
    summary: 'The revised priority list: accounts whose review is due, conflicts first, then by priority',
    tag: 'Account review',
    query: z.object({ withinDays: withinDays(0, 'Also the reviews due within this many days') }),
    responses: {
      200: {
        description: 'Accounts due, each with its proposal',
        schema: z.object({
          items: z.array(z.object({ account: AccountSummary, proposal: ReviewProposal })),
        }),
      },
      400: errors[400],
      500: errors[500],
    },
  },
  creditReviews: {
    method: 'GET',
    path: '/credit-reviews',
    operationId: 'creditReviews',
    roles: MANAGERS,
    summary:
      'Credit investigation (资信调查) to do: accounts whose credit review is overdue or coming up, and those never rated',
    tag: 'Account review',
    query: z.object({ withinDays: withinDays(30, 'Reviews coming up within this many days count too') }),
    responses: {
      200: {
        description: 'Overdue first, then coming up by date, then unrated',
        schema: z.object({
          items: z.array(
            z.object({ account: AccountSummary, credit: Credit.optional(), state: z.enum(CREDIT_STATES) }),
          ),
        }),
      },
      400: errors[400],
      500: errors[500],
    },
  },
} satisfies Record<string, RouteDef>;
