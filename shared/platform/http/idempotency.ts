import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { keys } from '../dynamo/keys.ts';
import { ConflictError, DomainError } from '../errors.ts';

/** A reply as the idempotency record keeps it, to answer a retry with. */
export interface StoredResponse {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Run = () => Promise<StoredResponse>;
interface Request {
  key: string;
  request: unknown;
}

/** Retried requests with the same key get the first reply for a day. */
const EXPIRES_AFTER_SECONDS = 24 * 60 * 60;

/**
 * `Idempotency-Key` for creates, through Powertools idempotency on the single table. The first
 * request with a key runs; a retry with the same key and body gets the first reply; one with
 * another body is refused. The Lambda context is registered, so a request whose Lambda timed out
 * holds its key only until that timeout has passed, not for a day. Each route keeps its records
 * under its own partition (keys.idempotency).
 */
export class HttpIdempotency {
  private readonly config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: EXPIRES_AFTER_SECONDS,
  });
  private readonly byRoute = new Map<string, (r: Request, run: Run) => Promise<StoredResponse>>();

  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBClient,
  ) {}

  async run(
    route: string,
    key: string,
    request: unknown,
    context: Context,
    fn: Run,
  ): Promise<StoredResponse> {
    this.config.registerLambdaContext(context);
    try {
      return await this.wrapped(route)({ key, request }, fn);
    } catch (err) {
      if (err instanceof IdempotencyValidationError) {
        throw new DomainError(
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request',
        );
      }
      if (err instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError(
          'A request with this Idempotency-Key is still being processed; retry shortly',
          undefined,
          'in-progress',
        );
      }
      throw err;
    }
  }

  private wrapped(route: string) {
    let fn = this.byRoute.get(route);
    if (!fn) {
      fn = makeIdempotent(
        // The reply is kept as JSON: what a retry gets back is exactly what the first caller got.
        async (_r: Request, run: Run) => JSON.parse(JSON.stringify(await run())) as StoredResponse,
        {
          persistenceStore: new DynamoDBPersistenceLayer({
            tableName: this.tableName,
            awsSdkV3Client: this.client,
            keyAttr: 'pk',
            sortKeyAttr: 'sk',
            staticPkValue: keys.idempotency.partition(route),
            expiryAttr: 'expiresAt',
          }),
          config: this.config,
          keyPrefix: route,
          dataIndexArgument: 0,
        },
      );
      this.byRoute.set(route, fn);
    }
    return fn;
  }
}
