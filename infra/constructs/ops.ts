import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, type ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** A dead-letter queue: encrypted, TLS only, kept two weeks; `of` says whose, for cdk-nag. */
export function deadLetterQueue(scope: Construct, id: string, of: string): Queue {
  const dlq = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(dlq, 'AwsSolutions::AwsSolutions-SQS3', `This queue is itself the dead-letter queue of ${of}.`);
  return dlq;
}

/**
 * The operators' topic (KMS-encrypted, TLS only; its ARN is the stack output OpsTopicArn, which
 * on-call subscribes to): every alarm of the stack notifies it when it fires and when it clears.
 * One per stack, made by the stack before any construct that alarms (`OpsAlerts.of` finds it).
 */
export class OpsAlerts extends Construct {
  static readonly ID = 'Ops';
  readonly topic: Topic;
  readonly action: SnsAction;

  /** The stack's ops topic, for an alarm made anywhere in it. */
  static of(scope: Construct): OpsAlerts {
    const found = Stack.of(scope).node.tryFindChild(OpsAlerts.ID);
    if (!(found instanceof OpsAlerts)) throw new Error('The stack makes its OpsAlerts before any alarm');
    return found;
  }

  constructor(scope: Stack, props: { prod: boolean }) {
    super(scope, OpsAlerts.ID);
    const key = new Key(this, 'TopicKey', {
      description: 'Keyline ops alarms topic',
      enableKeyRotation: true,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes an alarm to the encrypted topic with this key, for this account only.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': scope.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Keyline operations alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': scope.account } },
      }),
    );
    this.action = new SnsAction(this.topic);
    new CfnOutput(scope, 'OpsTopicArn', { value: this.topic.topicArn });
  }
}

/**
 * An alarm when `metric` reaches `threshold` in one period; no data is no alarm. It notifies the
 * ops topic when it fires and when it clears: every alarm of the stack is made here.
 */
export function alarmAtLeast(
  scope: Construct,
  id: string,
  description: string,
  metric: Metric,
  threshold = 1,
) {
  const alarm = new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  const { action } = OpsAlerts.of(scope);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/**
 * Invokes `fn` on a schedule (EventBridge Scheduler) through `role`, with the cdk-nag
 * acknowledgement of the grant CDK's LambdaInvoke target makes (the function and its versions),
 * and an alarm on the function's errors (≥ 1 in a period): a failed run is never silent.
 */
export function invokeOnSchedule(
  scope: Construct,
  id: string,
  o: {
    fn: IFunction;
    role: IRole;
    schedule: ScheduleExpression;
    description: string;
    retryAttempts: number;
    what: string;
    /** The errors alarm's id, description and period (default: `<id>Errors`, "The <what> failed a run", 5 minutes). */
    errors?: { id?: string; description?: string; period?: Duration };
  },
): Schedule {
  const schedule = new Schedule(scope, id, {
    description: o.description,
    schedule: o.schedule,
    target: new LambdaInvoke(o.fn, { retryAttempts: o.retryAttempts, role: o.role }),
  });
  acknowledge(
    o.role,
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(o.fn.node.defaultChild as never)}.Arn>:*]`,
    `Invoke on the ${o.what} function and its versions only (the grant CDK’s LambdaInvoke target makes).`,
  );
  alarmAtLeast(
    scope,
    o.errors?.id ?? `${id}Errors`,
    o.errors?.description ?? `The ${o.what} failed a run`,
    o.fn.metricErrors({ period: o.errors?.period ?? Duration.minutes(5), statistic: 'Sum' }),
  );
  return schedule;
}
