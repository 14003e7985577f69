import type { RouteDef } from '#shared/platform/http/route.ts';

/** A DynamoDB action a function may be granted on the Keyline table. */
export type TableAction =
  | 'GetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * Exactly what a function does on the table: actions on the table itself, and on its indexes
 * (only Query). test/integration/iam-*.test.ts runs each function's paths through a proxy that
 * records the actions they need and holds them to this list, no more and no less.
 */
export interface TableAccess {
  table: readonly TableAction[];
  indexes?: readonly 'Query'[];
}

const access = (table: readonly TableAction[], indexes: readonly 'Query'[] = []): TableAccess => ({
  table,
  indexes,
});

import { accountRoutes } from './accounts/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
import { cockpitRoutes } from './cockpit/routes.ts';
import { complaintRoutes } from './complaints/routes.ts';
import { screenPopRoutes } from './screen-pop-api/routes.ts';
import { trackingRoutes } from './tracking/routes.ts';

/**
 * Every HTTP Lambda and its routes. The CDK stack wires an API Gateway route per entry, the
 * local server dispatches through the same table, and the OpenAPI document is generated from it.
 */
export const HTTP_FUNCTIONS = [
  {
    name: 'accounts',
    entry: 'functions/accounts/handler.ts',
    access: access(['Query', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
    routes: Object.values(accountRoutes) as RouteDef[],
    load: () => import('./accounts/handler.ts'),
  },
  {
    name: 'screen-pop-api',
    entry: 'functions/screen-pop-api/handler.ts',
    access: access(['Query', 'BatchGetItem'], ['Query']),
    routes: Object.values(screenPopRoutes) as RouteDef[],
    load: () => import('./screen-pop-api/handler.ts'),
  },
  {
    name: 'complaints',
    entry: 'functions/complaints/handler.ts',
    // BatchGetItem: whose a new complaint's waybills are.
    access: access(['Query', 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
    routes: Object.values(complaintRoutes) as RouteDef[],
    load: () => import('./complaints/handler.ts'),
  },
  {
    name: 'campaigns',
    entry: 'functions/campaigns/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], ['Query']),
    routes: Object.values(campaignRoutes) as RouteDef[],
    load: () => import('./campaigns/handler.ts'),
  },
  {
    name: 'cockpit',
    entry: 'functions/cockpit/handler.ts',
    access: access(['Query', 'GetItem'], ['Query']),
    routes: Object.values(cockpitRoutes) as RouteDef[],
    load: () => import('./cockpit/handler.ts'),
  },
  {
    name: 'tracking',
    entry: 'functions/tracking/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem'], ['Query']),
    routes: Object.values(trackingRoutes) as RouteDef[],
    load: () => import('./tracking/handler.ts'),
  },
];

export const ALL_ROUTES: RouteDef[] = HTTP_FUNCTIONS.flatMap((f) => f.routes);

/**
 * The Lambdas Amazon Connect invokes from contact flows, with the exact table actions each needs.
 * The CDK stack lets only the configured Connect instance invoke them.
 */
export const CONNECT_FUNCTIONS = [
  {
    name: 'screen-pop',
    entry: 'functions/screen-pop/handler.ts',
    description: 'Connect screen pop: caller lookup and routing attributes',
    // The phone lookup and whether the accounts it names exist (a Query of each profile's key,
    // projected to its head), the account's counts (a Query of the counts index), the call log and
    // the caller journal's opening (PutItem), and its naming (UpdateItem: it never replaces what the
    // contact events set).
    access: access(['Query', 'PutItem', 'UpdateItem'], ['Query']),
  },
  {
    name: 'ivr-tracking',
    entry: 'functions/ivr-tracking/handler.ts',
    description: 'Connect IVR self-service shipment tracking',
    access: access(['Query', 'GetItem', 'UpdateItem']),
  },
  {
    name: 'ivr-complaint',
    entry: 'functions/ivr-complaint/handler.ts',
    description: 'Connect IVR complaint intake',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem']),
    handoff: true,
  },
  {
    name: 'ivr-callback',
    entry: 'functions/ivr-callback/handler.ts',
    description: 'Connect IVR customer-requested callback',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
    handoff: true,
  },
];

/** The IVR hand-off worker (SQS): finishes what a call could not, and confirms it by SMS. */
export const HANDOFF_WORKER = {
  name: 'ivr-handoff',
  entry: 'functions/ivr-handoff/handler.ts',
  access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
};

/** The background functions (queues, streams, topics, schedules) and their exact table access. */
export const BACKGROUND_FUNCTIONS = {
  'tracking-feed': {
    entry: 'functions/tracking-feed/handler.ts',
    access: access(['GetItem', 'PutItem', 'UpdateItem']),
  },
  'delay-watchdog': {
    entry: 'functions/delay-watchdog/handler.ts',
    access: access(['GetItem', 'PutItem', 'UpdateItem'], ['Query']),
  },
  'delay-publisher': {
    entry: 'functions/delay-publisher/handler.ts',
    access: access(['GetItem', 'DeleteItem']),
  },
  /**
   * Every 5 minutes: the outbox entries the stream gave up on (the due index's OUTBOX family),
   * published to the delay topic; each attempt counted on the entry, the last one dead-lettered.
   */
  'outbox-sweeper': {
    entry: 'functions/outbox-sweeper/handler.ts',
    access: access(['GetItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  notifier: {
    entry: 'functions/notifier/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
  },
  'deferred-notifications': {
    entry: 'functions/deferred-notifications/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  'proactive-call': {
    entry: 'functions/proactive-call/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem']),
  },
  /** Each level announced once: a claim per level (taken, completed, or released on a failed publish). */
  'sla-escalation': {
    entry: 'functions/sla-escalation/handler.ts',
    access: access(['PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  'follow-up-scheduler': {
    entry: 'functions/follow-up-scheduler/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem'], ['Query']),
  },
  dialer: {
    entry: 'functions/dialer/handler.ts',
    access: access(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  'contact-events': {
    entry: 'functions/contact-events/handler.ts',
    access: access(['GetItem', 'UpdateItem']),
  },
  /** The daily report; a claim per contact and day (taken, completed, or released on a failed send). */
  'tracking-report': {
    entry: 'functions/tracking-report/handler.ts',
    access: access(['Query', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  /** The weekly aggregates from the table's stream; rescores the accounts a fact touched. */
  analytics: {
    entry: 'functions/analytics/handler.ts',
    access: access(['PutItem', 'UpdateItem', 'BatchGetItem']),
  },
  'weekly-digest': {
    entry: 'functions/weekly-digest/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], ['Query']),
  },
  'churn-scorer': {
    entry: 'functions/churn-scorer/handler.ts',
    access: access(['Query', 'GetItem', 'PutItem', 'UpdateItem'], ['Query']),
  },
} satisfies Record<string, { entry: string; access: TableAccess }>;
