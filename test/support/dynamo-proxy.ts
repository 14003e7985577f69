import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';

export interface ProxiedCall {
  /** DynamoDB operation, from the X-Amz-Target header (e.g. `Query`). */
  op: string;
  start: number;
  end: number;
  /**
   * The IAM actions the call needs: a transaction needs its items' (PutItem, UpdateItem,
   * DeleteItem, ConditionCheckItem, GetItem), a read of an index is `Query@index`.
   */
  actions?: string[];
}

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The IAM actions a DynamoDB request needs, from its operation and body. */
export function iamActions(op: string, body: string): string[] {
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return [op];
  }
  if (op === 'TransactWriteItems' || op === 'TransactGetItems')
    return [
      ...new Set(
        ((json.TransactItems ?? []) as Record<string, unknown>[]).flatMap((i) =>
          Object.keys(i).map((k) => TRANSACT_ACTIONS[k] ?? k),
        ),
      ),
    ];
  if ((op === 'Query' || op === 'Scan') && json.IndexName) return [`${op}@index`];
  return [op];
}

export interface Fault {
  /** Operations the fault applies to; all when empty. */
  ops?: string[];
  delayMs?: number;
  /** Answer as DynamoDB does when throttling, or with a 500. */
  fail?: 'throttle' | 'server-error';
  /** Only requests whose JSON body this accepts (one index, one key), when given. */
  when?: (body: string) => boolean;
  /**
   * The request reaches DynamoDB (a write lands) and only its reply is replaced by the failure:
   * the answer lost on its way back.
   */
  lostReply?: boolean;
}

/**
 * A loopback HTTP proxy in front of DynamoDB Local. Functions reach it through the standard
 * AWS_ENDPOINT_URL_DYNAMODB setting; tests read which calls were made (and when), and inject
 * slowness or failures, while the data still lives in the real engine.
 */
export class DynamoProxy {
  readonly calls: ProxiedCall[] = [];
  fault: Fault | undefined;
  private server: Server | undefined;
  endpoint = '';
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      this.inFlight++;
      res.on('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) for (const w of this.waiting.splice(0)) w();
      });
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const start = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const fault =
          this.fault &&
          (!this.fault.ops?.length || this.fault.ops.includes(op)) &&
          (!this.fault.when || this.fault.when(Buffer.concat(chunks).toString('utf8')))
            ? this.fault
            : undefined;
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault?.fail && fault.lostReply)
          await this.forwardOnly(target, req.url, req.method, req.headers, chunks);
        if (fault?.fail) {
          const throttle = fault.fail === 'throttle';
          res.writeHead(throttle ? 400 : 500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({
              __type: throttle
                ? 'com.amazonaws.dynamodb.v20120810#ThrottlingException'
                : 'com.amazon.coral.service#InternalFailure',
              message: throttle
                ? 'Rate of requests exceeds the allowed throughput.'
                : 'Internal server error',
            }),
          );
          this.calls.push({ op, start, end: performance.now() });
          return;
        }
        const upstream = request(
          {
            hostname: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (up) => {
            res.writeHead(up.statusCode ?? 500, up.headers);
            up.pipe(res);
            up.on('end', () =>
              this.calls.push({
                op,
                start,
                end: performance.now(),
                actions: iamActions(op, Buffer.concat(chunks).toString('utf8')),
              }),
            );
          },
        );
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(Buffer.concat(chunks));
      });
    });
    // Never the first to close an idle kept-alive connection: a client that reuses it as the
    // server's 5 s default runs out reads ECONNRESET (seen once in a full run, in iam-background).
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    this.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.endpoint;
  }

  /** Sends a request on to DynamoDB and drops its answer. */
  private forwardOnly(
    target: URL,
    path: string | undefined,
    method: string | undefined,
    headers: IncomingHttpHeaders,
    chunks: Buffer[],
  ): Promise<void> {
    return new Promise<void>((resolve) => {
      const up = request({ hostname: target.hostname, port: target.port, path, method, headers }, (r) => {
        r.resume();
        r.on('end', () => resolve());
      });
      up.on('error', () => resolve());
      up.end(Buffer.concat(chunks));
    });
  }

  /** Every IAM action the calls so far needed. */
  actions(): Set<string> {
    return new Set(this.calls.flatMap((c) => c.actions ?? [c.op]));
  }

  reset() {
    this.calls.length = 0;
    this.fault = undefined;
  }

  /**
   * Once no request is in flight: a screen pop answers before its records land (they are not on
   * the caller's path), so a test waits for them before it reads `calls` or resets.
   */
  async settled(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((r) => this.waiting.push(r));
  }

  /** The longest chain of calls where each starts after the previous one ended: sequential round trips. */
  sequentialRoundTrips(): number {
    const sorted = [...this.calls].sort((a, b) => a.end - b.end);
    const depth = new Map<ProxiedCall, number>();
    for (const c of sorted) {
      let d = 1;
      for (const p of sorted) if (p.end <= c.start) d = Math.max(d, (depth.get(p) ?? 1) + 1);
      depth.set(c, d);
    }
    return Math.max(0, ...depth.values());
  }

  async stop() {
    await this.settled();
    await new Promise((r) => {
      this.server?.close(r);
      // Kept-alive client sockets would hold the server open for their 120 s timeout.
      this.server?.closeAllConnections();
    });
  }
}
