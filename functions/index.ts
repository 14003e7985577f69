import type { RouteDef } from '#shared/platform/http/route.ts';
import { accountRoutes } from './accounts/routes.ts';
import { campaignRoutes } from './campaigns/routes.ts';
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
    access: 'RW' as const,
    routes: Object.values(accountRoutes) as RouteDef[],
    load: () => import('./accounts/handler.ts'),
  },
  {
    name: 'screen-pop-api',
    entry: 'functions/screen-pop-api/handler.ts',
    access: 'RO' as const,
    routes: Object.values(screenPopRoutes) as RouteDef[],
    load: () => import('./screen-pop-api/handler.ts'),
  },
  {
    name: 'complaints',
    entry: 'functions/complaints/handler.ts',
    access: 'RW' as const,
    routes: Object.values(complaintRoutes) as RouteDef[],
    load: () => import('./complaints/handler.ts'),
  },
  {
    name: 'campaigns',
    entry: 'functions/campaigns/handler.ts',
    access: 'RW' as const,
    routes: Object.values(campaignRoutes) as RouteDef[],
    load: () => import('./campaigns/handler.ts'),
  },
  {
    name: 'tracking',
    entry: 'functions/tracking/handler.ts',
    access: 'RW' as const,
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
    // The phone lookup and the counters' shards (Query), the call log (PutItem), and whether the
    // accounts the lookup names exist (BatchGetItem of their profiles' heads).
    access: ['Query', 'PutItem', 'BatchGetItem'] as const,
  },
  {
    name: 'ivr-tracking',
    entry: 'functions/ivr-tracking/handler.ts',
    description: 'Connect IVR self-service shipment tracking',
    access: ['Query', 'GetItem'] as const,
  },
  {
    name: 'ivr-complaint',
    entry: 'functions/ivr-complaint/handler.ts',
    description: 'Connect IVR complaint intake',
    access: ['Query', 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'] as const,
    handoff: true,
  },
  {
    name: 'ivr-callback',
    entry: 'functions/ivr-callback/handler.ts',
    description: 'Connect IVR customer-requested callback',
    access: ['Query', 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] as const,
    handoff: true,
  },
];

/** The IVR hand-off worker (SQS): finishes what a call could not, and confirms it by SMS. */
export const HANDOFF_WORKER = {
  name: 'ivr-handoff',
  entry: 'functions/ivr-handoff/handler.ts',
  access: ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] as const,
};
