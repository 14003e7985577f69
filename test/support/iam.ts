import { invokeHttp } from '#local/api-gateway.ts';
import { matchRoute, type RouteDef, routeKey } from '#shared/platform/http/route.ts';
import type { DynamoProxy } from './dynamo-proxy.ts';

/** A function's exact table access, as functions/index.ts declares it. */
export interface ExactAccess {
  table: readonly string[];
  indexes?: readonly string[];
}

/** The granted actions of a function, as the proxy names them (`Query@index` for an index). */
export function granted(access: unknown): Set<string> {
  if (!Array.isArray(access) && !(access && typeof access === 'object'))
    throw new Error(`${String(access)} is a blanket grant, not an exact list of actions`);
  const a = (Array.isArray(access) ? { table: access } : access) as ExactAccess;
  return new Set([...a.table, ...(a.indexes ?? []).map((x) => `${x}@index`)]);
}

/** Runs `paths` through the proxy and answers the IAM actions they needed. */
export async function used(proxy: DynamoProxy, paths: () => Promise<unknown>): Promise<string[]> {
  await proxy.settled();
  proxy.reset();
  await paths();
  // Writes that land after an answer (the screen pop's records) are needed all the same.
  await proxy.settled();
  return [...proxy.actions()].sort();
}

type HttpHandler = Parameters<typeof invokeHttp>[0];

/**
 * An API client for one HTTP function that remembers which of its routes were called and fails
 * on any 5xx, so a sweep can prove it went through every route.
 */
export function sweepClient(handler: HttpHandler, routes: readonly RouteDef[]) {
  const covered = new Set<string>();
  const call = async (
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    /** A 5xx the test provoked on purpose (a fault injected at the proxy). */
    expectServerError = false,
  ) => {
    const path = url.split('?')[0] ?? url;
    const match = matchRoute(routes, method, path);
    if (!match) throw new Error(`${method} ${path} is not a route of this function`);
    covered.add(routeKey(match.route));
    const res = await invokeHttp(handler, [...routes], {
      method,
      url,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.statusCode >= 500 !== expectServerError)
      throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    // biome-ignore lint/suspicious/noExplicitAny: responses are read field by field
    const json: any =
      res.body && res.headers?.['content-type']?.includes('json') ? JSON.parse(res.body) : res.body;
    return { status: res.statusCode, json };
  };
  const missing = () => routes.map(routeKey).filter((k) => !covered.has(k));
  return { call, missing };
}
