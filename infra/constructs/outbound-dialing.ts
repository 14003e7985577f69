import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { KeylineFunction } from './keyline-function.ts';

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
 * outbound calls on this Connect instance only; the contact-events consumer fed by an EventBridge
 * rule for this instance's contact events, with a dead-letter queue; alarms on dialer errors,
 * throttling and dead letters.
 */
export class OutboundDialing extends Construct {
  constructor(scope: Construct, id: string, props: OutboundDialingProps) {
    super(scope, id);
    const instanceId = props.instanceArn.split('/').pop() ?? '';
    const dialer = new KeylineFunction(this, 'Dialer', {
      entry: 'functions/dialer/handler.ts',
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
    }).bindTable(props.table, 'RW');
    dialer.fn.addToRolePolicy(
      new PolicyStatement({
        // Start the calls; describe them when their contact events were lost (the reconciler).
        actions: ['connect:StartOutboundVoiceContact', 'connect:DescribeContact'],
        resources: [`${props.instanceArn}/contact/*`],
      }),
    );
    acknowledge(
      dialer,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${props.instanceArn}/contact/*]`,
      'StartOutboundVoiceContact creates a new contact whose id is unknown beforehand, and DescribeContact reads the calls the dialer placed; both are scoped to this Connect instance’s contacts.',
    );
    dialer.fn.addEnvironment('POWERTOOLS_SERVICE_NAME', 'keyline-dialer');

    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    new Schedule(this, 'EveryMinute', {
      description: 'Keyline outbound dialer',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(dialer.fn, { retryAttempts: 0, role: schedulerRole }),
    });
    acknowledge(
      schedulerRole,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(dialer.fn.node.defaultChild as never)}.Arn>:*]`,
      'Invoke on the dialer function and its versions only (the grant CDK’s LambdaInvoke target makes).',
    );

    const events = new KeylineFunction(this, 'ContactEvents', {
      entry: 'functions/contact-events/handler.ts',
      description: 'Amazon Connect contact events → callback outcomes and retries',
      prod: props.prod,
    }).bindTable(props.table, 'RW');
    const dlq = new Queue(this, 'ContactEventsDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      dlq,
      'AwsSolutions::AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the contact-events rule target.',
    );
    new Rule(this, 'ContactEventsRule', {
      description: 'Amazon Connect contact events of the Keyline instance',
      eventPattern: {
        source: ['aws.connect'],
        detailType: ['Amazon Connect Contact Event'],
        resources: [props.instanceArn],
      },
      targets: [
        new LambdaFunction(events.fn, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: dlq,
        }),
      ],
    });

    const alarm = (name: string, description: string, metric: Metric, threshold: number) =>
      new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    alarm(
      'DialerErrors',
      'The dialer failed',
      dialer.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
    );
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
      'ContactEventsDeadLetters',
      'Contact events could not be applied',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
    );
  }
}
