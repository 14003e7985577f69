import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '#functions/index.ts';
import { KeylineStack } from '#infra/keyline-stack.ts';
import { AwsSolutionsChecks } from '#infra/nag.ts';
import { TABLE } from '#shared/store/table.ts';

function synth(stage: 'dev' | 'prod') {
  const app = new App({ context: { 'cli-telemetry': false } });
  const stack = new KeylineStack(app, `Keyline-${stage}`, {
    stage,
    allowedOrigins: ['https://desk.example.com'],
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Synthesis runs the cdk-nag plugin and throws on any unacknowledged finding.
  app.synth();
  return Template.fromStack(stack);
}

let dev: Template;
let prod: Template;

beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
});

describe('the single table', () => {
  it('has the keys, GSIs and TTL of the shared definition', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((ix) =>
        Match.objectLike({
          IndexName: ix.name,
          KeySchema: [
            { AttributeName: ix.partitionKey, KeyType: 'HASH' },
            { AttributeName: ix.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('is protected from deletion in prod only', () => {
    prod.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
    dev.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });
});

describe('functions', () => {
  it('run Node.js 22 on ARM64 with source maps and an explicit log group', () => {
    const fns = dev.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns).length).toBeGreaterThan(0);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    dev.resourceCountIs('AWS::Logs::LogGroup', Object.keys(fns).length + 1);
  });

  it('get no AWS managed policy, and table access only on the Keyline table and its indexes', () => {
    for (const role of Object.values(dev.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const statements = Object.values(dev.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const s of dynamo) {
      expect([s.Action].flat()).not.toContain('dynamodb:*');
      expect([s.Action].flat()).not.toContain('dynamodb:DeleteTable');
      const text = JSON.stringify(s.Resource);
      expect(text).toContain('DataTable');
      expect(text).not.toBe('"*"');
    }
    const wildcard = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
    for (const s of wildcard) expect([s.Action].flat().every((a) => a.startsWith('xray:'))).toBe(true);
  });
});

describe('HTTP API', () => {
  it('has a route for every declared endpoint, each behind the Cognito JWT authorizer', () => {
    const routes = dev.findResources('AWS::ApiGatewayV2::Route');
    const keys = Object.values(routes)
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(keys).toEqual(ALL_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of Object.values(routes)) {
      expect(r.Properties.AuthorizationType).toBe('JWT');
      expect(r.Properties.AuthorizerId).toBeDefined();
    }
    dev.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('has a user pool without self sign-up, with MFA and a strong password policy', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('writes access logs', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });
});

describe('cdk-nag', () => {
  it('stops synthesis on an unacknowledged AwsSolutions finding', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new Bucket(stack, 'Unencrypted');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions/);
  });
});
