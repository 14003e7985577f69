import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
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
): { db: ReturnType<typeof createDocumentClient>; table: string } | undefined {
  const table = values.table ?? process.env.TABLE_NAME ?? 'keyline-local';
  const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/i.test(endpoint)) {
    console.error(
      `--endpoint must be a URL with its scheme, such as http://127.0.0.1:8000 (got "${endpoint}").`,
    );
    return undefined;
  }
  const loopback = endpoint !== undefined && isLoopback(endpoint);
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!loopback && !region) {
    console.error(
      'No AWS region: pass --region (or set AWS_REGION), or --endpoint with the DynamoDB Local URL npm start prints.',
    );
    return undefined;
  }
  // DynamoDB Local keeps a database per access key and region: a loopback endpoint always gets
  // the ones npm start uses, whatever the shell or --region says, so a fresh shell needs nothing.
  if (loopback && values.region && values.region !== LOCAL_REGION)
    console.error(
      `--region ${values.region} is ignored for a loopback endpoint: DynamoDB Local keeps npm start's tables under ${LOCAL_REGION}.`,
    );
  const db = createDocumentClient({
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(loopback ? { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } : { region: region as string }),
  });
  return { db, table };
}

/** Why a run stopped, in words, with what to do about it. */
export function whyStopped(cause: unknown, table: string): string {
  const e = cause as { name?: string; message?: string } | undefined;
  if (e?.name === 'ResourceNotFoundException')
    return `there is no table "${table}" at this endpoint: check --table (npm start prints its table's name).`;
  return `${e?.message ?? cause}.${hintFor(cause)}`;
}

function hintFor(cause: unknown): string {
  const e = cause as { name?: string; message?: string; code?: string } | undefined;
  if (/Credentials|CredentialsProviderError/.test(`${e?.name}${e?.message}`))
    return ' No AWS credentials were found: set AWS_PROFILE, or pass --endpoint for DynamoDB Local.';
  if (/ECONNREFUSED|fetch failed|ENOTFOUND/.test(`${e?.message}${e?.code}`))
    return ' Nothing answered at the endpoint: is npm start (DynamoDB Local) running, and is the port right?';
  return '';
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}
