import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ErrorBody } from './errors-schema.ts';
import type { ResponseDef, RouteDef } from './route.ts';

const IdempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{8,128}$/)
    .optional()
    .meta({
      description:
        "A retried request with the same key (the same caller's) returns the first result and creates nothing new",
    }),
});

const FORBIDDEN = { description: "The caller's role may not use this route", schema: ErrorBody };
const INVALID = {
  description: 'A refused request: each failing field named in errors[].path',
  schema: ErrorBody,
};
const KEY_REUSED = {
  description: 'The Idempotency-Key was used before by this caller with a different request',
  schema: ErrorBody,
};
const IN_PROGRESS = {
  description: 'A version conflict, or a request with this Idempotency-Key is still running: retry shortly',
  schema: ErrorBody,
};

/**
 * Generates the OpenAPI 3.1 document from the route definitions, the same zod schemas the
 * Lambdas validate with. Only the local server and the docs build import this module, so the
 * generator never lands in a Lambda bundle.
 */
export function openApiDocument(routes: readonly RouteDef[], serverUrl = '/') {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'agentJwt', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token of an authenticated agent',
  });
  for (const r of routes) {
    registry.registerPath({
      method: r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: r.path,
      operationId: r.operationId,
      summary: r.summary,
      ...(r.roles ? { description: `Roles: ${r.roles.join(', ')}` } : {}),
      tags: [r.tag],
      security: [{ [bearer.name]: [] }],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query } : {}),
        ...(r.idempotent
          ? {
              headers: IdempotencyHeader,
            }
          : {}),
        ...(r.body
          ? {
              body: {
                required: true,
                content: { 'application/json': { schema: r.documentedBody ?? r.body } },
              },
            }
          : {}),
      },
      responses: Object.fromEntries(
        Object.entries<ResponseDef>({
          // Whatever a route validates (its path, query or body) it may refuse with a 400.
          ...(r.params || r.query || r.body ? { 400: INVALID } : {}),
          ...r.responses,
          ...(r.roles ? { 403: FORBIDDEN } : {}),
          ...(r.idempotent === true ? { 409: r.responses[409] ?? IN_PROGRESS } : {}),
          ...(r.idempotent ? { 422: KEY_REUSED } : {}),
        }).map(([status, res]) => [
          status,
          {
            description: res.description,
            ...(res.schema ? { content: { 'application/json': { schema: res.schema } } } : {}),
            ...(res.contentType ? { content: { [res.contentType]: { schema: { type: 'string' } } } } : {}),
          },
        ]),
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Keyline API',
      version: '0.1.0',
      description:
        'Customer-service integration of a 3PL: key accounts, screen pops, complaints, callback campaigns and delay alerts.\n\n' +
        'Errors: 400 names each failing field in `errors[].path`; 403 the role may not; 404 unknown id; 409 version conflict ' +
        '(or the same Idempotency-Key still running); 413 body too large; 422 an Idempotency-Key reused with another request; ' +
        '500 carries a request id.',
    },
    servers: [{ url: serverUrl }],
  });
}
