export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first back-off's ceiling; each further one doubles, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which failures are worth another attempt; the rest are thrown at once. */
  retryIf?: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn` until it succeeds, at most `attempts` times, with exponential back-off and full
 * jitter between attempts. The last failure is thrown as it is: a bound, never a loop.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const sleep = o.sleep ?? realSleep;
  const random = o.random ?? Math.random;
  const base = o.baseDelayMs ?? 25;
  const max = o.maxDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= o.attempts || (o.retryIf && !o.retryIf(err))) throw err;
      await sleep(Math.round(random() * Math.min(max, base * 2 ** (attempt - 1))));
    }
  }
}
