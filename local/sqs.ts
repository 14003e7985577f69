/**
 * A local stand-in for one Amazon SQS queue, speaking the SDK's AWS JSON protocol for
 * SendMessage, so the Lambdas' real SQS client and adapter run unchanged (they reach it through
 * the standard AWS_ENDPOINT_URL_SQS). Each message is handed to a consumer; a failure is retried
 * after a pause, and after `maxReceives` the message goes to the dead letters, as a redrive
 * policy would put it in a dead-letter queue.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalMessage {
  messageId: string;
  body: string;
  receives: number;
}

export interface LocalQueueOptions {
  maxReceives?: number;
  retryAfterMs?: number;
}

export class LocalSqs {
  readonly sent: LocalMessage[] = [];
  readonly deadLetters: LocalMessage[] = [];
  private consumer: ((m: LocalMessage) => Promise<void>) | undefined;
  endpoint = '';
  private server: Server | undefined;
  private readonly waiting: LocalMessage[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = Promise.resolve();

  constructor(
    readonly queueName: string,
    private readonly o: LocalQueueOptions = {},
  ) {}

  get queueUrl(): string {
    return `${this.endpoint}/000000000000/${this.queueName}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(body));
        };
        if (target !== 'AmazonSQS.SendMessage') {
          reply(400, {
            __type: 'com.amazonaws.sqs#InvalidAction',
            message: `${target} is not supported here`,
          });
          return;
        }
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { MessageBody: string };
        const m: LocalMessage = { messageId: randomUUID(), body: input.MessageBody, receives: 0 };
        this.sent.push(m);
        this.deliver(m);
        reply(200, {
          MessageId: m.messageId,
          MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
        });
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Sets the consumer (until one is set, messages wait) and hands it what is waiting. */
  consume(fn: (m: LocalMessage) => Promise<void>): this {
    this.consumer = fn;
    this.running = this.running.then(() => this.consumeWaiting());
    return this;
  }

  /** Resolves once every message sent so far has been consumed or dead-lettered. */
  async drained(): Promise<void> {
    while (this.waiting.length > 0 || this.timers.size > 0) {
      await this.running;
      await new Promise((r) => setTimeout(r, 10));
    }
    await this.running;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private deliver(m: LocalMessage): void {
    this.waiting.push(m);
    this.running = this.running.then(() => this.consumeWaiting());
  }

  private async consumeWaiting(): Promise<void> {
    if (!this.consumer) return;
    for (let m = this.waiting.shift(); m; m = this.waiting.shift()) {
      m.receives++;
      try {
        await this.consumer(m);
      } catch (err) {
        if (m.receives >= (this.o.maxReceives ?? 5)) {
          this.deadLetters.push(m);
          console.error(`[${this.queueName}] dead-lettered ${m.messageId}:`, (err as Error).message);
          continue;
        }
        const retry = m;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.deliver(retry);
        }, this.o.retryAfterMs ?? 2_000);
        timer.unref();
        this.timers.add(timer);
      }
    }
  }
}
