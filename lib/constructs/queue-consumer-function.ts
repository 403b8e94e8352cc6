import { Duration, Token } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { CfnQueue, IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { InvalidPropsError } from '../errors';
import { HouseFunction } from './house-function';
import { denyKeyOutsideServices } from './data-key-use';
import type { HouseFunctionProps } from './house-function';

/**
 * How many function timeouts the queue's visibility timeout must cover. AWS recommends six,
 * so a record is not handed to a second invocation while throttled retries of the first
 * invocation still hold it.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Visibility timeout a queue needs for a consumer with this timeout. */
export function visibilityTimeoutFor(functionTimeout: Duration): Duration {
  return Duration.seconds(functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
}

/** How the SQS event source hands records to a consumer: every queue consumer's props take these. */
export interface BatchTuning {
  /**
   * Records per invocation.
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the event source waits to fill a batch.
   *
   * @default Duration.seconds(0)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most concurrent invocations the event source drives (2-1000). Caps the load on SES and
   * DynamoDB without reserving account concurrency.
   *
   * @default - limited by the account's concurrency only
   */
  readonly maxConcurrency?: number;
}

export interface QueueConsumerFunctionProps extends HouseFunctionProps, BatchTuning {
  /** The queue the function consumes. */
  readonly queue: IQueue;
}

/**
 * A {@link HouseFunction} fed by an SQS queue with partial batch responses: the handler
 * reports the records that failed (`batchItemFailures`) and only those come back.
 *
 * Checks up front, and reports together, the combinations AWS would reject at deploy time
 * or that lose messages: a visibility timeout under six function timeouts, batches over 10
 * without a batching window, a max concurrency outside 2-1000.
 *
 * @example
 * new QueueConsumerFunction(this, 'Notify', { entry: 'lambdas/notices/notify/handler.ts', queue, batchSize: 10 });
 */
export class QueueConsumerFunction extends HouseFunction {
  /** The SQS event source mapping. */
  public readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: QueueConsumerFunctionProps) {
    const problems = checkConsumerProps(props);
    if (problems.length > 0) {
      throw new InvalidPropsError(`QueueConsumerFunction ${scope.node.path}/${id}`, problems);
    }

    super(scope, id, props);

    this.eventSource = new SqsEventSource(props.queue, {
      batchSize: props.batchSize ?? 10,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.addEventSource(this.eventSource);
    // The event source grants kms:Decrypt on the queue's key without kms:ViaService: bound it to our services.
    if (props.queue.encryptionMasterKey) denyKeyOutsideServices(this, props.queue.encryptionMasterKey);
  }
}

function checkConsumerProps(props: QueueConsumerFunctionProps): string[] {
  const problems: string[] = [];
  const timeout = props.timeout ?? Duration.seconds(30);
  const batchSize = props.batchSize ?? 10;
  const windowSeconds = props.maxBatchingWindow?.toSeconds() ?? 0;

  const visibility = ownVisibilityTimeoutSeconds(props.queue);
  const needed = visibilityTimeoutFor(timeout).toSeconds();
  if (visibility !== undefined && visibility < needed) {
    problems.push(
      `the queue's visibility timeout (${visibility} s) must be at least ${VISIBILITY_TIMEOUT_FACTOR} x the function timeout (${needed} s)`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    problems.push(`batchSize must be an integer from 1 to 10000, got ${batchSize}`);
  } else if (batchSize > 10 && windowSeconds === 0) {
    problems.push(`batchSize ${batchSize} (over 10) needs a maxBatchingWindow of at least 1 s`);
  }
  if (windowSeconds > 300) {
    problems.push(`maxBatchingWindow must be at most 300 s, got ${windowSeconds} s`);
  }
  const mc = props.maxConcurrency;
  if (mc !== undefined && (!Number.isInteger(mc) || mc < 2 || mc > 1000)) {
    problems.push(`maxConcurrency must be an integer from 2 to 1000, got ${mc}`);
  }
  return problems;
}

/** The visibility timeout of a queue defined in this app, when it is known at synth time. */
function ownVisibilityTimeoutSeconds(queue: IQueue): number | undefined {
  if (!(queue instanceof Queue)) return undefined;
  const cfn = queue.node.defaultChild as CfnQueue;
  const value = cfn.visibilityTimeout;
  if (value === undefined) return 30; // the SQS default
  return Token.isUnresolved(value) ? undefined : value;
}
