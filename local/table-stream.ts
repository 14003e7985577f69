/**
 * The local stand-in for a DynamoDB stream event source mapping: reads the table's stream from
 * DynamoDB Local (the same Streams API as AWS), keeps the records the mapping's filter would
 * pass, and hands them in batches to the very handler the Lambda exports. A batch that fails is
 * retried from its first record after a pause, as Lambda retries a stream batch.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ENTITY } from '#shared/platform/dynamo/keys.ts';

export interface LocalStreamOptions {
  /** The entities the mapping's filter passes (INSERT and MODIFY of these). */
  entities: readonly string[];
  everyMs?: number;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
}

export class LocalTableStream {
  private readonly iterators = new Map<string, string | undefined>();
  /** Per shard, the sequence number of the last record passed (handed over or filtered out). */
  private readonly passed = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** Records handed to the handler, for the desk's and the tests' eyes. */
  delivered = 0;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly o: LocalStreamOptions,
  ) {}

  static async open(
    table: DynamoDBClient,
    tableName: string,
    o: LocalStreamOptions,
  ): Promise<LocalTableStream> {
    const t = await table.send(new DescribeTableCommand({ TableName: tableName }));
    const arn = t.Table?.LatestStreamArn;
    if (!arn) throw new Error(`${tableName} has no stream`);
    const config = table.config;
    // DynamoDB Local serves its streams on the table's own endpoint.
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    const client = new DynamoDBStreamsClient({
      region: await config.region(),
      credentials: await config.credentials(),
      ...(endpoint ? { endpoint } : {}),
    });
    return new LocalTableStream(client, arn, o);
  }

  start(): this {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.poll()
        .catch((err: unknown) => console.error('[table stream]', err instanceof Error ? err.message : err))
        .finally(() => {
          this.busy = false;
        });
    }, this.o.everyMs ?? 1000);
    this.timer.unref();
    return this;
  }

  stop() {
    clearInterval(this.timer);
    this.client.destroy();
  }

  /** One pass over every shard: what arrived since the last pass, oldest first. */
  async poll(): Promise<number> {
    const d = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    let handed = 0;
    for (const shard of d.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId ?? '';
      if (!this.iterators.has(id)) {
        // After the last record passed (an expired or lost iterator), else from the start.
        const after = this.passed.get(id);
        const it = await this.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: id,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' as const }),
          }),
        );
        this.iterators.set(id, it.ShardIterator);
      }
      let iterator = this.iterators.get(id);
      while (iterator) {
        const page = await this.client
          .send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }))
          .catch((err: unknown) => {
            // The next pass asks for a new iterator where this one stood.
            this.iterators.delete(id);
            throw err;
          });
        const records = (page.Records ?? []).filter((r) => this.passes(r)).map((r) => this.asLambda(r));
        if (records.length && !(await this.handOver(id, records))) return handed;
        handed += records.length;
        this.delivered += records.length;
        this.iterators.set(id, page.NextShardIterator);
        const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
        if (last) this.passed.set(id, last);
        // An open shard answers an empty page at its end: wait for the next pass.
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return handed;
  }

  private failures = 0;

  /**
   * Hands a batch over; false leaves the shard where it is for the next pass. After five failed
   * passes the batch is logged as dead-lettered and passed over, as the mapping's on-failure
   * destination would take it.
   */
  private async handOver(shard: string, records: DynamoDBStreamEvent['Records']): Promise<boolean> {
    try {
      const r = (await this.o.handler({ Records: records })) as { batchItemFailures?: unknown[] } | undefined;
      if (r?.batchItemFailures?.length) throw new Error(`${r.batchItemFailures.length} record(s) failed`);
      this.failures = 0;
      return true;
    } catch (err) {
      if (++this.failures < 5) return false;
      console.error(`[table stream] ${records.length} record(s) of ${shard} dead-lettered:`, err);
      this.failures = 0;
      return true;
    }
  }

  /** A record as the event source mapping hands it to Lambda. */
  private asLambda(r: StreamRecord): DynamoDBStreamEvent['Records'][number] {
    const at = r.dynamodb?.ApproximateCreationDateTime;
    return {
      ...r,
      eventSourceARN: this.streamArn,
      dynamodb: {
        ...r.dynamodb,
        ...(at ? { ApproximateCreationDateTime: Math.floor(new Date(at).getTime() / 1000) } : {}),
      },
    } as unknown as DynamoDBStreamEvent['Records'][number];
  }

  private passes(r: StreamRecord): boolean {
    if (r.eventName !== 'INSERT' && r.eventName !== 'MODIFY') return false;
    const entity = r.dynamodb?.NewImage?.[ENTITY]?.S;
    return entity !== undefined && this.o.entities.includes(entity);
  }
}
