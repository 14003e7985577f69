import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_ROUTES, HTTP_FUNCTIONS } from '#functions/index.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { teamNames } from '#shared/accounts/teams.ts';
import { NotificationRepo } from '#shared/notify/repo.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { documentClient } from '#shared/platform/dynamo/client.ts';
import { openApiDocument } from '#shared/platform/http/openapi.ts';
import { matchRoute } from '#shared/platform/http/route.ts';
import { contentTag } from '#shared/platform/http/tag.ts';
import { sendDailyReports } from '#shared/shipments/report.ts';
import { Shipments } from '#shared/shipments/service.ts';
import type { LocalTopic } from './adapters.ts';
import { type HttpLambda, invokeHttp, LOCAL_AGENT } from './api-gateway.ts';
import { DEMO_CALLERS } from './call-simulator.ts';
import { runConnectTool } from './connect-tools.ts';
import { HttpError } from './http-error.ts';
import { weatherIncident } from './incident.ts';
import type { LocalSchedulers } from './schedulers.ts';
import type { SimulatedDialer } from './simulated-dialer.ts';

const STREAMS_JS = fileURLToPath(
  new URL('../node_modules/amazon-connect-streams/release/connect-streams-min.js', import.meta.url),
);
/** Apache ECharts for the cockpit, as an ES module straight from node_modules (no build step). */
const ECHARTS_JS = fileURLToPath(new URL('../node_modules/echarts/dist/echarts.esm.min.js', import.meta.url));
let echartsJs: Promise<string> | undefined;
const WEB_ROOT = resolve(fileURLToPath(new URL('../web/', import.meta.url)));
/** The API's body limit (API Gateway's is 10 MB; Keyline's largest request is far below 1 MB). */
const MAX_BODY_BYTES = 1_000_000;
/** The local tools' body limit: they take a few fields. */
const MAX_TOOL_BODY_BYTES = 16_384;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
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
 * It binds to 127.0.0.1 only. No request can take it down: every failure is answered as JSON with
 * its status and logged, and a write from another site is refused (the local agent needs no
 * sign-in, so any page the agent opens could otherwise act as them).
 */
export function createLocalServer(
  options: {
    outbox?: LocalTopic;
    dialer?: SimulatedDialer;
    schedulers?: LocalSchedulers;
    /** How often the desktop asks its live feed (3 s unless set; the browser tests go faster). */
    liveEveryMs?: number;
  } = {},
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    checkSameSite(req);
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
          teams: teamNames(),
          ...(options.liveEveryMs ? { liveEveryMs: options.liveEveryMs } : {}),
        }),
        CONTENT_TYPES['.json'],
      );
    }
    if (url.pathname === '/vendor/echarts.esm.min.js') {
      echartsJs ??= readFile(ECHARTS_JS, 'utf8');
      return send(res, 200, await echartsJs, CONTENT_TYPES['.js']);
    }
    if (url.pathname === '/vendor/connect-streams-min.js') {
      return send(res, 200, await readFile(STREAMS_JS, 'utf8'), CONTENT_TYPES['.js']);
    }
    if (url.pathname === '/local/feed') {
      // The simulators' side of the desk's live feed: what they sent, dialed and published, with
      // a tag; a client that holds the tag gets the tag alone.
      const sch = options.schedulers;
      const snapshot = {
        outbox: {
          sms: sch?.sms.sent.slice(0, 50) ?? [],
          email: sch?.email.sent.slice(0, 20).map(({ html: _h, ...e }) => e) ?? [],
          delayEvents: sch?.delayTopic.events.slice(0, 50) ?? [],
          // How many were sent in all: the lists above are the newest only.
          totals: { sms: sch?.sms.sent.length ?? 0, email: sch?.email.sent.length ?? 0 },
        },
        dials: options.dialer?.dials.slice(0, 50) ?? [],
        events: options.outbox?.events ?? [],
      };
      const tag = contentTag(snapshot);
      const body = url.searchParams.get('have') === tag ? { tag } : { tag, ...snapshot };
      return send(res, 200, JSON.stringify(body), CONTENT_TYPES['.json']);
    }
    if (url.pathname === '/local/incident' && req.method === 'POST') {
      const body = (await readJson(req)) as { region?: unknown; hours?: unknown };
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
      if (accountId !== undefined && !(await new Accounts(db, table).get(accountId)))
        return send(
          res,
          404,
          JSON.stringify({ error: 'not_found', message: `No account ${accountId}: nothing was sent` }),
          CONTENT_TYPES['.json'],
        );
      const run = sch
        ? await sendDailyReports(
            {
              accounts: new Accounts(db, table),
              shipments: new Shipments(db, table),
              email: sch.email,
              claims: new Claims(db, table),
              notifications: new NotificationRepo(db, table),
            },
            new Date(),
            accountId,
          )
        : { sent: 0 };
      return send(res, 200, JSON.stringify(run), CONTENT_TYPES['.json']);
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
      const body = await readBody(req, MAX_BODY_BYTES);
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
    if (!SAFE_METHODS.has(req.method ?? 'GET')) {
      throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
    }
    return await serveStatic(url.pathname, res);
  };
  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => fail(req, res, err));
  });
}

/** Answers a failure as JSON (a 4xx with what was wrong, a 500 without details) and logs it. */
function fail(req: IncomingMessage, res: ServerResponse, err: unknown) {
  const known = err instanceof HttpError;
  const status = known ? err.status : 500;
  const target = String(req.url ?? '').slice(0, 200);
  if (known) console.warn(`local server: ${status} ${req.method} ${target}: ${err.message}`);
  else console.error(`local server: 500 ${req.method} ${target}`, err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The rest of an over-long body is drained, not read into memory.
  if (!req.complete) req.resume();
  send(
    res,
    status,
    JSON.stringify(
      known
        ? { error: err.code, message: err.message }
        : { error: 'internal_error', message: 'Local server error' },
    ),
    CONTENT_TYPES['.json'],
  );
}

/** The request's URL, with a path that decodes; otherwise a 400. */
function requestUrl(req: IncomingMessage): URL {
  if (!METHODS.has(req.method ?? ''))
    throw new HttpError(405, 'method_not_allowed', `unknown method ${req.method}`);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    throw new HttpError(400, 'bad_request', 'the request target is not a valid URL path');
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'bad_request', 'the path has malformed percent-encoding');
  }
  return url;
}

/**
 * Refuses a write that another site's page makes in the agent's browser: by `Sec-Fetch-Site`
 * (browsers send it), by an `Origin` that is not this server, and by requiring a JSON body
 * (a cross-site form or `text/plain` post cannot set that content type without a preflight,
 * which this server never grants).
 */
function checkSameSite(req: IncomingMessage) {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'cross_site', `a ${site} request may not write here`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host)
      throw new HttpError(403, 'cross_site', `origin ${origin.slice(0, 100)} may not write here`);
  } else if (origin === 'null') {
    throw new HttpError(403, 'cross_site', 'an opaque origin may not write here');
  }
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (hasBody && type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
}

/** The body as JSON (`{}` when empty); a 400 naming the body when it does not parse. */
async function readJson(req: IncomingMessage, limit = MAX_TOOL_BODY_BYTES): Promise<unknown> {
  const text = await readBody(req, limit);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'validation_failed', 'body: not valid JSON');
  }
}

/** Local-only tools for the desktop's simulator (connect-tools.ts); not part of the deployed API. */
async function localTool(pathname: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${pathname} takes POST`);
  const answer = await runConnectTool(pathname, await readJson(req));
  return send(res, 200, JSON.stringify(answer), CONTENT_TYPES['.json']);
}

async function serveStatic(pathname: string, res: ServerResponse) {
  const rel =
    pathname === '/' ? 'index.html' : normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const file = resolve(join(WEB_ROOT, rel));
  if (file !== WEB_ROOT && !file.startsWith(`${WEB_ROOT}/`))
    throw new HttpError(403, 'forbidden', 'outside the desktop');
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new HttpError(404, 'not_found', `no file at ${pathname.slice(0, 200)}`);
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  res.end(data);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain') {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/**
 * The body as text, at most `limit` bytes: a larger one is refused with 413 as soon as it is
 * announced (Content-Length) or read past the limit, never held in memory.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limit));
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) =>
      reject(new HttpError(400, 'bad_request', `the body could not be read: ${err.message}`)),
    );
  });
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'too_large', `the body is over ${Math.round(limit / 1024)} KB`);

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}
