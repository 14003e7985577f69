import { type HttpLambda, invokeHttp } from '#local/api-gateway.ts';
import type { RouteDef } from '#shared/platform/http/route.ts';

/** Calls a Lambda's exported handler the way API Gateway does, and parses the JSON reply. */
export function apiClient(handler: HttpLambda, routes: Record<string, RouteDef>) {
  const list = Object.values(routes);
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await invokeHttp(handler, list, {
      method,
      url,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
    const json: any = res.body ? JSON.parse(res.body) : undefined;
    return { status: res.statusCode, headers: res.headers, json };
  };
}
