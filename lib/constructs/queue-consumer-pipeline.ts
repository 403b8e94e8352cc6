import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { viaService } from './data-key-use';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambdas/platform/sqs-limits';
import type { FunctionLogging } from './house-function';
import { InvalidPropsError } from '../errors';
import { QueueConsumerFunction, visibilityTimeoutFor, type BatchTuning } from './queue-consumer-function';
import { environmentOf } from './function-environment';
import { QUARANTINE_ENV } from '../../lambdas/platform/queues/quarantine-env';

/** How long the DLQ and the quarantine keep messages: the SQS maximum. */
export const EVIDENCE_RETENTION = Duration.days(14);

/** Construct ids of the pipeline's parts; set them to keep an existing stack's logical ids. */
export interface QueueConsumerPipelineIds {
  /** @default 'Queue' */
  readonly queue?: string;
  /** @default 'DeadLetterQueue' */
  readonly deadLetterQueue?: string;
  /** @default 'QuarantineQueue' */
  readonly quarantineQueue?: string;
  /** @default 'Function' (its role and log group are `<id>Role`, `<id>LogGroup`) */
  readonly function?: string;
}

export interface QueueConsumerPipelineProps extends FunctionLogging, BatchTuning {
  /** Path of the handler's TypeScript module (Middy + `sqsRecordValidationMiddleware`). */
  readonly entry: string;
  /** Customer managed key that encrypts the queues. */
  readonly encryptionKey: IKey;
  /**
   * One sentence on what the function is for.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * Timeout of one invocation; the queue's visibility timeout is six times this.
   *
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the function in MB.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Concurrency reserved for (and capping) the function.
   *
   * @default - none: the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Receives before SQS moves a message to the DLQ (1-1000).
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Largest message the queue (and so its DLQ) accepts, 1024 bytes to 1 MiB. The default takes
   * anything SQS can carry, so a producer's oversized mistake arrives and is quarantined with its
   * reason instead of being refused at `SendMessage`, where nobody on our side sees it.
   *
   * @default SQS_MAX_MESSAGE_BYTES (1 MiB)
   */
  readonly maxMessageSizeBytes?: number;
  /**
   * A quarantine to share with other consumers (the envelope names each message's `source`).
   *
   * @default - a quarantine of its own, KMS-encrypted, TLS only, 14 days
   */
  readonly quarantineQueue?: Queue;
  /**
   * Environment of the function, beside `QUARANTINE_QUEUE_URL` and the house variables.
   *
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * What happens to the queues when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN - queued messages are data; deleting the stack must not drop them
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Construct ids of the parts.
   *
   * @default - 'Queue', 'DeadLetterQueue', 'QuarantineQueue', 'Function'
   */
  readonly ids?: QueueConsumerPipelineIds;
}

/**
 * An SQS-fed function with its DLQ and its quarantine, as every queue consumer of ours has it:
 *
 * - queue: KMS-encrypted (data key reused 5 minutes), TLS only, visibility 6 x the function
 *   timeout, redrive to the DLQ after `maxReceiveCount` receives, `maxMessageSizeBytes` 1 MiB;
 * - DLQ and quarantine: KMS-encrypted, TLS only, 14 days;
 * - function: a {@link QueueConsumerFunction} (partial batch responses), told its quarantine in
 *   `QUARANTINE_QUEUE_URL` and allowed exactly `sqs:SendMessage` on it (and the key use).
 *
 * Grant the rest (tables, mail) on `consumerFunction`; let producers in with `grantSendMessages`.
 *
 * @example
 * const feed = new QueueConsumerPipeline(this, 'DirectoryFeed', { entry: DIRECTORY_ENTRY, encryptionKey: key });
 * bindTable({ table: tables.registries, fn: feed.consumerFunction, envName: 'REGISTRIES_TABLE', access: TableAccess.ITEM_READ_WRITE });
 */
export class QueueConsumerPipeline extends Construct {
  /** The queue the function consumes. */
  public readonly queue: Queue;
  /** Messages that failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: Queue;
  /** Invalid messages with their reason, put there by the function; never retried. */
  public readonly quarantineQueue: Queue;
  /** The consumer. */
  public readonly consumerFunction: QueueConsumerFunction;

  private readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: QueueConsumerPipelineProps) {
    const problems = propProblems(props);
    if (problems.length > 0) throw new InvalidPropsError(`QueueConsumerPipeline ${scope.node.path}/${id}`, problems);
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    const ids = { queue: 'Queue', deadLetterQueue: 'DeadLetterQueue', quarantineQueue: 'QuarantineQueue', function: 'Function', ...props.ids };
    const timeout = props.timeout ?? Duration.seconds(30);

    const queueBase = {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // Reuse a data key for 5 minutes: fewer KMS calls, same key.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    const maxMessageSizeBytes = props.maxMessageSizeBytes ?? SQS_MAX_MESSAGE_BYTES;

    // The DLQ must take whatever the queue took.
    this.deadLetterQueue = new Queue(this, ids.deadLetterQueue, { ...queueBase, retentionPeriod: EVIDENCE_RETENTION, maxMessageSizeBytes });

    if (props.quarantineQueue) {
      this.quarantineQueue = props.quarantineQueue;
    } else {
      // The adapter fits every envelope into 1 MiB (a truncated body with its size and hash).
      this.quarantineQueue = new Queue(this, ids.quarantineQueue, {
        ...queueBase,
        retentionPeriod: EVIDENCE_RETENTION,
        maxMessageSizeBytes: SQS_MAX_MESSAGE_BYTES,
      });
      Validations.of(this.quarantineQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'The quarantine is a terminal store of invalid messages with their reason, read by operators only; nothing consumes it automatically, so nothing could fail into a DLQ.',
      });
    }

    this.queue = new Queue(this, ids.queue, {
      ...queueBase,
      visibilityTimeout: visibilityTimeoutFor(timeout),
      maxMessageSizeBytes,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.consumerFunction = new QueueConsumerFunction(this, ids.function, {
      entry: props.entry,
      description: props.description,
      timeout,
      memorySize: props.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      queue: this.queue,
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: { ...props.environment, ...environmentOf(QUARANTINE_ENV, { QUARANTINE_QUEUE_URL: this.quarantineQueue.queueUrl }) },
    });
    this.grantSendToQueue(this.consumerFunction, this.quarantineQueue);
  }

  /**
   * Lets a producer (or the function itself, to defer a message) send to the queue:
   * `sqs:SendMessage` on it and the key use SSE-KMS needs for it, nothing more.
   */
  public grantSendMessages(grantee: IGrantable): Grant {
    return this.grantSendToQueue(grantee, this.queue);
  }

  // Exact actions instead of Queue.grantSendMessages, whose key grant carries wildcards
  // (kms:ReEncrypt*, kms:GenerateDataKey*) that SendMessage does not need; the key only through SQS.
  private grantSendToQueue(grantee: IGrantable, queue: Queue): Grant {
    const grant = Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.encryptionKey.keyArn], conditions: viaService(this, 'sqs') }),
    );
    return grant;
  }
}

function propProblems(props: QueueConsumerPipelineProps): string[] {
  const problems: string[] = [];
  const receives = props.maxReceiveCount;
  if (receives !== undefined && (!Number.isInteger(receives) || receives < 1 || receives > 1000)) {
    problems.push(`maxReceiveCount must be an integer from 1 to 1000, got ${receives}`);
  }
  const size = props.maxMessageSizeBytes;
  if (size !== undefined && (!Number.isInteger(size) || size < 1024 || size > SQS_MAX_MESSAGE_BYTES)) {
    problems.push(`maxMessageSizeBytes must be an integer from 1024 to ${SQS_MAX_MESSAGE_BYTES}, got ${size}`);
  }
  return problems;
}
