import type * as z from 'zod';
import type { Role } from '../roles.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseDef {
  description: string;
  schema?: z.ZodType;
  /** A body that is not JSON (a CSV download): its media type, documented as text. */
  contentType?: string;
}

/**
 * One HTTP route, declared once: the Lambda validates with it, the OpenAPI document is generated
 * from it, the CDK stack creates its API Gateway route from it, and the local server matches it.
 */
export interface RouteDef {
  method: Method;
  /** API Gateway path syntax: `/accounts/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /**
   * The body as the OpenAPI document shows it, where the handler checks parts of it itself (a batch
   * whose bad items are refused one by one while `body` only checks the batch's shape).
   */
  documentedBody?: z.ZodType;
  /** The roles that may call it (403 for the others); every role when absent. */
  roles?: readonly Role[];
  /**
   * Accepts an Idempotency-Key header (creates): `true`, the reply is kept and replayed
   * (platform/http/idempotency.ts); `'by-store'`, the endpoint's own write is idempotent on the
   * key (a claim written with it) and answers a retry itself, so no reply record is kept beside it.
   */
  idempotent?: boolean | 'by-store';
  responses: Record<number, ResponseDef>;
}

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Matches a concrete path against the route table, returning the route and its path parameters. */
export function matchRoute<R extends Pick<RouteDef, 'method' | 'path'>>(
  routes: readonly R[],
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const seg = pattern[i] ?? '';
      const part = parts[i] ?? '';
      if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(part);
      else if (seg !== part) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return undefined;
}
