import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, localAwsEnv } from '#local/dynamodb.ts';
import type { DocumentClient } from '#shared/platform/dynamo/client.ts';

export interface BenchContext {
  endpoint: string;
  args: string[];
}

/** Points the SDK's standard settings at a fresh table on the bench's DynamoDB Local. */
export async function freshTable(ctx: BenchContext, name: string): Promise<string> {
  Object.assign(process.env, localAwsEnv(ctx.endpoint, name));
  const raw = new DynamoDBClient({});
  await createTable(raw, name);
  raw.destroy();
  return name;
}

export function option(args: string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export function median(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** Runs `fn` over the items, `n` at a time. */
export async function runPool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let it = queue.shift(); it !== undefined; it = queue.shift()) await fn(it);
    }),
  );
}

/** Counts DynamoDB requests per attempt, so SDK retries count too. */
export function counted(db: DocumentClient) {
  const counter = { requests: 0 };
  db.middlewareStack.add(
    (next) => async (args) => {
      counter.requests++;
      return next(args);
    },
    { step: 'deserialize', name: 'countRequests' },
  );
  return counter;
}
