import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_ROUTES,
  BACKGROUND_FUNCTIONS,
  CONNECT_FUNCTIONS,
  HANDOFF_WORKER,
  HTTP_FUNCTIONS,
  type TableAccess,
} from '#functions/index.ts';
import { SLA_FUNCTION_ENTRIES } from '#infra/constructs/sla-calendar.ts';
import { KeylineStack, type KeylineStackProps } from '#infra/keyline-stack.ts';
import { AwsSolutionsChecks } from '#infra/nag.ts';
import { TEAMS } from '#shared/accounts/teams.ts';
import { MAILBOX_LEASE_SECONDS } from '#shared/notify/notifier.ts';
import { outboxPut } from '#shared/platform/dynamo/outbox.ts';
import { TABLE } from '#shared/platform/dynamo/table.ts';
import { filterMatches } from '../support/stream-filter.ts';

/**
 * Synthesizes the stack with bundling stubbed (`aws:cdk:bundling-stacks` empty: CDK's own switch),
 * so these tests check the template, not esbuild; test/infra/bundles.test.ts bundles every
 * function once, with the shipped settings.
 */
const CDK_CONTEXT = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> })
  .context;

/** A synthesized stack is read-only to the tests: one synthesis per distinct set of props. */
const synthesized = new Map<string, Template>();

function synth(stage: 'dev' | 'prod', extra: Partial<KeylineStackProps> = {}) {
  const key = JSON.stringify([stage, extra]);
  const seen = synthesized.get(key);
  if (seen) return seen;
  const t = synthOnce(stage, extra);
  synthesized.set(key, t);
  return t;
}

function synthOnce(stage: 'dev' | 'prod', extra: Partial<KeylineStackProps> = {}) {
  // cdk.json's context (its feature flags) as `cdk synth` reads it: the tests check what ships.
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stack = new KeylineStack(app, `Keyline-${stage}`, {
    stage,
    allowedOrigins: ['https://desk.example.com'],
    ...extra,
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
  prod = synth('prod', PROD_SES);
});

/** What a prod synth needs at least: a real SES identity and a sender inside it. */
const PROD_SES = { sesIdentity: 'keyline-3pl.cn', sesFrom: 'alerts@keyline-3pl.cn' };

describe('prod guards', () => {
  it('refuses a prod stack without a real SES identity and sender, naming each', () => {
    expect(() => synth('prod')).toThrow(/sesIdentity=.*\n.*sesFrom=/s);
    expect(() => synth('prod', { sesIdentity: 'example.com', sesFrom: 'alerts@example.com' })).toThrow(
      /A prod stack needs/,
    );
    expect(() => synth('prod', { ...PROD_SES, sesFrom: 'alerts@other.cn' })).toThrow(
      /not an address of the SES identity keyline-3pl\.cn/,
    );
  });

  it('refuses loopback or plain-http sign-in URLs and origins in prod', () => {
    expect(() => synth('prod', { ...PROD_SES, signInUrls: ['http://127.0.0.1:4310/'] })).toThrow(
      /http:\/\/127\.0\.0\.1:4310\/: prod signs in over https/,
    );
    expect(() => synth('prod', { ...PROD_SES, allowedOrigins: ['https://localhost:8443'] })).toThrow(
      /allowedOrigins: https:\/\/localhost:8443 is loopback/,
    );
  });

  it('signs agents in back to the desktop only in prod; dev adds the local desktop', () => {
    const urls = (t: Template) =>
      Object.values(t.findResources('AWS::Cognito::UserPoolClient')).flatMap(
        (c) => c.Properties.CallbackURLs as unknown[],
      );
    expect(JSON.stringify(urls(prod))).not.toMatch(/127\.0\.0\.1|localhost|http:/);
    expect(urls(dev)).toContain('http://127.0.0.1:4310/');
    const custom = synth('prod', { ...PROD_SES, desktopUrl: 'https://desk.keyline-3pl.cn' });
    expect(urls(custom)).toEqual(['https://desk.keyline-3pl.cn/']);
  });
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
          // The counts index carries only the counters; the others every attribute.
          Projection:
            'projection' in ix && ix.projection
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...ix.projection] }
              : { ProjectionType: 'ALL' },
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

/** Keyline's own functions (not CDK's helper Lambdas), by logical id. */
function keylineFunctions(t: Template) {
  return Object.entries(t.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
  );
}

/** The policy statements attached to a function's role. */
function statementsOf(t: Template, fn: Record<string, unknown>) {
  const role = (fn as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }).Properties.Role[
    'Fn::GetAtt'
  ][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
}

describe('functions', () => {
  it('run Node.js 22 on ARM64 with source maps and an explicit log group', () => {
    const fns = keylineFunctions(dev);
    expect(fns.length).toBe(23);
    for (const [, fn] of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
  });

  it('get no AWS managed policy, and table access only on the Keyline table and its indexes', () => {
    const roles = dev.findResources('AWS::IAM::Role');
    for (const [id, fn] of keylineFunctions(dev)) {
      expect(roles[fn.Properties.Role['Fn::GetAtt'][0]]?.Properties.ManagedPolicyArns).toBeUndefined();
      const statements = statementsOf(dev, fn);
      const dynamo = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.length).toBeGreaterThan(0);
      for (const st of dynamo) {
        expect([st.Action].flat()).not.toContain('dynamodb:*');
        expect([st.Action].flat()).not.toContain('dynamodb:DeleteTable');
        expect(JSON.stringify(st.Resource)).toContain('DataTable');
      }
      // Only X-Ray, and for the senders the actions no resource ARN exists for: the SMS
      // opted-out list and the SES suppression list (SMS itself: see 'SMS senders' below).
      const sms = /^(DelaysNotifier|DelaysDeferredNotifications|IvrHandoffWorker)Fn/.test(id);
      const email =
        /^(DelaysNotifier|DelaysDeferredNotifications|DelaysTrackingReport|AnalyticsWeeklyDigest)Fn/.test(id);
      const unscoped = [
        ...(sms ? ['sns:CheckIfPhoneNumberIsOptedOut'] : []),
        ...(email ? ['ses:GetSuppressedDestination'] : []),
      ];
      for (const st of statements.filter((x) => JSON.stringify(x.Resource) === '"*"')) {
        expect([st.Action].flat().filter((a) => !a.startsWith('xray:') && !unscoped.includes(a))).toEqual([]);
      }
    }
  });

  it('give every function exactly the table actions of the registry, which the IAM tests prove its paths use', () => {
    const registry = new Map<string, TableAccess>([
      ...HTTP_FUNCTIONS.map((f) => [f.name, f.access] as const),
      ...CONNECT_FUNCTIONS.map((f) => [f.name, f.access] as const),
      [HANDOFF_WORKER.name, HANDOFF_WORKER.access],
      ...Object.entries(BACKGROUND_FUNCTIONS).map(([name, f]) => [name, f.access] as const),
    ]);
    const stream = [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ];
    const seen = new Set<string>();
    for (const [, fn] of keylineFunctions(dev)) {
      const name =
        (fn.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'keyline:function')
          ?.Value ?? '';
      const access = registry.get(name);
      expect(access, name).toBeDefined();
      seen.add(name);
      const onTable: string[] = [];
      const onIndexes: string[] = [];
      const onStream: string[] = [];
      for (const st of statementsOf(dev, fn)) {
        const actions = [st.Action].flat().filter((a) => a.startsWith('dynamodb:'));
        if (!actions.length) continue;
        if (actions.every((a) => stream.includes(a))) {
          onStream.push(...actions);
          continue;
        }
        // CDK merges statements with the same actions: one resource list may hold table and indexes.
        for (const resource of [st.Resource].flat().map((r) => JSON.stringify(r)))
          (resource.includes('/index/*') ? onIndexes : onTable).push(...actions);
      }
      expect(onTable.sort(), name).toEqual(access?.table.map((a) => `dynamodb:${a}`).sort());
      expect(onIndexes.sort(), name).toEqual((access?.indexes ?? []).map((a) => `dynamodb:${a}`).sort());
      // Only the outbox publisher and the aggregates read the table's stream.
      expect(onStream.length > 0, name).toBe(name === 'delay-publisher' || name === 'analytics');
    }
    // Every function of the registry is deployed in the full stack.
    expect(seen.size).toBe(keylineFunctions(dev).length);
    for (const f of CONNECT_FUNCTIONS) {
      const [, fn] =
        keylineFunctions(dev).find(([id]) =>
          id.toLowerCase().startsWith(`${f.name.replaceAll('-', '')}fn`),
        ) ?? [];
      expect(fn?.Properties.MemorySize).toBe(1024);
      expect(fn?.Properties.Timeout).toBeLessThanOrEqual(8);
    }
  });
});

/** A role's Allow statements grant `action` (on some resource). */
const allows = (t: Template, fn: Record<string, unknown>, action: string) =>
  statementsOf(t, fn).some(
    (st) => (st as { Effect?: string }).Effect === 'Allow' && [st.Action].flat().includes(action),
  );
const tagOf = (fn: Record<string, unknown>) =>
  (fn as { Properties: { Tags: { Key: string; Value: string }[] } }).Properties.Tags.find(
    (t) => t.Key === 'keyline:function',
  )?.Value ?? '';

/**
 * What each sender of shared/notify/senders.ts calls, read from its code: every SDK command it
 * sends, as the IAM action (SnsSmsSender: sns:…, SesEmailSender: ses:…).
 */
function senderActions(): Map<string, string[]> {
  const source = readFileSync('shared/notify/senders.ts', 'utf8');
  const out = new Map<string, string[]>();
  for (const [, cls = '', body = ''] of source.matchAll(
    /export class (\w+Sender) implements \w+ \{([\s\S]*?)\n\}/g,
  ))
    out.set(
      cls,
      [...body.matchAll(/new (\w+)Command\(/g)].map((m) => `${cls.slice(0, 3).toLowerCase()}:${m[1]}`),
    );
  return out;
}

describe('what the functions call beyond DynamoDB', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const full = () =>
    synth('dev', { connectInstanceArn: INSTANCE, outbound: { contactFlowId: 'flow-1', queueId: 'queue-1' } });

  it('lets every function that builds an SMS or email sender call everything that sender calls, and no other', () => {
    const senders = senderActions();
    expect([...senders.keys()].sort()).toEqual(['SesEmailSender', 'SnsSmsSender']);
    expect(senders.get('SnsSmsSender')).toEqual(['sns:CheckIfPhoneNumberIsOptedOut', 'sns:Publish']);
    expect(senders.get('SesEmailSender')).toEqual(['ses:GetSuppressedDestination', 'ses:SendEmail']);
    const missing: string[] = [];
    const extra: string[] = [];
    const building: string[] = [];
    for (const [, fn] of keylineFunctions(full())) {
      const name = tagOf(fn);
      const source = readFileSync(`functions/${name}/handler.ts`, 'utf8');
      for (const [cls, actions] of senders) {
        const builds = source.includes(`new ${cls}(`);
        if (builds) building.push(`${name}: ${cls}`);
        for (const a of actions)
          if (builds && !allows(full(), fn, a)) missing.push(`${name}: ${a}`);
          else if (!builds && a !== 'sns:Publish' && allows(full(), fn, a)) extra.push(`${name}: ${a}`);
      }
    }
    expect(building.sort()).toEqual([
      'deferred-notifications: SesEmailSender',
      'deferred-notifications: SnsSmsSender',
      'ivr-handoff: SnsSmsSender',
      'notifier: SesEmailSender',
      'notifier: SnsSmsSender',
      'tracking-report: SesEmailSender',
      'weekly-digest: SesEmailSender',
    ]);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it('lets SMS senders publish to phone numbers, never to an SNS topic or endpoint', () => {
    for (const [id, fn] of keylineFunctions(full())) {
      for (const st of statementsOf(full(), fn) as {
        Action: string | string[];
        Resource?: unknown;
        NotResource?: unknown;
      }[]) {
        if (![st.Action].flat().includes('sns:Publish')) continue;
        if (st.Resource !== undefined) {
          // A topic of the stack's own (the delay topic, the escalation topic), by reference.
          expect(JSON.stringify(st.Resource), id).not.toBe('"*"');
          expect(JSON.stringify(st.Resource), id).toMatch(/"Ref":"\w*Topic/);
        } else {
          // A direct SMS has no resource ARN: everything but every SNS ARN (topics, endpoints).
          expect(st.NotResource, id).toEqual({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']],
          });
        }
      }
    }
  });
});

describe('Amazon Connect wiring', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

  it('is absent without an instance ARN', () => {
    dev.resourceCountIs('AWS::Connect::IntegrationAssociation', 0);
    expect(
      Object.values(dev.findResources('AWS::Lambda::Permission')).filter(
        (p) => p.Properties.Principal === 'connect.amazonaws.com',
      ),
    ).toEqual([]);
  });

  it('lets only the given instance invoke the contact-flow Lambdas, and associates them', () => {
    const t = synth('dev', { connectInstanceArn: INSTANCE });
    const perms = Object.values(t.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'connect.amazonaws.com',
    );
    expect(perms).toHaveLength(4);
    for (const p of perms) {
      expect(p.Properties.SourceArn).toBe(INSTANCE);
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
    }
    t.resourceCountIs('AWS::Connect::IntegrationAssociation', 4);
    t.allResourcesProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: INSTANCE,
      IntegrationType: 'LAMBDA_FUNCTION',
    });
  });
});

describe('Amazon Connect routing from the teams registry', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

  it('makes a queue per team with its hours, and the two routing profiles; the screen pop answers their ARNs', () => {
    dev.resourceCountIs('AWS::Connect::Queue', 0);
    const t = synth('dev', { connectInstanceArn: INSTANCE });
    const queues = t.findResources('AWS::Connect::Queue');
    expect(
      Object.values(queues)
        .map((q) => q.Properties.Name)
        .sort(),
    ).toEqual(TEAMS.map((x) => x.id).sort());
    // Three schedules: key-account teams, service groups, the general line around the clock.
    const hours = t.findResources('AWS::Connect::HoursOfOperation');
    expect(Object.keys(hours)).toHaveLength(3);
    for (const h of Object.values(hours))
      expect(h.Properties).toMatchObject({ InstanceArn: INSTANCE, TimeZone: 'Asia/Shanghai' });
    const byName = (name: string) =>
      Object.entries(queues).find(([, q]) => q.Properties.Name === name) as [
        string,
        { Properties: Record<string, unknown> },
      ];
    const [grainId, grain] = byName('ka-grain-oil');
    const grainHours =
      hours[(grain.Properties.HoursOfOperationArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]];
    expect(grainHours?.Properties.Config).toHaveLength(7);
    expect(grainHours?.Properties.Config[0]).toEqual({
      Day: 'MONDAY',
      StartTime: { Hours: 8, Minutes: 0 },
      EndTime: { Hours: 22, Minutes: 0 },
    });
    const [generalId] = byName('general-service');
    const profiles = Object.values(t.findResources('AWS::Connect::RoutingProfile'));
    const keyProfile = profiles.find((p) => p.Properties.Name === 'keyline-key-account');
    expect(keyProfile?.Properties.QueueConfigs).toContainEqual({
      Delay: 0,
      Priority: 1,
      QueueReference: { Channel: 'VOICE', QueueArn: { 'Fn::GetAtt': [grainId, 'QueueArn'] } },
    });
    expect(keyProfile?.Properties.QueueConfigs).toContainEqual({
      Delay: 0,
      Priority: 2,
      QueueReference: { Channel: 'VOICE', QueueArn: { 'Fn::GetAtt': [generalId, 'QueueArn'] } },
    });
    expect(profiles.map((p) => p.Properties.Name).sort()).toEqual([
      'keyline-general-service',
      'keyline-key-account',
    ]);
    // The screen pop's QUEUE_ARNS names every queue by its registry id, with the queue's ARN.
    const [, pop] = keylineFunctions(t).find(([id]) => id.startsWith('ScreenPopFn')) ?? [];
    const env = JSON.stringify(pop?.Properties.Environment.Variables.QUEUE_ARNS);
    for (const team of TEAMS) expect(env).toContain(`\\"${team.id}\\":\\"`);
    expect(env).toContain(grainId);
  });
});

describe('Amazon Connect flows as code', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

  it('deploys the hotline, its queue flow, the outbound flow and its whisper, wired to the stack’s Lambdas and queues', () => {
    dev.resourceCountIs('AWS::Connect::ContactFlow', 0);
    const t = synth('dev', { connectInstanceArn: INSTANCE });
    const flows = t.findResources('AWS::Connect::ContactFlow');
    type Flow = { id: string; Properties: { Name: string; Type: string; Content: unknown } };
    const byName: Record<string, Flow> = Object.fromEntries(
      Object.entries(flows).map(([id, f]) => [f.Properties.Name, { id, ...f } as Flow]),
    );
    expect(Object.fromEntries(Object.entries(byName).map(([n, f]) => [n, f.Properties.Type]))).toEqual({
      'Keyline InboundHotline': 'CONTACT_FLOW',
      'Keyline CustomerQueue': 'CUSTOMER_QUEUE',
      'Keyline OutboundWhisper': 'AGENT_WHISPER',
      'Keyline OutboundCampaign': 'CONTACT_FLOW',
    });
    const fnId = (name: string) =>
      (keylineFunctions(t).find(([id]) => id.startsWith(`${name}Fn`)) ?? [''])[0];
    const inbound = JSON.stringify(byName['Keyline InboundHotline']?.Properties.Content);
    for (const name of ['ScreenPop', 'IvrTracking', 'IvrComplaint', 'IvrCallback'])
      expect(inbound).toContain(fnId(name));
    // The queue hook names the stack's queue flow; the fallback queue is the registry's general line.
    expect(inbound).toContain(byName['Keyline CustomerQueue']?.id);
    const general = Object.entries(t.findResources('AWS::Connect::Queue')).find(
      ([, q]) => q.Properties.Name === 'general-service',
    )?.[0];
    expect(inbound).toContain(general);
    expect(JSON.stringify(byName['Keyline OutboundCampaign']?.Properties.Content)).toContain(
      byName['Keyline OutboundWhisper']?.id,
    );
  });

  it('points a claimed number at the hotline when given one, allowed on that number and flow only', () => {
    const NUMBER =
      'arn:aws:connect:cn-north-1:123456789012:phone-number/11111111-2222-4333-8444-555555555555';
    const t = synth('dev', { connectInstanceArn: INSTANCE, phoneNumberArn: NUMBER });
    const [, cr] = Object.entries(t.findResources('Custom::AWS'))[0] ?? [];
    const create = JSON.stringify(cr?.Properties.Create);
    expect(create).toContain('AssociatePhoneNumberContactFlow');
    expect(create).toContain(NUMBER);
    expect(JSON.stringify(cr?.Properties.Delete)).toContain('DisassociatePhoneNumberContactFlow');
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('AssociatePhoneNumberContactFlow'),
    );
    expect(policies).toHaveLength(1);
    const [st] = policies[0]?.Properties.PolicyDocument.Statement ?? [];
    expect(st.Resource[0]).toBe(NUMBER);
    expect(JSON.stringify(st.Resource[1])).toContain('ConnectFlowsInboundHotline');
  });
});

describe('a Connect sandbox', () => {
  it('creates its own instance with createInstance (dev only) and wires the hotline, queues and dialer to it', () => {
    const t = synth('dev', { createInstance: true, outbound: { sourcePhoneNumber: '+862161234567' } });
    const [instanceId, instance] = Object.entries(t.findResources('AWS::Connect::Instance'))[0] ?? [];
    expect(instance?.Properties).toMatchObject({
      IdentityManagementType: 'CONNECT_MANAGED',
      Attributes: { InboundCalls: true, OutboundCalls: true },
    });
    const arn = { 'Fn::GetAtt': [instanceId, 'Arn'] };
    for (const q of Object.values(t.findResources('AWS::Connect::Queue')))
      expect(q.Properties.InstanceArn).toEqual(arn);
    t.resourceCountIs('AWS::Connect::ContactFlow', 4);
    const [, dialer] = keylineFunctions(t).find(([id]) => id.startsWith('OutboundDialerFn')) ?? [];
    expect(dialer?.Properties.Environment.Variables.CONNECT_INSTANCE_ID).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', arn] }],
    });
    expect(() => synth('prod', { ...PROD_SES, createInstance: true })).toThrow(
      /createInstance is for a dev sandbox/,
    );
  });
});

describe('outputs', () => {
  it('have the plain keys the README and the Connect guide name', () => {
    const t = synth('dev', {
      connectInstanceArn:
        'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    });
    expect(Object.keys(t.toJSON().Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'DesktopUrl',
        'ApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'ScreenPopFunctionArn',
        'IvrTrackingFunctionArn',
        'IvrComplaintFunctionArn',
        'IvrCallbackFunctionArn',
        'DelayTopicArn',
        'TrackingFeedQueueUrl',
        'EscalationTopicArn',
        'OpsTopicArn',
        'InboundFlowArn',
        'OutboundFlowArn',
      ]),
    );
  });
});

describe('outbound dialing', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

  it('is absent without a Connect instance and an outbound flow', () => {
    expect(keylineFunctions(dev).filter(([id]) => id.startsWith('OutboundDialer'))).toEqual([]);
    dev.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('consumes the instance’s contact events (the caller journal) even without outbound dialing', () => {
    const t = synth('dev', { connectInstanceArn: INSTANCE });
    expect(keylineFunctions(t).filter(([id]) => id.startsWith('OutboundDialer'))).toEqual([]);
    const [consumerId] = keylineFunctions(t).find(([id]) => id.startsWith('ContactEventsConsumer')) ?? [];
    expect(consumerId).toBeDefined();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.connect'], resources: [INSTANCE] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [consumerId, 'Arn'] } })],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' });
  });

  it('dials through the stack’s own outbound flow and default queue unless told otherwise', () => {
    const NUMBER =
      'arn:aws:connect:cn-north-1:123456789012:phone-number/11111111-2222-4333-8444-555555555555';
    // Connect places no outbound call from a queue without a caller id: the hotline's number, or
    // the synth stops and says what to pass.
    expect(() => synth('dev', { connectInstanceArn: INSTANCE, outbound: {} })).toThrow(
      /Outbound dialing needs a caller id: -c phoneNumberArn/,
    );
    const t = synth('dev', { connectInstanceArn: INSTANCE, phoneNumberArn: NUMBER, outbound: {} });
    for (const q of Object.values(t.findResources('AWS::Connect::Queue')))
      expect(q.Properties.OutboundCallerConfig).toEqual({ OutboundCallerIdNumberArn: NUMBER });
    const [, dialer] = keylineFunctions(t).find(([id]) => id.startsWith('OutboundDialerFn')) ?? [];
    const env = dialer?.Properties.Environment.Variables;
    const flowId = Object.keys(t.findResources('AWS::Connect::ContactFlow')).find((id) =>
      id.startsWith('ConnectFlowsOutboundCampaign'),
    );
    const queueId = Object.entries(t.findResources('AWS::Connect::Queue')).find(
      ([, q]) => q.Properties.Name === 'general-service',
    )?.[0];
    expect(env.CONNECT_CONTACT_FLOW_ID).toEqual({
      'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [flowId, 'ContactFlowArn'] }] }],
    });
    expect(env.CONNECT_QUEUE_ID).toEqual({
      'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [queueId, 'QueueArn'] }] }],
    });
  });

  it('dials every minute, may start calls on this instance only, and consumes its contact events', () => {
    const t = synth('dev', {
      connectInstanceArn: INSTANCE,
      outbound: { contactFlowId: 'flow-1', queueId: 'queue-1' },
    });
    const [dialerId, dialer] = keylineFunctions(t).find(([id]) => id.startsWith('OutboundDialerFn')) ?? [];
    expect(dialer?.Properties.Environment.Variables).toMatchObject({
      CONNECT_INSTANCE_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      CONNECT_CONTACT_FLOW_ID: 'flow-1',
      CONNECT_QUEUE_ID: 'queue-1',
      DIAL_QUOTA_PER_SECOND: '2',
    });
    const connectStatements = statementsOf(t, dialer ?? {}).filter((st) =>
      [st.Action].flat().some((a) => a.startsWith('connect:')),
    );
    expect(connectStatements).toEqual([
      expect.objectContaining({
        Action: ['connect:DescribeContact', 'connect:StartOutboundVoiceContact'],
        Resource: `${INSTANCE}/contact/*`,
      }),
    ]);
    // One run at a time.
    expect(dialer?.Properties.ReservedConcurrentExecutions).toBe(1);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [dialerId, 'Arn'] } }),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.connect'],
        'detail-type': ['Amazon Connect Contact Event'],
        resources: [INSTANCE],
      },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DialThrottled', Namespace: 'Keyline' });
    // A callback given up after runs kept dying before its call reaches an operator.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DialsDeadLettered',
      Namespace: 'Keyline',
      Dimensions: [{ Name: 'service', Value: 'keyline-dialer' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // So does a call placed whose record could not be written.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DialsUnrecorded',
      Namespace: 'Keyline',
      Dimensions: [{ Name: 'service', Value: 'keyline-dialer' }],
      Threshold: 1,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' });
  });
});

describe('IVR hand-off', () => {
  it('lets the two IVR writers, and only them, send to an encrypted queue whose worker confirms by SMS', () => {
    const queues = dev.findResources('AWS::SQS::Queue');
    const [queueId, queue] = Object.entries(queues).find(([id]) => id.startsWith('IvrHandoffQueue')) ?? [];
    expect(queue?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    const senders = keylineFunctions(dev)
      .filter(([, fn]) =>
        statementsOf(dev, fn).some(
          (st) =>
            [st.Action].flat().includes('sqs:SendMessage') &&
            JSON.stringify(st.Resource).includes(queueId ?? '?'),
        ),
      )
      .map(([id]) => id.replace(/Fn[0-9A-F]{8}$/, ''));
    expect(senders.sort()).toEqual(['IvrCallback', 'IvrComplaint']);
    for (const name of senders) {
      const [, fn] = keylineFunctions(dev).find(([id]) => id.startsWith(`${name}Fn`)) ?? [];
      expect(fn?.Properties.Environment.Variables).toMatchObject({
        IVR_LOOKUP_BUDGET_MS: '900',
        IVR_WRITE_BUDGET_MS: '1100',
        IVR_HANDOFF_BUDGET_MS: '500',
        IVR_HANDOFF_QUEUE_URL: { Ref: queueId },
        AWS_MAX_ATTEMPTS: '2',
      });
    }
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('key-account analytics', () => {
  it('keeps the weekly aggregates from the stream: the entities that carry facts, inserted or modified', () => {
    const mappings = Object.values(dev.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.FilterCriteria ?? '').includes('AccountFollowUp'),
    );
    expect(mappings).toHaveLength(1);
    const m = mappings[0]?.Properties;
    expect(m).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
    const pattern = JSON.parse(m.FilterCriteria.Filters[0].Pattern);
    const call = { pk: 'ACCOUNT#a', sk: 'CALL#1', entity: 'Call', direction: 'inbound' };
    expect(filterMatches(pattern, 'INSERT', call)).toBe(true);
    expect(filterMatches(pattern, 'MODIFY', { ...call, entity: 'Shipment' })).toBe(true);
    expect(filterMatches(pattern, 'REMOVE', call)).toBe(false);
    // Its own writes never come back to it.
    expect(filterMatches(pattern, 'MODIFY', { ...call, entity: 'WeekAggregate' })).toBe(false);
    expect(filterMatches(pattern, 'INSERT', { ...call, entity: 'AggregateFact' })).toBe(false);
  });

  it('scores churn every morning in Shanghai and alarms on a failed run and on dead letters', () => {
    dev.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: 'Keyline churn scoring',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
    const alarms = Object.values(dev.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmDescription as string,
    );
    expect(alarms).toContain('The daily churn scoring failed');
    expect(alarms).toContain('Weekly digests could not be sent after the schedule’s retries');
    dev.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: 'Keyline weekly digest to key-account managers',
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
    // The digest lists the managers of this pool's group, and nothing else of Cognito.
    const digestPolicies = Object.values(dev.findResources('AWS::IAM::Policy'))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      )
      .filter((st) => JSON.stringify(st.Action).includes('cognito-idp'));
    expect(digestPolicies.map((st) => st.Action)).toEqual(['cognito-idp:ListUsersInGroup']);
    expect(JSON.stringify(digestPolicies[0]?.Resource)).toContain('AgentApiAgents');
    expect(alarms).toContain('Stream records the aggregates could not count reached the dead-letter queue');
  });
});

describe('delay alerts', () => {
  it('publishes the outbox from the table stream, filtered to new Outbox items', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    // The filter passes a new outbox item exactly as the outbox writes it, and nothing else.
    const outbox = outboxPut(
      'keyline',
      'evt-1',
      { type: 'DelayDetected', subject: 's', payload: {}, attributes: {} },
      new Date(),
    );
    const mappings = Object.values(dev.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.FilterCriteria ?? '').includes('Outbox'),
    );
    expect(mappings).toHaveLength(1);
    const pattern = JSON.parse(mappings[0]?.Properties.FilterCriteria.Filters[0].Pattern);
    expect(filterMatches(pattern, 'INSERT', outbox.Put?.Item ?? {})).toBe(true);
    expect(filterMatches(pattern, 'MODIFY', outbox.Put?.Item ?? {})).toBe(false);
    expect(filterMatches(pattern, 'INSERT', { pk: 'ACCOUNT#a', sk: 'PROFILE', entity: 'Account' })).toBe(
      false,
    );
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: Match.anyValue(),
      DestinationConfig: { OnFailure: Match.objectLike({ Destination: Match.anyValue() }) },
    });
  });

  it('sweeps what the stream gave up on every 5 minutes, to the delay topic, and alarms on its dead letters', () => {
    const [sweeperId, sweeper] =
      keylineFunctions(dev).find(([id]) => id.startsWith('DelaysOutboxSweeperFn')) ?? [];
    expect(sweeperId).toBeDefined();
    dev.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] } }),
    });
    const env = (sweeper as { Properties: { Environment: { Variables: Record<string, unknown> } } })
      .Properties.Environment.Variables;
    expect(JSON.stringify(env.DELAY_TOPIC_ARN)).toMatch(/DelaysTopic/);
    // It publishes to the delay topic, through the topic's key, and to nothing else.
    const publish = statementsOf(dev, sweeper ?? {}).filter((st) =>
      [st.Action].flat().includes('sns:Publish'),
    );
    expect(publish.map((st) => JSON.stringify(st.Resource))).toEqual([expect.stringMatching(/DelaysTopic/)]);
    const kms = statementsOf(dev, sweeper ?? {}).filter((st) =>
      [st.Action].flat().some((a) => a.startsWith('kms:')),
    );
    expect(kms.map((st) => JSON.stringify(st.Resource))).toEqual([expect.stringMatching(/DelaysTopicKey/)]);
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Keyline',
      MetricName: 'OutboxDeadLettered',
      Dimensions: [{ Name: 'service', Value: 'keyline-outboxsweeper' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweeperId } }],
    });
  });

  it('feeds the notifier through an encrypted queue with a DLQ, with partial batch failures', () => {
    dev.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    dev.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      KmsMasterKeyId: Match.anyValue(),
    });
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('ends every mailbox pass within its lease: the functions that send alerts time out first', () => {
    const tagged = (name: string) =>
      keylineFunctions(dev).filter(([, fn]) =>
        (fn.Properties.Tags as { Key: string; Value: string }[] | undefined)?.some(
          (t) => t.Key === 'keyline:function' && t.Value === name,
        ),
      );
    for (const name of ['notifier', 'deferred-notifications']) {
      const found = tagged(name);
      expect(found, name).toHaveLength(1);
      expect(found[0]?.[1].Properties.Timeout, name).toBeLessThan(MAILBOX_LEASE_SECONDS);
    }
  });

  it('sends email only from the configured SES identity', () => {
    const statements = Object.values(dev.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const ses = statements.filter((st) => [st.Action].flat().includes('ses:SendEmail'));
    expect(ses.length).toBe(4); // notifier, deferred sender, tracking report, weekly digest
    for (const st of ses) expect(JSON.stringify(st.Resource)).toContain(':identity/example.com');
  });

  it('sends only critical delays to the proactive-call subscriber, and loses none it fails', () => {
    const dlq = Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^DelaysNotifierDlq'), 'Arn'] });
    dev.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      FilterPolicy: { severity: ['critical'] },
      RedrivePolicy: { deadLetterTargetArn: dlq },
    });
    dev.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    });
  });

  it('lets AWS services use the stack’s keys only on behalf of this account, and only as delivery needs', () => {
    const statements = Object.values(dev.findResources('AWS::KMS::Key')).flatMap(
      (k) =>
        k.Properties.KeyPolicy.Statement as {
          Principal: { Service?: string };
          Action: string | string[];
          Condition?: unknown;
        }[],
    );
    const services = statements.filter((st) => st.Principal.Service);
    // SNS delivering to the delay topic's encrypted queues; CloudWatch publishing to the ops topic.
    expect(services.map((st) => st.Principal.Service).sort()).toEqual([
      'cloudwatch.amazonaws.com',
      'sns.amazonaws.com',
    ]);
    for (const st of services) {
      expect([st.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      expect(st.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    }
  });

  it('runs the stagnation watchdog every 15 minutes and consumes the TMS feed with partial batch failures', () => {
    const [watchdogId] = keylineFunctions(dev).find(([id]) => id.startsWith('DelaysDelayWatchdogFn')) ?? [];
    dev.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [watchdogId, 'Arn'] } }),
    });
    const [feedId] =
      keylineFunctions(dev).find(([id]) => id.startsWith('DelaysTrackingFeedConsumerFn')) ?? [];
    dev.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: feedId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // A message the consumer fails (not JSON, a rejected event) is redelivered, then kept in the
    // feed's own DLQ (alarmed), never deleted.
    const [feedDlqId] = Object.keys(dev.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('DelaysTrackingFeedDlq'),
    );
    dev.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [feedDlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('alarms on dead letters and failed notifications', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NotificationFailures',
      Namespace: 'Keyline',
    });
    // Alerts given up after their last attempt, from either sender.
    for (const service of ['keyline-notifier', 'keyline-deferrednotifications'])
      dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'AlertsDeadLettered',
        Namespace: 'Keyline',
        Dimensions: [{ Name: 'service', Value: service }],
      });
  });

  it('gives the alert senders an absolute link base: the hosted desktop unless one is configured', () => {
    for (const [id, fn] of keylineFunctions(dev).filter(([i]) =>
      /^Delays(Notifier|DeferredNotifications)Fn/.test(i),
    )) {
      const base = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
        .Variables.ALERT_LINK_BASE;
      expect(JSON.stringify(base), id).toContain('https://');
    }
  });
});

describe('complaint escalation', () => {
  it('runs the escalation function every minute from EventBridge Scheduler', () => {
    const fn = keylineFunctions(dev).find(([id]) => id.startsWith('EscalationSlaEscalationFn'));
    expect(fn).toBeDefined();
    dev.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fn?.[0], 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
      }),
    });
  });

  it('publishes to a KMS-encrypted topic that refuses plain HTTP', () => {
    dev.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const [, fn] = keylineFunctions(dev).find(([id]) => id.startsWith('EscalationSlaEscalationFn')) ?? [];
    expect(fn?.Properties.Environment.Variables.ESCALATION_TOPIC_ARN).toEqual({
      Ref: expect.stringMatching(/^EscalationTopic/),
    });
  });

  it('alarms on escalation failures and function errors', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Keyline',
      MetricName: 'EscalationFailures',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors' });
  });
});

describe('agent desktop hosting', () => {
  it('serves a private bucket through CloudFront with origin access control', () => {
    dev.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
    for (const bucket of Object.values(dev.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: Match.anyValue(),
          }),
        ]),
      },
    });
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

  it('has one Cognito group per role, named as the API reads them from the token', () => {
    const groups = Object.values(dev.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties as { GroupName: string; Precedence: number },
    );
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['account-managers', 'agents', 'team-leads']);
    const precedence = Object.fromEntries(groups.map((g) => [g.GroupName, g.Precedence]));
    expect(precedence['account-managers']).toBeLessThan(precedence['team-leads'] ?? 0);
    expect(precedence['team-leads']).toBeLessThan(precedence.agents ?? 0);
  });

  it('writes access logs', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });
});

describe('operations: every failure reaches an operator', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  /** The full shape: a Connect instance and outbound dialing, every function and queue deployed. */
  const full = () =>
    synth('dev', { connectInstanceArn: INSTANCE, outbound: { contactFlowId: 'flow-1', queueId: 'queue-1' } });
  const alarms = (t: Template) => Object.entries(t.findResources('AWS::CloudWatch::Alarm'));

  it('pages the ops topic (KMS-encrypted, TLS only, an output) from every alarm, and again when it clears', () => {
    const t = full();
    const output = t.findOutputs('OpsTopicArn');
    const topicRef = Object.values(output)[0]?.Value;
    expect(topicRef).toEqual({ Ref: expect.stringMatching(/^OpsTopic/) });
    const topicId = (topicRef as { Ref: string }).Ref;
    expect(t.findResources('AWS::SNS::Topic')[topicId]?.Properties.KmsMasterKeyId).toBeDefined();
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    expect(alarms(t).length).toBeGreaterThanOrEqual(16);
    const silent = alarms(t)
      .filter(
        ([, a]) =>
          JSON.stringify(a.Properties.AlarmActions) !== JSON.stringify([{ Ref: topicId }]) ||
          JSON.stringify(a.Properties.OKActions) !== JSON.stringify([{ Ref: topicId }]),
      )
      .map(([id]) => id);
    expect(silent).toEqual([]);
  });

  it('watches every dead-letter queue for visible messages', () => {
    const t = full();
    // Every queue named as a dead-letter target (redrive, rule target, SNS subscription, failure
    // destination of a stream or an async invoke).
    const ids = new Set<string>();
    const visit = (v: unknown, inDlq: boolean) => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      const att = o['Fn::GetAtt'];
      if (inDlq && Array.isArray(att) && att[1] === 'Arn') ids.add(String(att[0]));
      for (const [k, x] of Object.entries(o))
        visit(
          x,
          inDlq || ['deadLetterTargetArn', 'DeadLetterConfig', 'OnFailure', 'RedrivePolicy'].includes(k),
        );
    };
    for (const r of Object.values(t.toJSON().Resources as Record<string, { Properties?: unknown }>))
      visit(r.Properties, false);
    const queues = t.findResources('AWS::SQS::Queue');
    const dlqs = [...ids].filter((id) => id in queues).sort();
    expect(dlqs.map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'AnalyticsAggregatesDlq',
      'ContactEventsDlq',
      'DelaysNotifierDlq',
      'DelaysTrackingFeedDlq',
      'IvrHandoffDlq',
    ]);
    const unwatched = dlqs.filter(
      (q) =>
        !alarms(t).some(
          ([, a]) =>
            a.Properties.Namespace === 'AWS/SQS' &&
            a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(a.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [q, 'QueueName'] } }]) &&
            a.Properties.Threshold === 1,
        ),
    );
    expect(unwatched).toEqual([]);
  });

  it('alarms on a failed run of every scheduled function (Errors ≥ 1)', () => {
    const t = full();
    const scheduled = Object.values(t.findResources('AWS::Scheduler::Schedule')).map(
      (s) => s.Properties.Target.Arn['Fn::GetAtt'][0] as string,
    );
    expect(scheduled.length).toBe(9);
    const unwatched = scheduled.filter(
      (fnId) =>
        !alarms(t).some(
          ([, a]) =>
            a.Properties.Namespace === 'AWS/Lambda' &&
            a.Properties.MetricName === 'Errors' &&
            a.Properties.Statistic === 'Sum' &&
            a.Properties.Threshold === 1 &&
            a.Properties.ComparisonOperator === 'GreaterThanOrEqualToThreshold' &&
            JSON.stringify(a.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fnId } }]),
        ),
    );
    expect(unwatched).toEqual([]);
  });
});

describe('the SLA business calendar', () => {
  const INSTANCE = 'arn:aws:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const CALENDAR = {
    holidays: { 'Asia/Shanghai': ['2027-01-01'] },
    workdays: { 'Asia/Shanghai': ['2027-02-20'] },
  };

  it('lists exactly the handlers that compute complaint SLAs', () => {
    const handlers = [
      ...HTTP_FUNCTIONS,
      ...CONNECT_FUNCTIONS,
      ...Object.values(BACKGROUND_FUNCTIONS),
      HANDOFF_WORKER,
    ]
      .map((f) => f.entry)
      .filter((entry) => readFileSync(entry, 'utf8').includes('complaintPolicyFromEnv('));
    expect([...new Set(handlers)].sort()).toEqual([...SLA_FUNCTION_ENTRIES].sort());
  });

  it('gives -c slaCalendar to every function that computes SLAs, and to no other', () => {
    const t = synth('dev', { connectInstanceArn: INSTANCE, slaCalendar: JSON.stringify(CALENDAR) });
    const given = keylineFunctions(t)
      .filter(([, fn]) => fn.Properties.Environment.Variables.SLA_CALENDAR !== undefined)
      .map(([, fn]) => {
        expect(JSON.parse(fn.Properties.Environment.Variables.SLA_CALENDAR)).toEqual(CALENDAR);
        return (fn.Properties.Tags as { Key: string; Value: string }[]).find(
          (x) => x.Key === 'keyline:function',
        )?.Value;
      });
    expect(given.sort()).toEqual(SLA_FUNCTION_ENTRIES.map((e) => e.split('/')[1]).sort());
  });

  it('refuses a calendar that is not one, naming what is wrong', () => {
    expect(() => synth('dev', { slaCalendar: '{holidays' })).toThrow(/slaCalendar must be JSON/);
    expect(() => synth('dev', { slaCalendar: '{"holidays":{"Asia/Peking":["2027-01-01"]}}' })).toThrow(
      /"Asia\/Peking" is not an IANA time zone/,
    );
    expect(() => synth('dev', { slaCalendar: '{"holidays":{"Asia/Shanghai":["2027-1-1"]}}' })).toThrow(
      /"2027-1-1" is not a date/,
    );
  });

  it('alarms the operators when the delay watchdog keeps failing a shipment’s check', () => {
    const [, alarm] =
      Object.entries(dev.findResources('AWS::CloudWatch::Alarm')).find(
        ([, a]) => a.Properties.MetricName === 'StagnationChecksFailed',
      ) ?? [];
    // The dimension names the watchdog's own service, as its function's Powertools settings do.
    const watchdog = keylineFunctions(dev).find(([, fn]) =>
      fn.Properties.Description?.startsWith('Finds in-transit shipments with no scan'),
    );
    const service = watchdog?.[1].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'Keyline',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 4,
      Dimensions: [{ Name: 'service', Value: service }],
    });
    expect(alarm?.Properties.AlarmActions).toHaveLength(1);
  });

  it('alarms the operators when a year within 60 days has no known China calendar', () => {
    const calendarAlarm = Object.entries(dev.findResources('AWS::CloudWatch::Alarm')).find(
      ([, a]) => a.Properties.MetricName === 'CalendarYearsMissing',
    );
    expect(calendarAlarm?.[1].Properties).toMatchObject({
      Namespace: 'Keyline',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [{ Name: 'service', Value: 'keyline-slaescalation' }],
    });
    expect(calendarAlarm?.[1].Properties.AlarmActions).toHaveLength(1);
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
