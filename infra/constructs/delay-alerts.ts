import { Duration, Names, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import {
  type ITopic,
  type ITopicSubscription,
  SubscriptionFilter,
  SubscriptionProtocol,
  Topic,
  type TopicSubscriptionConfig,
} from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BACKGROUND_FUNCTIONS } from '#functions/index.ts';
import { ENTITY } from '#shared/platform/dynamo/keys.ts';
import { OUTBOX_ENTITY, OUTBOX_SWEEP } from '#shared/platform/dynamo/outbox.ts';
import { acknowledge } from '../nag.ts';
import { KeylineFunction } from './keyline-function.ts';
import { alarmAtLeast, deadLetterQueue, invokeOnSchedule } from './ops.ts';

/**
 * The notifier queue's subscription to the delay topic, raw delivery: what CDK's SqsSubscription
 * makes (the same subscription, and the queue policy letting only this topic send), without the
 * key-policy statement it adds for SNS with no condition (the condition it can add names the topic,
 * a dependency cycle: README, Deploy). The key's own statement lets SNS use it for this account only.
 */
class EncryptedQueueSubscription implements ITopicSubscription {
  constructor(private readonly queue: Queue) {}

  bind(topic: ITopic): TopicSubscriptionConfig {
    const { policyDependable } = this.queue.addToResourcePolicy(
      new PolicyStatement({
        resources: [this.queue.queueArn],
        actions: ['sqs:SendMessage'],
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
      }),
    );
    return {
      subscriberScope: this.queue,
      subscriberId: Names.nodeUniqueId(topic.node),
      endpoint: this.queue.queueArn,
      protocol: SubscriptionProtocol.SQS,
      rawMessageDelivery: true,
      ...(policyDependable ? { subscriptionDependency: policyDependable } : {}),
    };
  }
}

export interface DelayAlertsProps {
  table: TableV2;
  prod: boolean;
  /** The verified SES identity (domain or address) alerts are sent from. */
  sesFrom: string;
  sesIdentity: string;
  smsSenderId?: string;
  /**
   * Where digests link to: an absolute URL, `{accountId}` replaced (a client tracking page), or
   * the hosted desktop, which opens the account from `?account=`.
   */
  alertLinkBase: string;
}

/**
 * Delay early-warning in AWS: the table's stream feeds the outbox publisher, which publishes
 * DelayDetected to a KMS-encrypted topic; the notifier reads the topic through an SQS queue with a
 * DLQ (partial batch failures); critical key-account delays reach the proactive-call subscriber;
 * deferred alerts go out every minute after quiet hours; the outbox sweeper publishes what the
 * stream gave up on. Alarms watch the dead letters and failed notifications.
 */
export class DelayAlerts extends Construct {
  readonly topic: Topic;
  readonly trackingFeed: Queue;

  constructor(scope: Construct, id: string, props: DelayAlertsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = new Key(this, 'TopicKey', {
      description: 'Keyline delay topic',
      enableKeyRotation: true,
      removalPolicy: props.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // SNS delivers to the encrypted queues (and redrives a failed Lambda delivery to the encrypted
    // dead-letter queue) with this key: the data-key actions that needs, for this account only.
    // (A condition naming the topic would make the key depend on the topic it encrypts: a cycle.)
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Keyline delay alerts',
      masterKey: key,
      enforceSSL: true,
    });

    const dlq = new Queue(this, 'NotifierDlq', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      dlq,
      'AwsSolutions::AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the notifier queue, the outbox stream and the proactive-call subscriber.',
    );
    const queue = new Queue(this, 'NotifierQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(120),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    this.topic.addSubscription(new EncryptedQueueSubscription(queue));

    const senders = {
      SES_FROM: props.sesFrom,
      ALERT_LINK_BASE: props.alertLinkBase,
      ...(props.smsSenderId ? { SMS_SENDER_ID: props.smsSenderId } : {}),
    };
    const sends = { sms: true, email: { sesIdentity: props.sesIdentity } };
    const notifier = new KeylineFunction(this, 'Notifier', {
      entry: BACKGROUND_FUNCTIONS.notifier.entry,
      description: 'DelayDetected → SMS and email to the account contacts',
      prod: props.prod,
      timeout: Duration.seconds(60),
      environment: senders,
      sends,
    }).bindTable(props.table, BACKGROUND_FUNCTIONS.notifier.access);
    notifier.fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));

    const publisher = new KeylineFunction(this, 'DelayPublisher', {
      entry: BACKGROUND_FUNCTIONS['delay-publisher'].entry,
      description: 'Outbox (table stream) → DelayDetected on SNS',
      prod: props.prod,
      environment: { DELAY_TOPIC_ARN: this.topic.topicArn },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['delay-publisher'].access);
    this.topic.grantPublish(publisher.fn);
    publisher.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 25,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dlq),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            // The entity marker every item carries (keys.ts ENTITY), as the outbox writes it.
            dynamodb: { NewImage: { [ENTITY]: { S: FilterRule.isEqual(OUTBOX_ENTITY) } } },
          }),
        ],
      }),
    );

    const proactive = new KeylineFunction(this, 'ProactiveCall', {
      entry: BACKGROUND_FUNCTIONS['proactive-call'].entry,
      description: 'Critical delays of key accounts, or with a stock-out risk → a proactive callback',
      prod: props.prod,
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['proactive-call'].access);
    // An event the function could not handle after Lambda's two retries, or one SNS could not
    // deliver, lands in the dead-letter queue the alarm watches: a proactive call is never lost.
    proactive.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(dlq) });
    this.topic.addSubscription(
      new LambdaSubscription(proactive.fn, {
        deadLetterQueue: dlq,
        // Critical delays only; the function calls for key accounts and, whatever the tier, where
        // the playbook sees a stock-out risk (notify/proactive-call.ts).
        filterPolicy: {
          severity: SubscriptionFilter.stringFilter({ allowlist: ['critical'] }),
        },
      }),
    );

    const deferred = new KeylineFunction(this, 'DeferredNotifications', {
      entry: BACKGROUND_FUNCTIONS['deferred-notifications'].entry,
      description: 'Works due alert mailboxes: after quiet hours, retries, digest windows (every minute)',
      prod: props.prod,
      timeout: Duration.seconds(50),
      environment: senders,
      sends,
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['deferred-notifications'].access);
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    invokeOnSchedule(this, 'EveryMinute', {
      fn: deferred.fn,
      role: role,
      description: 'Keyline deferred delay alerts',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      retryAttempts: 0,
      what: 'deferred alert sender',
      errors: { description: 'The deferred alert sender failed a run: due alerts wait for the next minute' },
    });
    // What the stream gave up on (its retries spent in an SNS or KMS outage) is still in the
    // table's outbox: the sweeper publishes it, and dead-letters an entry after its last attempt.
    const sweeper = new KeylineFunction(this, 'OutboxSweeper', {
      entry: BACKGROUND_FUNCTIONS['outbox-sweeper'].entry,
      description: `Outbox entries the stream gave up on → DelayDetected on SNS (every ${OUTBOX_SWEEP.everyMinutes} minutes)`,
      prod: props.prod,
      timeout: Duration.seconds(120),
      environment: { DELAY_TOPIC_ARN: this.topic.topicArn },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['outbox-sweeper'].access);
    this.topic.grantPublish(sweeper.fn);
    invokeOnSchedule(this, 'OutboxSweep', {
      fn: sweeper.fn,
      role: role,
      description: 'Keyline outbox sweeper',
      schedule: ScheduleExpression.rate(Duration.minutes(OUTBOX_SWEEP.everyMinutes)),
      retryAttempts: 0,
      what: 'outbox sweeper',
      errors: {
        id: 'OutboxSweeperErrors',
        description: 'The outbox sweeper failed a run: entries the stream gave up on are not being published',
        period: Duration.minutes(15),
      },
    });
    acknowledge(
      sweeper,
      'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Publishing to the KMS-encrypted delay topic needs the data-key actions on that one key only.',
    );
    // The key of the topic and its queues: the publisher publishes to the topic and sends failed
    // stream batches to the dead-letter queue; the proactive-call subscriber sends failed events
    // there. (The notifier only decrypts what it reads; the deferred sender touches neither.)
    for (const [fn, what] of [
      [
        publisher,
        'Publishing to the KMS-encrypted delay topic and sending failed stream batches to its KMS-encrypted dead-letter queue',
      ],
      [proactive, 'Sending a failed delay event to the KMS-encrypted dead-letter queue'],
    ] as const) {
      acknowledge(
        fn,
        'AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        `${what} needs the data-key actions on that one key only.`,
      );
      acknowledge(
        fn,
        'AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        `${what}: CDK’s grant for it includes ReEncrypt* on that one key only.`,
      );
    }

    // TMS feeds: an SQS queue of tracking events (one, an array, or {events: [...]}) with its own DLQ.
    const feedDlq = deadLetterQueue(this, 'TrackingFeedDlq', 'the tracking feed');
    alarmAtLeast(
      this,
      'TrackingFeedDeadLetters',
      'TMS tracking messages could not be applied after their retries: they wait in the tracking feed’s dead-letter queue',
      feedDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
    this.trackingFeed = new Queue(this, 'TrackingFeed', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(180),
      deadLetterQueue: { queue: feedDlq, maxReceiveCount: 5 },
    });
    const feed = new KeylineFunction(this, 'TrackingFeedConsumer', {
      entry: BACKGROUND_FUNCTIONS['tracking-feed'].entry,
      description: 'TMS tracking events from SQS → shipments and delay detection',
      prod: props.prod,
      timeout: Duration.seconds(60),
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['tracking-feed'].access);
    feed.fn.addEventSource(
      new SqsEventSource(this.trackingFeed, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // The delay watchdog, every 15 minutes, from the sparse due index (next milestone or promise).
    const watchdog = new KeylineFunction(this, 'DelayWatchdog', {
      entry: BACKGROUND_FUNCTIONS['delay-watchdog'].entry,
      description: 'Finds in-transit shipments with no scan since their next milestone was due',
      prod: props.prod,
      timeout: Duration.seconds(120),
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['delay-watchdog'].access);
    invokeOnSchedule(this, 'WatchdogEvery15Minutes', {
      fn: watchdog.fn,
      role: role,
      description: 'Keyline delay watchdog',
      schedule: ScheduleExpression.rate(Duration.minutes(15)),
      retryAttempts: 0,
      what: 'watchdog',
      errors: {
        description: 'The delay watchdog failed a run: overdue shipments are not being flagged',
        period: Duration.minutes(15),
      },
    });
    // A shipment whose check fails stays due and the run goes on (the run itself fails only after
    // five in a row): one failing on every run, four an hour, is not flagged late until someone looks.
    alarmAtLeast(
      this,
      'WatchdogChecksFailing',
      'Delay watchdog checks keep failing (shipments stay due, unchecked): see the watchdog’s log for the waybills',
      new Metric({
        namespace: 'Keyline',
        metricName: 'StagnationChecksFailed',
        dimensionsMap: { service: 'keyline-delaywatchdog' },
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      4,
    );

    // The daily transport tracking report, 07:00 China time, by email to the contacts who opted in.
    const report = new KeylineFunction(this, 'TrackingReport', {
      entry: BACKGROUND_FUNCTIONS['tracking-report'].entry,
      description: 'Daily transport tracking report (运输跟踪报表) by email',
      prod: props.prod,
      timeout: Duration.minutes(5),
      environment: senders,
      sends: { email: sends.email },
    }).bindTable(props.table, BACKGROUND_FUNCTIONS['tracking-report'].access);
    invokeOnSchedule(this, 'DailyReport', {
      fn: report.fn,
      role: role,
      description: 'Keyline daily tracking report',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '7', timeZone: TimeZone.ASIA_SHANGHAI }),
      retryAttempts: 2,
      what: 'report',
      errors: {
        description:
          'The daily tracking report failed a run (some reports unsent; the schedule retries twice)',
        period: Duration.hours(1),
      },
    });

    const alarm = (name: string, description: string, metric: Metric) =>
      alarmAtLeast(this, name, description, metric);
    alarm(
      'DeadLetters',
      'Delay alerts or outbox records reached the dead-letter queue',
      dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
    // Both senders work mailboxes (the notifier at once, the scheduled one afterwards).
    for (const [name, service] of [
      ['AlertsDeadLettered', 'keyline-notifier'],
      ['DueAlertsDeadLettered', 'keyline-deferrednotifications'],
    ] as const) {
      alarm(
        name,
        'Delay alerts were given up after their last send attempt (see the account notification log)',
        new Metric({
          namespace: 'Keyline',
          metricName: 'AlertsDeadLettered',
          dimensionsMap: { service },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
      );
    }
    alarm(
      'OutboxDeadLetters',
      'Outbox entries (delay announcements) were given up after their last publish attempt: they stay in the table under gsi2pk DEADLETTER#OUTBOX',
      new Metric({
        namespace: 'Keyline',
        metricName: 'OutboxDeadLettered',
        dimensionsMap: { service: 'keyline-outboxsweeper' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    );
    alarm(
      'NotificationFailures',
      'Delay alerts failed to send (they are retried; opted-out numbers are not)',
      new Metric({
        namespace: 'Keyline',
        metricName: 'NotificationFailures',
        dimensionsMap: { service: 'keyline-notifier' },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
    );
  }
}
