import { Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import { InvalidPropsError } from '../errors';
import type { FunctionLogging } from './house-function';
import { viaService } from './data-key-use';
import { bindTable, TableAccess } from './bind-table';
import type { QueueConsumerFunction } from './queue-consumer-function';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, environmentOf, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import type { ERASURE_DRAIN_REQUEST_ENV } from '../../lambdas/directory/erasure-drain-env';
import { ERASURE_DRAIN_ENV } from '../../lambdas/directory/erasure-drain/env';

/** Where the erasure drain's handler lives, relative to the repository root. */
export const ERASURE_DRAIN_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'directory', 'erasure-drain', 'handler.ts');

/** One pass (every evidence queue, every object of the import bucket) runs at most this long. */
export const ERASURE_DRAIN_TIMEOUT = Duration.minutes(15);

/** A queue whose messages may name a customer and end in an evidence queue (its DLQ, its quarantine), with its consumer. */
export interface ErasureSource {
  readonly queue: Queue;
  /** Its consumer: a message received just before it expires may be quarantined up to the consumer's timeout later. */
  readonly consumer: { readonly timeout?: Duration };
}

/** Lambda's timeout when a function sets none. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

/** SQS's retention of a queue that sets none (MessageRetentionPeriod's default): 4 days. */
export const SQS_DEFAULT_RETENTION = Duration.days(4);

/**
 * How late a message naming the customer may enter a source queue after the erasure, or wait
 * there beyond the retention: a purchase or directory event up to 24 hours ahead of our clock
 * is deferred by re-sending it (its retention starts again), and SES may send an event about a
 * mail sent just before the erasure hours later (a soft bounce's retries).
 */
export const ERASURE_LATE_ARRIVAL = Duration.hours(24);

/**
 * The follow-up horizon (docs/data-model.md, "The erasure drain"): how long after the first pass
 * a message naming an erased customer can still reach an evidence queue. A message on a source
 * queue leaves it within the queue's retention, by a receive (processed, quarantined, or moved to
 * the DLQ after `maxReceiveCount` receives) or by expiring, and a consumer that received it ends
 * within its timeout; the redrive's receive count gives no tighter bound (receives can be as far
 * apart as a throttled consumer makes them). So: the longest retention plus timeout of the
 * sources, plus {@link ERASURE_LATE_ARRIVAL}.
 *
 * @example
 * erasureFollowUpHorizon([{ queue: purchaseQueue, consumer: notifyFunction }]) // 4 days' retention + 30 s + 24 h: 5 days 30 s
 */
export function erasureFollowUpHorizon(sources: readonly ErasureSource[]): Duration {
  const seconds = sources.map(({ queue, consumer }) => {
    const retention = (queue.node.defaultChild as CfnQueue).messageRetentionPeriod ?? SQS_DEFAULT_RETENTION.toSeconds();
    return retention + (consumer.timeout ?? LAMBDA_DEFAULT_TIMEOUT).toSeconds();
  });
  return Duration.seconds(Math.max(0, ...seconds) + ERASURE_LATE_ARRIVAL.toSeconds());
}

export interface ErasureDrainProps extends FunctionLogging {
  /** Customer managed key of the drain's own queues (the stack's data key). */
  readonly encryptionKey: IKey;
  /** The queues that keep bodies as evidence (DLQs, quarantines), each with its own key. */
  readonly evidenceQueues: readonly Queue[];
  /** The import bucket, and the prefixes of what it keeps (uploads and reports). */
  readonly importBucket: Bucket;
  readonly objectPrefixes: readonly string[];
  /**
   * The imports of the bucket's uploads: those of `objectPrefixes` an import reads, and its
   * progress table. The drain deletes such an upload only once the progress of its version says
   * its import is over (docs/data-model.md, "Erasure"); it only reads the table (`GetItem`).
   */
  readonly imports: { readonly prefixes: readonly string[]; readonly progressTable: ITable };
  /** The queues whose DLQs and quarantines these are: the follow-up passes last as long as {@link erasureFollowUpHorizon} of them. */
  readonly sources: readonly ErasureSource[];
  /**
   * The handler module.
   *
   * @default ERASURE_DRAIN_ENTRY (lambdas/directory/erasure-drain/handler.ts)
   */
  readonly entry?: string;
}

/**
 * Erasure reaches the evidence stores (docs/data-model.md, "Erasure"): a function that applies
 * an erasure sends one request per erased customer ({@link grantRequestDrain}); the drain
 * function reads every evidence queue whole and deletes the messages that name the customer
 * (every other one shown again at once), then reads the import bucket and deletes the objects
 * that name them; then it sends the request again to its own queue for a follow-up pass, until
 * {@link erasureFollowUpHorizon} of the `sources` has passed.
 *
 * - queue, DLQ, quarantine: a {@link QueueConsumerPipeline} (batch 1: a request is a pass; the
 *   requests carry a customer id and hashes, never an address);
 * - function: reserved concurrency 1 (two passes at once would each hide messages from the
 *   other), 15 minutes; grants: receive, delete, change visibility and read the attributes of
 *   the evidence queues (their keys' Decrypt through SQS), list the bucket, get and delete its
 *   objects under the prefixes (the key's Decrypt through S3), send to its own queue (the
 *   follow-ups), `GetItem` on the import progress table (an upload's import is over) and the
 *   key's Decrypt through DynamoDB. Nothing else: no other table, no write to that one.
 */
export class ErasureDrain extends Construct {
  /** Drain requests, from the directory and import functions. */
  public readonly queue: Queue;
  /** Requests whose pass failed 5 times. */
  public readonly deadLetterQueue: Queue;
  /** The drain function. */
  public readonly drainFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof ERASURE_DRAIN_ENV>>;
  readonly #pipeline: QueueConsumerPipeline;

  constructor(scope: Construct, id: string, props: ErasureDrainProps) {
    const problems = [
      ...(props.evidenceQueues.length === 0 ? ['evidenceQueues: give at least one queue'] : []),
      ...(props.objectPrefixes.length === 0 ? ['objectPrefixes: give at least one prefix'] : []),
      ...(props.sources.length === 0 ? ['sources: give at least one source queue'] : []),
      ...props.sources.filter((s) => Token.isUnresolved((s.queue.node.defaultChild as CfnQueue).messageRetentionPeriod)).map((s) => `sources: ${s.queue.node.path} needs a retention known at synthesis`),
      ...props.objectPrefixes.filter((p) => !/^[a-z0-9][a-z0-9-]*\/$/.test(p)).map((p) => `objectPrefixes: "${p}" must be lower-case letters, digits and - ending in /`),
      ...props.imports.prefixes.filter((p) => !props.objectPrefixes.includes(p)).map((p) => `imports.prefixes: "${p}" must be one of objectPrefixes`),
    ];
    if (problems.length > 0) throw new InvalidPropsError(`ErasureDrain ${scope.node.path}/${id}`, problems);
    super(scope, id);

    this.#pipeline = new QueueConsumerPipeline(this, 'Pipeline', {
      entry: props.entry ?? ERASURE_DRAIN_ENTRY,
      description: 'Deletes what names an erased customer from the DLQs, the quarantines and the import bucket.',
      encryptionKey: props.encryptionKey,
      timeout: ERASURE_DRAIN_TIMEOUT,
      batchSize: 1,
      reservedConcurrentExecutions: 1,
      // A customer id and up to 100 hashes: anything larger is not ours.
      maxMessageSizeBytes: 16 * 1024,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(ERASURE_DRAIN_ENV, {
        EVIDENCE_QUEUE_URLS: Fn.join(',', props.evidenceQueues.map((q) => q.queueUrl)),
        IMPORT_BUCKET: props.importBucket.bucketName,
        EVIDENCE_OBJECT_PREFIXES: props.objectPrefixes.join(','),
        IMPORTED_OBJECT_PREFIXES: props.imports.prefixes.join(','),
        // Past the timeout: what a pass that died holds shows again by itself.
        EVIDENCE_HOLD_SECONDS: String(ERASURE_DRAIN_TIMEOUT.toSeconds() + 60),
        ERASURE_FOLLOW_UP_HORIZON_SECONDS: String(erasureFollowUpHorizon(props.sources).toSeconds()),
      }),
      ids: { queue: 'DrainQueue', function: 'DrainFunction' },
    });
    this.queue = this.#pipeline.queue;
    this.deadLetterQueue = this.#pipeline.deadLetterQueue;
    this.drainFunction = declareEnvironment(this.#pipeline.consumerFunction, ERASURE_DRAIN_ENV);
    const fn = this.drainFunction;
    // The follow-up passes: the drain sends its request again to its own queue.
    setEnvironment(fn, { ERASURE_DRAIN_QUEUE_URL: this.queue.queueUrl });
    this.#pipeline.grantSendMessages(fn);
    // Whether an upload's import is over, before it is deleted: read, never written.
    bindTable({ table: props.imports.progressTable, fn, envName: 'IMPORT_PROGRESS_TABLE', access: TableAccess.READ_ITEMS });

    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: props.evidenceQueues.map((q) => q.queueArn),
      }),
    );
    const keys = [...new Set(props.evidenceQueues.flatMap((q) => (q.encryptionMasterKey ? [q.encryptionMasterKey.keyArn] : [])))];
    if (keys.length > 0) fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: keys, conditions: viaService(fn, 'sqs') }));

    const bucket = props.importBucket;
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': props.objectPrefixes.map((p) => `${p}*`) } } }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: props.objectPrefixes.map((p) => bucket.arnForObjects(`${p}*`)) }));
    if (bucket.encryptionKey) fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: [bucket.encryptionKey.keyArn], conditions: viaService(fn, 's3') }));
    const bucketArn = `<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>`;
    Validations.of(fn.role!).acknowledge(
      ...props.objectPrefixes.map((p) => ({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${p}*]`,
        reason: 'S3 object ARNs need a key wildcard: the drain reads and deletes only what is kept under the import prefixes.',
      })),
    );
  }

  /**
   * Lets a function that applies erasures ask for the drain (`sqs:SendMessage` on the drain
   * queue and the key use) and tells it the queue (`ERASURE_DRAIN_QUEUE_URL`).
   *
   * @example
   * erasureDrain.grantRequestDrain(stack.directory.directoryFunction);
   */
  public grantRequestDrain(fn: DeclaredFunction<EnvName<typeof ERASURE_DRAIN_REQUEST_ENV>>): void {
    setEnvironment(fn, { ERASURE_DRAIN_QUEUE_URL: this.queue.queueUrl });
    this.#pipeline.grantSendMessages(fn);
  }
}
