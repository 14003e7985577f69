import { Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { acknowledge } from '../nag.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, invokeOnSchedule } from './ops.ts';

export interface OutboundDialingProps {
  table: ITableV2;
  prod: boolean;
  instanceArn: string;
  contactFlowId: string;
  queueId?: string;
  sourcePhoneNumber?: string;
  quotaPerSecond: number;
}

/**
 * Outbound campaigns in AWS: the dialer every minute (EventBridge Scheduler), allowed to start
 * outbound calls on this Connect instance only; alarms on dialer errors, throttling and callbacks
 * given up (dead-lettered) after runs kept dying before their call. The calls'
 * outcomes come back through the contact-events consumer (contact-events.ts).
 */
/** A value as cdk-nag names it in a finding: literal, or `<LogicalId.Attr>` for a deploy-time ARN. */
function nagName(scope: Construct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  const r = Stack.of(scope).resolve(value) as { 'Fn::GetAtt'?: [string, string] };
  return r['Fn::GetAtt'] ? `<${r['Fn::GetAtt'][0]}.${r['Fn::GetAtt'][1]}>` : value;
}

export class OutboundDialing extends Construct {
  constructor(scope: Construct, id: string, props: OutboundDialingProps) {
    super(scope, id);
    // …:instance/<id>: the id, also when the ARN is only known at deploy (a sandbox instance).
    const instanceId = Token.isUnresolved(props.instanceArn)
      ? Fn.select(1, Fn.split('/', props.instanceArn))
      : (props.instanceArn.split('/').pop() ?? '');
    const dialer = new KeylineFunction(this, 'Dialer', {
      entry: BACKGROUND_FUNCTIONS.dialer.entry,
      description: 'Dials due callbacks, paced to the StartOutboundVoiceContact quota (every minute)',
      prod: props.prod,
      timeout: Duration.seconds(58),
      // One run at a time (a run lasts under a minute and the schedule fires every minute); the
      // run lease in the table guards the same in case of a manual invocation.
      reservedConcurrency: 1,
      environment: {
        CONNECT_INSTANCE_ID: instanceId,
        CONNECT_CONTACT_FLOW_ID: props.contactFlowId,
        ...(props.queueId ? { CONNECT_QUEUE_ID: props.queueId } : {}),
        ...(props.sourcePhoneNumber ? { CONNECT_SOURCE_PHONE_NUMBER: props.sourcePhoneNumber } : {}),
        DIAL_QUOTA_PER_SECOND: String(props.quotaPerSecond),
        DIAL_RUN_MS: '50000',
      },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS.dialer.access);
    dialer.fn.addToRolePolicy(
      new PolicyStatement({
        // Start the calls; describe them when their contact events were lost (the reconciler).
        actions: ['connect:StartOutboundVoiceContact', 'connect:DescribeContact'],
        resources: [`${props.instanceArn}/contact/*`],
      }),
    );
    acknowledge(
      dialer,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${nagName(this, props.instanceArn)}/contact/*]`,
      'StartOutboundVoiceContact creates a new contact whose id is unknown beforehand, and DescribeContact reads the calls the dialer placed; both are scoped to this Connect instance’s contacts.',
    );
    dialer.fn.addEnvironment('POWERTOOLS_SERVICE_NAME', 'keyline-dialer');

    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    invokeOnSchedule(this, 'EveryMinute', {
      fn: dialer.fn,
      role: schedulerRole,
      description: 'Keyline outbound dialer',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      retryAttempts: 0,
      what: 'dialer',
      errors: { id: 'DialerErrors', description: 'The dialer failed' },
    });

    // Scheduled follow-up calls (回访): booked once a day, dialed by the dialer in calling windows.
    const followUps = new KeylineFunction(this, 'FollowUpScheduler', {
      entry: BACKGROUND_FUNCTIONS['follow-up-scheduler'].entry,
      description:
        'Books each account’s follow-up call for its period: key monthly, others quarterly (daily)',
      prod: props.prod,
      timeout: Duration.minutes(5),
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['follow-up-scheduler'].access);
    invokeOnSchedule(this, 'FollowUpsDaily', {
      fn: followUps.fn,
      role: schedulerRole,
      description: 'Keyline scheduled follow-up calls',
      schedule: ScheduleExpression.cron({ hour: '0', minute: '30' }),
      retryAttempts: 2,
      what: 'follow-up scheduler',
      errors: { description: 'The daily follow-up booking failed a run', period: Duration.hours(1) },
    });

    const alarm = (name: string, description: string, metric: Metric, threshold: number) =>
      alarmAtLeast(this, name, description, metric, threshold);
    alarm(
      'DialerThrottling',
      'Connect throttled StartOutboundVoiceContact repeatedly: lower the pacing or raise the quota',
      new Metric({
        namespace: 'Keyline',
        metricName: 'DialThrottled',
        dimensionsMap: { service: 'keyline-dialer' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      30,
    );
    alarm(
      'DialerDeadLetters',
      'A callback was given up after tries that went nowhere (runs dying before its call, or Connect failing on it): it ended failed with a note (see the campaign’s callbacks)',
      new Metric({
        namespace: 'Keyline',
        metricName: 'DialsDeadLettered',
        dimensionsMap: { service: 'keyline-dialer' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      1,
    );
    alarm(
      'DialerUnrecordedCalls',
      'A call Connect placed could not be recorded (DynamoDB failing after the dial): its claim expires and a later run dials the same ClientToken; check the callback and the table’s health',
      new Metric({
        namespace: 'Keyline',
        metricName: 'DialsUnrecorded',
        dimensionsMap: { service: 'keyline-dialer' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      1,
    );
  }
}
