import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { matchRoute, type RouteDef, routeKey } from '#shared/platform/http/route.ts';
import { ROLE_GROUPS, ROLES, type Role } from '#shared/platform/roles.ts';

/** The agent the local stack signs requests as (in AWS, the Cognito JWT supplies these claims). */
export const LOCAL_AGENT = {
  sub: 'agent-local-001',
  name: '本地坐席 Local Agent',
  email: 'agent@keyline.local',
  /** The local agent's team (queue), for the desktop's "my team" filter. */
  team: 'ka-grain-oil',
};

/**
 * The local role switch: the desktop names the role to act as in this header, and the local
 * gateway puts the matching Cognito group into the claims, flattened as API Gateway's HTTP API
 * flattens them. Without it the local user is a key-account manager and sees everything. The
 * deployed handlers read the role from the signed token's claims only, never from a header.
 */
export const LOCAL_ROLE_HEADER = 'x-keyline-role';

function localRole(headers: Record<string, string> | undefined): Role {
  const asked = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === LOCAL_ROLE_HEADER)?.[1];
  if (asked === undefined) return 'account-manager';
  // A role the switch does not know (a typo) gets the least, never the most.
  return ROLES.find((r) => r === asked) ?? 'agent';
}

export interface SimpleRequest {
  method: string;
  /** Path and query string, e.g. `/accounts?tier=key`. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Builds the API Gateway HTTP API (payload 2.0) event that API Gateway would send for this
 * request to the Lambda owning `routes`, including the JWT authorizer context.
 */
export function toApiGatewayEvent(
  routes: readonly RouteDef[],
  req: SimpleRequest,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const url = new URL(req.url, 'http://localhost');
  const match = matchRoute(routes, req.method, url.pathname);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: match ? routeKey(match.route) : '$default',
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers: Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: match && Object.keys(match.params).length ? match.params : undefined,
    body: req.body || undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'local',
      },
      requestId,
      routeKey: match ? routeKey(match.route) : '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: {
            sub: LOCAL_AGENT.sub,
            name: LOCAL_AGENT.name,
            email: LOCAL_AGENT.email,
            'cognito:username': LOCAL_AGENT.sub,
            'cognito:groups': `[${ROLE_GROUPS[localRole(req.headers)]}]`,
          },
          scopes: [],
        },
      },
    },
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type HttpLambda = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface LocalResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Invokes an HTTP Lambda as API Gateway would, normalizing the result shape. */
export async function invokeHttp(
  handler: HttpLambda,
  routes: readonly RouteDef[],
  req: SimpleRequest,
  functionName = 'keyline-local',
): Promise<LocalResponse> {
  const result = await handler(toApiGatewayEvent(routes, req), lambdaContext(functionName));
  if (typeof result === 'string') return { statusCode: 200, headers: {}, body: result };
  return {
    statusCode: result.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: result.body ?? '',
  };
}
