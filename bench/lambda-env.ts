import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KeylineStack } from '#infra/keyline-stack.ts';
import { LOCAL_CREDENTIALS } from '#local/dynamodb.ts';

/** The queues of the demo book, mapped to ARNs the way a deployment passes `queueArns`. */
const QUEUES = [
  'general-service',
  'fmcg-service',
  'chemicals-service',
  'electrical-service',
  'pharma-service',
  'ka-grain-oil',
  'ka-cold-chain',
  'ka-fmcg-national',
];
const INSTANCE = 'arn:aws:connect:cn-north-1:000000000000:instance/00000000-0000-4000-8000-000000000000';

export interface DeployedEnv {
  /** The function's own variables, as the synthesized template sets them. */
  function: Record<string, string>;
  /** Everything the bench process hands the function: the above plus what Lambda itself sets. */
  env: Record<string, string>;
  memoryMb: number;
}

/**
 * The environment the screen-pop Lambda runs with, read from the synthesized stack (bundling
 * stubbed, as test/infra/stack.test.ts does) so that the bench cannot drift from the shipped
 * settings: NODE_OPTIONS, the Powertools log level and namespace, AWS_MAX_ATTEMPTS, the lookup
 * budget. CloudFormation references are replaced by their local values (the table, the desktop
 * URL); any other reference fails loudly. Beside them, what the Lambda service sets in every
 * function: its name, memory, the JSON log format, on-demand initialisation, and credentials in
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 */
export function screenPopLambdaEnv(o: { tableName: string; endpoint: string }): DeployedEnv {
  const app = new App({ context: { 'cli-telemetry': false, 'aws:cdk:bundling-stacks': [] } });
  const stack = new KeylineStack(app, 'Keyline-bench', {
    stage: 'prod',
    allowedOrigins: [],
    // A prod stack needs a real SES identity; the screen pop does not use it.
    sesIdentity: 'keyline-bench.cn',
    sesFrom: 'alerts@keyline-bench.cn',
    queueArns: Object.fromEntries(
      QUEUES.map((q, i) => [q, `${INSTANCE}/queue/${i}0000000-0000-4000-8000-00000000000${i}`]),
    ),
  });
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const found = Object.entries(fns).find(([id]) => id.startsWith('ScreenPopFn'));
  if (!found) throw new Error('the synthesized stack has no ScreenPop function');
  const props = found[1].Properties as {
    MemorySize: number;
    Environment: { Variables: Record<string, unknown> };
  };
  const local: Record<string, string> = {
    TABLE_NAME: o.tableName,
    DESKTOP_URL: 'https://d111111abcdef8.cloudfront.net/',
  };
  const fn: Record<string, string> = {};
  for (const [k, v] of Object.entries(props.Environment.Variables)) {
    if (typeof v === 'string') fn[k] = v;
    else if (local[k] !== undefined) fn[k] = local[k];
    else throw new Error(`screen-pop variable ${k} is a CloudFormation reference the bench has no value for`);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'cn-north-1',
    AWS_DEFAULT_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: 'local-session-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'Keyline-prod-ScreenPopFn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(props.MemorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Keyline-prod-ScreenPopFn',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/27/[$LATEST]0000000000000000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _HANDLER: 'index.handler',
    // The only difference from Lambda: the table lives in DynamoDB Local, reached through the
    // SDK's standard endpoint setting.
    AWS_ENDPOINT_URL_DYNAMODB: o.endpoint,
    // Node 20 here, Node 22 in Lambda: the SDK's "please upgrade" notice is not part of the work.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn,
  };
  return { function: fn, env, memoryMb: props.MemorySize };
}
