import { App, Tags, Validations } from 'aws-cdk-lib';
import { ConfigError, KeylineStack } from './keyline-stack.ts';
import { AwsSolutionsChecks } from './nag.ts';

const app = new App();
const stage = app.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
const origins = String(app.node.tryGetContext('allowedOrigins') ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const ctx = (key: string) => {
  const v = app.node.tryGetContext(key);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const connectInstanceArn = ctx('connectInstanceArn');
if (
  connectInstanceArn &&
  !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/.test(connectInstanceArn)
) {
  throw new Error(
    `connectInstanceArn "${connectInstanceArn}" is not an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>)`,
  );
}
const queueArnsRaw = ctx('queueArns');
let queueArns: Record<string, string> | undefined;
try {
  queueArns = queueArnsRaw ? (JSON.parse(queueArnsRaw) as Record<string, string>) : undefined;
} catch {
  throw new Error('queueArns must be a JSON object of queue name → queue ARN');
}
const ccpUrl = ctx('ccpUrl');
const outboundContactFlowId = ctx('outboundContactFlowId');
const outboundQueueId = ctx('outboundQueueId');
const outboundSourcePhone = ctx('outboundSourcePhoneNumber');
// Outbound dialing: `-c outbound=true` dials through the stack's own outbound flow and the
// default queue; `outboundContactFlowId` (with a queue or caller id) names another flow.
const outboundOn = ctx('outbound') === 'true' || Boolean(outboundContactFlowId);
if (outboundContactFlowId && !outboundQueueId && !outboundSourcePhone) {
  throw new Error(
    'outboundContactFlowId needs outboundQueueId or outboundSourcePhoneNumber (the StartOutboundVoiceContact caller id)',
  );
}
const dialQuota = ctx('dialQuotaPerSecond');
const sesIdentity = ctx('sesIdentity');
const sesFrom = ctx('sesFrom');
const smsSenderId = ctx('smsSenderId');
const alertLinkBase = ctx('alertLinkBase');
if (alertLinkBase && !URL.canParse(alertLinkBase.replace('{accountId}', 'x')))
  throw new Error(`-c alertLinkBase must be an absolute URL, got "${alertLinkBase}"`);
const defaultQueue = ctx('defaultQueue');
const desktopUrl = ctx('desktopUrl');
const createInstance = ctx('createInstance') === 'true';
const phoneNumberArn = ctx('phoneNumberArn');
if (
  phoneNumberArn &&
  !/^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:phone-number\/[0-9a-f-]{36}$/.test(phoneNumberArn)
)
  throw new Error(`phoneNumberArn "${phoneNumberArn}" is not an Amazon Connect phone number ARN`);
const slaCalendar = ctx('slaCalendar');
const signInUrls = ctx('signInUrls')
  ?.split(',')
  .map((u) => u.trim())
  .filter(Boolean);

try {
  new KeylineStack(app, `Keyline-${stage}`, {
    stage,
    allowedOrigins: origins,
    ...(connectInstanceArn ? { connectInstanceArn } : {}),
    ...(ccpUrl ? { ccpUrl } : {}),
    ...(defaultQueue ? { defaultQueue } : {}),
    ...(desktopUrl ? { desktopUrl } : {}),
    ...(createInstance ? { createInstance } : {}),
    ...(phoneNumberArn ? { phoneNumberArn } : {}),
    ...(signInUrls ? { signInUrls } : {}),
    ...(queueArns ? { queueArns } : {}),
    ...(sesIdentity ? { sesIdentity } : {}),
    ...(sesFrom ? { sesFrom } : {}),
    ...(smsSenderId ? { smsSenderId } : {}),
    ...(alertLinkBase ? { alertLinkBase } : {}),
    ...(slaCalendar ? { slaCalendar } : {}),
    ...(outboundOn
      ? {
          outbound: {
            ...(outboundContactFlowId ? { contactFlowId: outboundContactFlowId } : {}),
            ...(outboundQueueId ? { queueId: outboundQueueId } : {}),
            ...(outboundSourcePhone ? { sourcePhoneNumber: outboundSourcePhone } : {}),
            ...(dialQuota ? { quotaPerSecond: Number(dialQuota) } : {}),
          },
        }
      : {}),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Keyline: customer-service call-center integration for a 3PL',
  });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
Tags.of(app).add('project', 'keyline');
Tags.of(app).add('stage', stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
