import type { RouteDef } from '#shared/http/route.ts';
import { accountRoutes } from './accounts/routes.ts';
import { screenPopRoutes } from './screen-pop-api/routes.ts';

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
];

export const ALL_ROUTES: RouteDef[] = HTTP_FUNCTIONS.flatMap((f) => f.routes);
