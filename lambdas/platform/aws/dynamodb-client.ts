import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { awsHttpHandler } from './http-options';

/**
 * How long a DynamoDB request may wait for a byte of its answer. DynamoDB answers in
 * milliseconds (a 1 MB query page or a 100-item transaction included), so an answer that has
 * not begun in 3 s is a stall: the attempt is dropped and the SDK tries again, instead of the
 * house 10 s that, three attempts over, outlasts the unsubscribe function's 10 s and most of
 * notify's 30 s. Every write the functions retry this way is conditional or idempotent
 * (`TransactWriteItems` carries the SDK's `ClientRequestToken`), so a retry of an attempt
 * that DynamoDB did apply finds its own result (docs/idempotency.md, "DynamoDB faults").
 */
export const DYNAMODB_SOCKET_TIMEOUT_MS = 3_000;

/**
 * Attempts per call, counting the first. The SDK's 3 leave about one call in 300 failed at a
 * 15 % share of throttles and 500s; the record then comes back from its queue and does its
 * reads again, and a `SENT` after SES took the email would wait for SES's events. 5 attempts
 * (throttling backoff up to 0.5, 1, 2 and 4 s, standard jitter) bring that to one in 13,000,
 * well inside a function's timeout. The SDK v2 gave DynamoDB 10 retries.
 */
export const DYNAMODB_MAX_ATTEMPTS = 5;

/**
 * A DynamoDB client as our functions use it: the SDK's defaults (region, credentials and
 * `AWS_ENDPOINT_URL_DYNAMODB` from the environment, standard retries) with the house connect
 * timeout, {@link DYNAMODB_SOCKET_TIMEOUT_MS} and {@link DYNAMODB_MAX_ATTEMPTS}. `config`
 * overrides any of it (tests point it at DynamoDB Local).
 *
 * @example
 * export const dynamoDb = dynamoDbClient();
 */
export function dynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: awsHttpHandler({ socketTimeoutMs: DYNAMODB_SOCKET_TIMEOUT_MS }), maxAttempts: DYNAMODB_MAX_ATTEMPTS, ...config });
}
