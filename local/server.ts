import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_ROUTES, HTTP_FUNCTIONS } from '#functions/index.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { openApiDocument } from '#shared/platform/http/openapi.ts';
import { matchRoute } from '#shared/platform/http/route.ts';
import { sendDailyReports } from '#shared/shipments/report.ts';
import { Shipments } from '#shared/shipments/service.ts';
import type { LocalTopic } from './adapters.ts';
import { type HttpLambda, invokeHttp, LOCAL_AGENT } from './api-gateway.ts';
import {
  DEMO_CALLERS,
  simulateInboundCall,
  simulateIvrCallback,
  simulateIvrComplaint,
  simulateIvrTracking,
} from './call-simulator.ts';
import { weatherIncident } from './incident.ts';
import type { LocalSchedulers } from './schedulers.ts';
import type { SimulatedDialer } from './simulated-dialer.ts';

const STREAMS_JS = fileURLToPath(
  new URL('../node_modules/amazon-connect-streams/release/connect-streams-min.js', import.meta.url),
);
const WEB_ROOT = resolve(fileURLToPath(new URL('../web/', import.meta.url)));
const MAX_BODY_BYTES = 1_000_000;
export const API_PREFIX = '/api';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The local stand-in for API Gateway and the static site: `/api/*` goes to the very handlers the
 * Lambdas export, as API Gateway v2 events; everything else is the agent desktop from web/.
 * It binds to 127.0.0.1 only.
 */
export function createLocalServer(
  options: { outbox?: LocalTopic; dialer?: SimulatedDialer; schedulers?: LocalSchedulers } = {},
): Server {
  const handlers = new Map<string, Promise<HttpLambda>>();
  const handlerFor = (name: string, load: () => Promise<{ handler: HttpLambda }>) => {
    let h = handlers.get(name);
    if (!h) {
      h = load().then((m) => m.handler);
      handlers.set(name, h);
    }
    return h;
  };
  const openapi = JSON.stringify(openApiDocument(ALL_ROUTES, API_PREFIX), null, 2);

  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/openapi.json' || url.pathname === `${API_PREFIX}/openapi.json`) {
        return send(res, 200, openapi, CONTENT_TYPES['.json']);
      }
      if (url.pathname === '/healthz') return send(res, 200, '{"ok":true}', CONTENT_TYPES['.json']);
      if (url.pathname === '/config.json') {
        return send(
          res,
          200,
          JSON.stringify({
            mode: 'local',
            apiBase: API_PREFIX,
            callers: DEMO_CALLERS,
            agent: { name: LOCAL_AGENT.name, team: LOCAL_AGENT.team },
          }),
          CONTENT_TYPES['.json'],
        );
      }
      if (url.pathname === '/vendor/connect-streams-min.js') {
        return send(res, 200, await readFile(STREAMS_JS, 'utf8'), CONTENT_TYPES['.js']);
      }
      if (url.pathname === '/local/dials') {
        return send(
          res,
          200,
          JSON.stringify({ items: options.dialer?.dials.slice(0, 50) ?? [] }),
          CONTENT_TYPES['.json'],
        );
      }
      if (url.pathname === '/local/outbox') {
        const sch = options.schedulers;
        return send(
          res,
          200,
          JSON.stringify({
            sms: sch?.sms.sent.slice(0, 50) ?? [],
            email: sch?.email.sent.slice(0, 20).map(({ html: _h, ...e }) => e) ?? [],
            delayEvents: sch?.delayTopic.events.slice(0, 50) ?? [],
          }),
          CONTENT_TYPES['.json'],
        );
      }
      if (url.pathname === '/local/incident' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}') as { region?: unknown; hours?: unknown };
        const region = typeof body.region === 'string' && body.region ? body.region : '华北';
        const hours = typeof body.hours === 'number' ? body.hours : 30;
        const db = documentClient();
        const table = String(process.env.TABLE_NAME);
        const r = await weatherIncident(new Accounts(db, table), new Shipments(db, table), region, hours);
        return send(res, 200, JSON.stringify(r), CONTENT_TYPES['.json']);
      }
      if (url.pathname === '/local/report' && req.method === 'POST') {
        const sch = options.schedulers;
        const db = documentClient();
        const table = String(process.env.TABLE_NAME);
        const accountId = url.searchParams.get('accountId') ?? undefined;
        const sent = sch
          ? await sendDailyReports(
              new Accounts(db, table),
              new Shipments(db, table),
              sch.email,
              new Date(),
              accountId,
            )
          : 0;
        return send(res, 200, JSON.stringify({ sent }), CONTENT_TYPES['.json']);
      }
      if (url.pathname === '/local/events') {
        return send(
          res,
          200,
          JSON.stringify({ items: options.outbox?.events ?? [] }),
          CONTENT_TYPES['.json'],
        );
      }
      if (url.pathname.startsWith('/local/')) return await localTool(url.pathname, req, res);
      if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
        const path = url.pathname.slice(API_PREFIX.length) || '/';
        const method = req.method ?? 'GET';
        const fn = HTTP_FUNCTIONS.find((f) => matchRoute(f.routes, method, path));
        if (!fn) {
          return send(
            res,
            404,
            JSON.stringify({ error: 'no_route', message: `No route for ${method} ${path}` }),
            CONTENT_TYPES['.json'],
          );
        }
        const body = await readBody(req);
        if (body === undefined) {
          return send(
            res,
            413,
            JSON.stringify({ error: 'too_large', message: 'Body over 1 MB' }),
            CONTENT_TYPES['.json'],
          );
        }
        const handler = await handlerFor(fn.name, fn.load as () => Promise<{ handler: HttpLambda }>);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const out = await invokeHttp(
          handler,
          fn.routes,
          { method, url: `${path}${url.search}`, headers, body },
          `keyline-${fn.name}`,
        );
        res.writeHead(out.statusCode, out.headers);
        return res.end(out.body);
      }
      return serveStatic(url.pathname, res);
    } catch (err) {
      console.error('local server error', err);
      if (!res.headersSent)
        send(
          res,
          500,
          JSON.stringify({ error: 'internal_error', message: 'Local server error' }),
          CONTENT_TYPES['.json'],
        );
    }
  });
}

/** Local-only tools for the desktop's simulator; not part of the deployed API. */
async function localTool(pathname: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'POST')
    return send(res, 405, JSON.stringify({ error: 'method_not_allowed' }), CONTENT_TYPES['.json']);
  let body: {
    from?: unknown;
    waybill?: unknown;
    category?: unknown;
    language?: unknown;
    parameters?: unknown;
  };
  try {
    body = JSON.parse((await readBody(req)) || '{}');
  } catch {
    return send(
      res,
      400,
      JSON.stringify({
        error: 'validation_failed',
        errors: [{ path: 'body', message: 'body is not valid JSON' }],
      }),
      CONTENT_TYPES['.json'],
    );
  }
  const from = typeof body.from === 'string' ? body.from : '';
  if (pathname === '/local/connect/inbound-call') {
    const params =
      body.parameters && typeof body.parameters === 'object'
        ? (body.parameters as Record<string, string>)
        : {};
    return send(res, 200, JSON.stringify(await simulateInboundCall(from, params)), CONTENT_TYPES['.json']);
  }
  if (pathname === '/local/connect/ivr-callback') {
    const language = typeof body.language === 'string' ? body.language : undefined;
    return send(res, 200, JSON.stringify(await simulateIvrCallback(from, language)), CONTENT_TYPES['.json']);
  }
  if (pathname === '/local/connect/ivr-complaint') {
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return send(
      res,
      200,
      JSON.stringify(
        await simulateIvrComplaint(from, str(body.category) ?? '', str(body.waybill), str(body.language)),
      ),
      CONTENT_TYPES['.json'],
    );
  }
  if (pathname === '/local/connect/ivr-tracking') {
    const waybill = typeof body.waybill === 'string' ? body.waybill : '';
    const language = typeof body.language === 'string' ? body.language : undefined;
    return send(
      res,
      200,
      JSON.stringify(await simulateIvrTracking(from, waybill, language)),
      CONTENT_TYPES['.json'],
    );
  }
  return send(res, 404, JSON.stringify({ error: 'no_route' }), CONTENT_TYPES['.json']);
}

async function serveStatic(pathname: string, res: ServerResponse) {
  const rel =
    pathname === '/' ? 'index.html' : normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const file = resolve(join(WEB_ROOT, rel));
  if (!file.startsWith(WEB_ROOT)) return send(res, 403, 'Forbidden', 'text/plain');
  try {
    const data = await readFile(file);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(data);
  } catch {
    send(res, 404, 'Not found', 'text/plain; charset=utf-8');
  }
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}
