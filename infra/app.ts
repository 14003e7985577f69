import { App, Tags, Validations } from 'aws-cdk-lib';
import { KeylineStack } from './keyline-stack.ts';
import { AwsSolutionsChecks } from './nag.ts';

const app = new App();
const stage = app.node.tryGetContext('stage') === 'prod' ? 'prod' : 'dev';
const origins = String(app.node.tryGetContext('allowedOrigins') ?? 'http://localhost:4310')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const connectInstanceArn = app.node.tryGetContext('connectInstanceArn') as string | undefined;

new KeylineStack(app, `Keyline-${stage}`, {
  stage,
  allowedOrigins: origins,
  ...(connectInstanceArn ? { connectInstanceArn } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'Keyline: customer-service call-center integration for a 3PL',
});
Tags.of(app).add('project', 'keyline');
Tags.of(app).add('stage', stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
