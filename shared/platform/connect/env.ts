/**
 * The settings of the contact-flow Lambdas that read and route (screen pop, IVR tracking), read
 * without a schema library for the reason event.ts gives: a caller waits through their cold start.
 * A missing or malformed variable fails at start-up and says which one and why, as loadEnv does.
 */
export interface ConnectLambdaEnv {
  TABLE_NAME: string;
  /** Milliseconds the lookup may take before the Lambda answers its routable default. */
  LOOKUP_BUDGET_MS: number;
}

export interface ScreenPopEnv extends ConnectLambdaEnv {
  DEFAULT_QUEUE: string;
  /** Queue name → queue ARN as JSON. */
  QUEUE_ARNS: string;
  DESKTOP_URL: string;
}

type Source = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly source: Source) {}

  string(name: string, o: { min?: number; default?: string } = {}): string {
    const v = this.source[name] ?? o.default;
    if (v === undefined) this.problems.push(`${name}: ${name} is required`);
    else if (v.length < (o.min ?? 0)) this.problems.push(`${name}: ${name} is required`);
    return v ?? '';
  }

  int(name: string, o: { min: number; max: number; default: number }): number {
    const raw = this.source[name];
    if (raw === undefined || raw === '') return o.default;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < o.min || n > o.max)
      this.problems.push(`${name}: expected a whole number from ${o.min} to ${o.max}, got "${raw}"`);
    return n;
  }

  url(name: string, fallback: string): string {
    const v = this.source[name] ?? fallback;
    if (!URL.canParse(v)) this.problems.push(`${name}: expected a URL, got "${v}"`);
    return v;
  }

  done<T>(value: T): T {
    if (this.problems.length) throw new Error(`Invalid configuration: ${this.problems.join('; ')}`);
    return value;
  }
}

function readConnect(r: Reader): ConnectLambdaEnv {
  return {
    TABLE_NAME: r.string('TABLE_NAME', { min: 3 }),
    LOOKUP_BUDGET_MS: r.int('LOOKUP_BUDGET_MS', { min: 100, max: 7000, default: 1500 }),
  };
}

export function connectLambdaEnv(source: Source = process.env): ConnectLambdaEnv {
  const r = new Reader(source);
  return r.done(readConnect(r));
}

export function screenPopEnv(source: Source = process.env): ScreenPopEnv {
  const r = new Reader(source);
  return r.done({
    ...readConnect(r),
    DEFAULT_QUEUE: r.string('DEFAULT_QUEUE', { min: 1, default: 'general-service' }),
    QUEUE_ARNS: r.string('QUEUE_ARNS', { default: '{}' }),
    DESKTOP_URL: r.url('DESKTOP_URL', 'http://127.0.0.1:4310/'),
  });
}
