import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { type Lang, say } from './cli-messages.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb.ts';

/** The options every command that reaches DynamoDB takes. */
export interface TargetOptions {
  table?: string;
  endpoint?: string;
  region?: string;
}

/**
 * The table and a client for it, from the options and the environment; undefined (after saying
 * why) when no region is known for a non-local endpoint.
 */
export function connect(
  values: TargetOptions,
  lang: Lang = 'en',
): { db: ReturnType<typeof createDocumentClient>; table: string } | undefined {
  const table = values.table ?? process.env.TABLE_NAME ?? 'keyline-local';
  const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/i.test(endpoint)) {
    console.error(say(lang, 'target.endpoint', { endpoint }));
    return undefined;
  }
  const loopback = endpoint !== undefined && isLoopback(endpoint);
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!loopback && !region) {
    console.error(say(lang, 'target.no-region'));
    return undefined;
  }
  // DynamoDB Local keeps a database per access key and region: a loopback endpoint always gets
  // the ones npm start uses, whatever the shell or --region says, so a fresh shell needs nothing.
  if (loopback && values.region && values.region !== LOCAL_REGION)
    console.error(say(lang, 'target.region-ignored', { region: values.region, local: LOCAL_REGION }));
  const db = createDocumentClient({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(loopback ? { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } : { region: region as string }),
  });
  return { db, table };
}

/** Why a run stopped, in words, with what to do about it. */
export function whyStopped(cause: unknown, table: string, lang: Lang = 'en'): string {
  const e = cause as { name?: string; message?: string } | undefined;
  if (e?.name === 'ResourceNotFoundException') return say(lang, 'stopped.no-table', { table });
  const hint = hintFor(cause);
  return `${String(e?.message ?? cause).replace(/\.$/, '')}.${hint ? say(lang, hint) : ''}`;
}

type Hint =
  | 'stopped.no-credentials'
  | 'stopped.no-answer'
  | 'stopped.access-denied'
  | 'stopped.bad-credentials'
  | 'stopped.throttled';

/** What a person can do about an SDK's failure, by its error name: the SDK's own message is English. */
const HINTS: Record<string, Hint> = {
  AccessDeniedException: 'stopped.access-denied',
  UnrecognizedClientException: 'stopped.bad-credentials',
  ExpiredTokenException: 'stopped.bad-credentials',
  InvalidSignatureException: 'stopped.bad-credentials',
  ThrottlingException: 'stopped.throttled',
  ProvisionedThroughputExceededException: 'stopped.throttled',
  RequestLimitExceeded: 'stopped.throttled',
};

function hintFor(cause: unknown): Hint | undefined {
  const e = cause as { name?: string; message?: string; code?: string } | undefined;
  const named = e?.name ? HINTS[e.name] : undefined;
  if (named) return named;
  if (/Credentials|CredentialsProviderError/.test(`${e?.name}${e?.message}`)) return 'stopped.no-credentials';
  if (/ECONNREFUSED|fetch failed|ENOTFOUND/.test(`${e?.message}${e?.code}`)) return 'stopped.no-answer';
  return undefined;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
