import type { RouteDef } from '#shared/http/route.ts';
import { accountRoutes } from './accounts/routes.ts';

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
];

export const ALL_ROUTES: RouteDef[] = HTTP_FUNCTIONS.flatMap((f) => f.routes);
