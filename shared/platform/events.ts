import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface DomainEvent {
  type: string;
  subject: string;
  payload: Record<string, unknown>;
  /** Becomes SNS message attributes, so subscribers can filter (tier, severity, level…). */
  attributes: Record<string, string | number>;
}

/** The port: where domain events go. AWS: an SNS topic. Local: an in-memory topic (local/). */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}

export class SnsEventPublisher implements EventPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: event.subject.slice(0, 99),
        Message: JSON.stringify({ type: event.type, ...event.payload }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.type },
          ...Object.fromEntries(
            Object.entries(event.attributes).map(([k, v]) => [
              k,
              typeof v === 'number'
                ? { DataType: 'Number', StringValue: String(v) }
                : { DataType: 'String', StringValue: v },
            ]),
          ),
        },
      }),
    );
  }
}
