import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  DomainError,
  type FieldError,
  PROBLEM_ZH,
  type Problem,
  parseOrThrow,
  ValidationError,
} from '../errors.ts';
import { fieldError } from '../messages/index.ts';
import { logger, metrics } from '../observability/index.ts';
import { ZH_ERRORS } from '../plain-errors.ts';
import { groupsOf, type Role, roleOf } from '../roles.ts';
import type { HttpIdempotency, StoredResponse } from './idempotency.ts';
import { matchRoute, type RouteDef, routeKey } from './route.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** The agent behind a request, from the API Gateway JWT authorizer's claims. */
export interface Agent {
  id: string;
  name: string;
  /** From the user's Cognito groups; no known group → agent. */
  role: Role;
}

export interface Request<R extends RouteDef> {
  params: R['params'] extends z.ZodObject ? z.output<R['params']> : Record<string, never>;
  query: R['query'] extends z.ZodObject ? z.output<R['query']> : Record<string, never>;
  body: R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
  agent: Agent;
  requestId: string;
  /**
   * An idempotent route's Idempotency-Key, scoped to its caller (role, id, key): a create that
   * derives its ids from it makes the same items when retried after a failure part-way.
   */
  requestKey?: string;
}

export interface Reply {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Endpoint<R extends RouteDef = RouteDef> {
  route: R;
  handle: (req: Request<R>) => Promise<Reply>;
  /**
   * When the body fails its schema, the checks the endpoint would make after it (a phone number
   * against the account's region), run on the raw body so that one 400 names every failing field.
   * Paths are the body's (`body.` is added); a failure of the check itself is ignored.
   */
  alsoCheck?: (body: unknown, params: Record<string, string>) => Promise<FieldError[]>;
}

/** Binds a route definition to its implementation, keeping the request types tied to the schemas. */
export const endpoint = <R extends RouteDef>(
  route: R,
  handle: (req: Request<R>) => Promise<Reply>,
  alsoCheck?: Endpoint['alsoCheck'],
): Endpoint => ({ route, handle, ...(alsoCheck ? { alsoCheck } : {}) }) as unknown as Endpoint;

/** The body through its schema; on a refusal, with the endpoint's own checks of the raw body added. */
async function parseBody(
  ep: Endpoint,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  params: Record<string, string>,
  lang: z.core.ParseContext<z.core.$ZodIssue> | undefined,
): Promise<unknown> {
  const raw = parseJsonBody(event);
  try {
    return parseOrThrow(ep.route.body as z.ZodType, raw, ['body'], lang);
  } catch (err) {
    if (!(err instanceof ValidationError) || !ep.alsoCheck) throw err;
    const more = await ep.alsoCheck(raw, params).catch(() => []);
    const seen = new Set(err.errors.map((e) => e.path));
    const extra = more.map((e) => ({ ...e, path: `body.${e.path}` })).filter((e) => !seen.has(e.path));
    throw extra.length ? new ValidationError([...err.errors, ...extra]) : err;
  }
}

/** Where in a request a field error's path points, when it names its place. */
const PLACED = /^(body|query|path|header)(\.|$)/;

/**
 * A refusal from past the schemas (a phone number read in the account's region, a remedy the
 * segment does not offer) names fields of the body as the domain knows them (`contacts.0.phones.0.number`);
 * the client reads them as the schema's refusals do (`body.contacts.0.phones.0.number`).
 */
function inBody(err: unknown): unknown {
  if (!(err instanceof ValidationError) || err.errors.every((e) => PLACED.test(e.path))) return err;
  return new ValidationError(
    err.errors.map((e) => (PLACED.test(e.path) ? e : { ...e, path: `body.${e.path}` })),
    err.message,
    err.problem,
  );
}

/** A failure of HTTP itself (no such route), as opposed to a domain outcome. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Domain outcomes → HTTP: the one place a problem becomes a status code. */
const STATUS: Record<Problem, [number, string]> = {
  invalid: [400, 'validation_failed'],
  'not-found': [404, 'not_found'],
  'already-exists': [409, 'conflict'],
  'version-conflict': [409, 'conflict'],
  'illegal-transition': [409, 'illegal_transition'],
  'in-progress': [409, 'conflict'],
  'idempotency-key-reused': [422, 'idempotency_key_reused'],
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface HttpHandlerOptions {
  idempotency?: HttpIdempotency;
}

/**
 * The one HTTP Lambda shape: route by the API Gateway route key, parse and validate with the
 * route's zod schemas, run the endpoint (through idempotency for creates), and map every failure
 * to its status code: domain problems to 400 / 404 / 409 / 422, anything else to a 500 that
 * carries a request id and never a stack trace.
 */
export function httpHandler(endpoints: Endpoint[], options: HttpHandlerOptions = {}) {
  const byKey = new Map(endpoints.map((e) => [routeKey(e.route), e]));
  const core = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const zh = /^zh\b/i.test(headerOf(event, 'accept-language') ?? '');
    try {
      const method = event.requestContext?.http?.method ?? 'GET';
      const found = byKey.get(event.routeKey);
      const match = found
        ? undefined
        : matchRoute(
            endpoints.map((e) => e.route),
            method,
            event.rawPath ?? '',
          );
      const ep = found ?? (match ? byKey.get(routeKey(match.route)) : undefined);
      if (!ep) throw new HttpError(404, 'no_route', `No route for ${method} ${event.rawPath}`);
      const route = ep.route;
      const agent = agentOf(event);
      if (route.roles && !route.roles.includes(agent.role)) throw forbidden(route.roles, zh);
      const params = match?.params ?? event.pathParameters ?? {};
      const key = route.idempotent ? headerOf(event, 'idempotency-key') : undefined;
      // A key is its caller's: another user (or role) reusing it runs afresh, through its own role
      // checks, and never receives the stored reply of someone else's request.
      const requestKey = key && IDEMPOTENCY_KEY.test(key) ? `${agent.role}:${agent.id}:${key}` : undefined;
      // Field errors in the language the client asked for (the desktop sends the agent's).
      const lang = zh ? ZH_ERRORS : undefined;
      const req = {
        params: route.params ? parseOrThrow(route.params, params, ['path'], lang) : {},
        query: route.query
          ? parseOrThrow(route.query, event.queryStringParameters ?? {}, ['query'], lang)
          : {},
        body: route.body ? await parseBody(ep, event, params as Record<string, string>, lang) : undefined,
        agent,
        requestId,
        ...(requestKey ? { requestKey } : {}),
      } as Request<RouteDef>;
      const run = async (): Promise<StoredResponse> => {
        const r = await ep.handle(req).catch((err) => {
          throw route.body ? inBody(err) : err;
        });
        return { statusCode: r.statusCode, body: r.body, ...(r.headers ? { headers: r.headers } : {}) };
      };
      if (key !== undefined && !requestKey) {
        throw new ValidationError([fieldError('header.Idempotency-Key', 'request.idempotency-key')]);
      }
      const reply =
        requestKey && options.idempotency && route.idempotent === true
          ? await options.idempotency.run(
              routeKey(route),
              requestKey,
              { params: req.params, body: req.body },
              context,
              run,
            )
          : await run();
      // A reply with its own content type (a CSV report) goes out as it is.
      if (reply.headers?.['content-type'] && typeof reply.body === 'string') {
        return {
          statusCode: reply.statusCode,
          headers: { ...reply.headers, 'x-request-id': requestId },
          body: reply.body,
        };
      }
      return respond(reply.statusCode, reply.body, requestId);
    } catch (err) {
      const res = errorResponse(err, requestId, zh);
      metrics.addMetric(res.statusCode >= 500 ? 'ServerErrors' : 'ClientErrors', MetricUnit.Count, 1);
      return res;
    } finally {
      metrics.addMetric('Requests', MetricUnit.Count, 1);
    }
  };
  return middy(core)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

export function errorResponse(
  err: unknown,
  requestId: string,
  zh = false,
): { statusCode: number; headers: Record<string, string>; body: string } {
  if (err instanceof DomainError) {
    const [statusCode, code] = STATUS[err.problem];
    const invalid = err instanceof ValidationError;
    const details = invalid ? { errors: fieldErrorsIn(err.errors, zh) } : err.details;
    // A refusal's fields say what is wrong, each in the client's language; so does its headline.
    const message = zh ? (err.messageZh ?? PROBLEM_ZH[err.problem]) : err.message;
    return respond(statusCode, { error: code, message, ...details, requestId }, requestId);
  }
  if (err instanceof HttpError) {
    return respond(err.statusCode, { error: err.code, message: err.message, requestId }, requestId);
  }
  logger.error('unhandled error', { error: err as Error, requestId });
  return respond(
    500,
    {
      error: 'internal_error',
      message: zh
        ? '服务端出错。联系支持时请提供请求编号（requestId）。'
        : 'Something went wrong on our side. Quote the request id if you contact support.',
      requestId,
    },
    requestId,
  );
}

function respond(statusCode: number, body: unknown, requestId: string) {
  return {
    statusCode,
    headers: { ...JSON_HEADERS, 'x-request-id': requestId },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

function parseJsonBody(event: HttpEvent): unknown {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([fieldError('body', 'request.not-json')]);
  }
}

function headerOf(event: HttpEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

function agentOf(event: HttpEvent): Agent {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const id = String(claims.sub ?? 'anonymous');
  const name = String(claims.name ?? claims['cognito:username'] ?? claims.email ?? id);
  return { id, name, role: roleOf(groupsOf(claims['cognito:groups'])) };
}

const ROLE_NAMES: Record<Role, [string, string]> = {
  agent: ['agents', '坐席'],
  'team-lead': ['team leads', '组长'],
  'account-manager': ['key-account managers', '大客户经理'],
};

/** A route the caller's role may not use: 403, naming who may. */
function forbidden(roles: readonly Role[], zh: boolean): HttpError {
  const who = roles.map((r) => ROLE_NAMES[r][zh ? 1 : 0]);
  return new HttpError(
    403,
    'forbidden',
    zh ? `仅限${who.join('、')}使用` : `Only ${who.join(' and ')} may use this`,
  );
}

/** Field errors in the client's language where the domain gave both. */
function fieldErrorsIn(errors: FieldError[], zh: boolean) {
  return errors.map(({ messageZh, ...e }) => (zh && messageZh ? { ...e, message: messageZh } : e));
}
