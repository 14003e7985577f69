import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { acknowledge } from '../nag.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, invokeOnSchedule } from './ops.ts';

export interface ComplaintEscalationProps {
  table: ITableV2;
  prod: boolean;
  environment: Record<string, string>;
}

/**
 * SLA escalation: a function run every minute by EventBridge Scheduler, publishing
 * ComplaintEscalated events to a KMS-encrypted SNS topic, with alarms on failures.
 */
export class ComplaintEscalation extends Construct {
  readonly topic: Topic;
  readonly fn: KeylineFunction;
  readonly failureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ComplaintEscalationProps) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', {
      description: 'Keyline complaint escalation topic',
      enableKeyRotation: true,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Keyline complaint escalations',
      masterKey: key,
      enforceSSL: true,
    });
    this.fn = new KeylineFunction(this, 'SlaEscalation', {
      entry: BACKGROUND_FUNCTIONS['sla-escalation'].entry,
      description: 'Escalates at-risk and breached complaints (every minute)',
      prod: props.prod,
      timeout: Duration.seconds(50),
      environment: { ...props.environment, ESCALATION_TOPIC_ARN: this.topic.topicArn },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['sla-escalation'].access);
    this.topic.grantPublish(this.fn.fn);

    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    // A missed minute is covered by the next run, so no retries pile up behind a slow one.
    invokeOnSchedule(this, 'EveryMinute', {
      fn: this.fn.fn,
      role: schedulerRole,
      description: 'Keyline SLA escalation',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      retryAttempts: 0,
      what: 'escalation',
      errors: { id: 'ErrorsAlarm', description: 'The SLA escalation function failed' },
    });
    acknowledge(
      this.fn,
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Publishing to the KMS-encrypted topic needs GenerateDataKey* on that topic’s key only.',
    );

    const failures = new Metric({
      namespace: 'Keyline',
      metricName: 'EscalationFailures',
      dimensionsMap: { service: 'keyline-slaescalation' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    // A business-day SLA over a year China's calendar is unknown for counts Spring Festival as
    // working days: said an hour after the escalation run first sees it, 60 days ahead.
    alarmAtLeast(
      this,
      'CalendarAlarm',
      "China's working calendar for a year within the next 60 days is not known (the chinese-days package has no data for it yet): business-day SLAs count that year Monday to Friday. Update chinese-days and deploy, or deploy with -c slaCalendar listing that year's holidays and adjusted working days.",
      new Metric({
        namespace: 'Keyline',
        metricName: 'CalendarYearsMissing',
        dimensionsMap: { service: 'keyline-slaescalation' },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
    );
    this.failureAlarm = alarmAtLeast(
      this,
      'FailuresAlarm',
      'Complaint escalations could not be published to SNS (they are retried each minute)',
      failures,
    );
  }
}
