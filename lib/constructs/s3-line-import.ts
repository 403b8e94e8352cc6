import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import { InvalidPropsError } from '../errors';
import type { FunctionLogging } from './house-function';
import { bindTable, TableAccess } from './bind-table';
import { viaService } from './data-key-use';
import { serviceTable } from './data-tables';
import type { QueueConsumerFunction } from './queue-consumer-function';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { IMPORT_ENV } from '../../lambdas/imports/s3-import/env';

/** Where the import handler lives, relative to the repository root. */
export const IMPORT_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'imports', 's3-import', 'handler.ts');

/** One invocation handles one chunk of an import, until 30 s before this. */
export const IMPORT_TIMEOUT = Duration.minutes(5);

/** The construct id of CDK's singleton `Custom::S3BucketNotifications` provider, at the stack's root. */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** Where the import writes its reports in the bucket (never imported: no notification). */
export const IMPORT_REPORT_PREFIX = 'reports/';

export interface S3LineImportProps extends FunctionLogging {
  /** Customer managed key of the bucket, the queues and the progress table. */
  readonly encryptionKey: IKey;
  /**
   * Key prefixes that are imported, each one a route of the handler (`lambdas/imports/s3-import/routes.ts`),
   * e.g. `directory/`. The bucket notifies the import queue of new objects under these only.
   */
  readonly prefixes: readonly string[];
  /**
   * Days an uploaded object (and its report) is kept: imports hold personal data.
   *
   * @default 30
   */
  readonly objectRetentionDays?: number;
  /**
   * What happens to the bucket and the progress table when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The handler module.
   *
   * @default IMPORT_ENTRY (lambdas/imports/s3-import/handler.ts)
   */
  readonly entry?: string;
}

/**
 * Large JSON Lines files imported from S3 (docs/directory-events.md, "Backfill"), for any kind
 * of file the handler has a route for: upload to `s3://<bucket>/<prefix><name>` → S3 event
 * notification → import queue → import function, one chunk per invocation (progress in the
 * progress table, continuations on the same queue) → `reports/<key>.report.json`.
 *
 * - bucket: KMS (the data key, S3 Bucket Key on), public access blocked, TLS only, objects
 *   expire after `objectRetentionDays`, server access logs to a log bucket;
 * - queue, DLQ, quarantine: a {@link QueueConsumerPipeline} (batch 1: a message is a chunk) under
 *   a key of their own (S3 may use it for this bucket);
 * - function: reads objects, writes reports under `reports/`, its progress items, its queue.
 *   Grant the routes' own needs on `importFunction` (e.g. `grantDirectoryApply`).
 */
export class S3LineImport extends Construct {
  /** Where large files are uploaded, under one of the prefixes. */
  public readonly bucket: Bucket;
  /** Where each import stands (one item per object version). */
  public readonly progressTable: Table;
  /** The import function. */
  public readonly importFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof IMPORT_ENV>>;
  /** The import queue: S3's notifications and the function's continuations. */
  public readonly importQueue: Queue;
  /** Import messages that failed 5 times. */
  public readonly deadLetterQueue: Queue;
  /** Invalid import messages with their reason. */
  public readonly quarantineQueue: Queue;

  constructor(scope: Construct, id: string, props: S3LineImportProps) {
    const problems = importProblems(props);
    if (problems.length > 0) throw new InvalidPropsError(`S3LineImport ${scope.node.path}/${id}`, problems);
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // The queues' own key: S3 must be allowed to use it for this bucket, and the bucket uses the
    // data key, so one key for both would depend on itself. The queues hold object keys and
    // offsets, no personal data.
    const queueKey = new Key(this, 'QueueKey', {
      description: 'registry-notices: encrypts the import queues (S3 notifications, continuations)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const pipeline = new QueueConsumerPipeline(this, 'Pipeline', {
      entry: props.entry ?? IMPORT_ENTRY,
      description: 'Imports JSON Lines files uploaded to the import bucket, chunk by chunk, by key prefix.',
      encryptionKey: queueKey,
      timeout: IMPORT_TIMEOUT,
      batchSize: 1,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy,
      ids: { queue: 'ImportQueue', function: 'ImportFunction' },
    });
    this.importQueue = pipeline.queue;
    this.deadLetterQueue = pipeline.deadLetterQueue;
    this.quarantineQueue = pipeline.quarantineQueue;
    this.importFunction = declareEnvironment(pipeline.consumerFunction, IMPORT_ENV);

    const logBucket = new Bucket(this, 'AccessLogs', {
      // Server access logs cannot be delivered to a KMS-encrypted bucket.
      encryption: BucketEncryption.S3_MANAGED,
      // No ACLs: S3 is let in to write the logs by a bucket policy.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });

    // CDK's provider of the bucket's notification configuration (a Python function it runs at
    // deploy time) gets a role of ours instead of one with the managed logging policy, and a log
    // group of its own, as every function of ours has.
    const providerLogs = new LogGroup(this, 'NotificationsHandlerLogs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS, removalPolicy });
    const providerRole = new Role(this, 'NotificationsHandlerRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Execution role of CDK's bucket notifications handler (deploy time only)",
    });
    providerLogs.grantWrite(providerRole);

    this.bucket = new Bucket(this, 'Bucket', {
      // Immutable to CDK: it would attach AWSLambdaBasicExecutionRole (every log group); the grants are ours, below.
      notificationsHandlerRole: providerRole.withoutPolicyUpdates(),
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logBucket,
      lifecycleRules: [{ expiration: Duration.days(props.objectRetentionDays ?? 30) }],
      removalPolicy,
    });
    for (const prefix of props.prefixes) {
      this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.importQueue), { prefix });
    }
    const provider = Stack.of(this).node.tryFindChild(NOTIFICATIONS_HANDLER_ID)?.node.tryFindChild('Resource');
    if (provider instanceof CfnResource) provider.addPropertyOverride('LoggingConfig', { LogGroup: providerLogs.logGroupName });
    providerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutBucketNotification'], resources: [this.bucket.bucketArn] }));
    // The configuration is put only once the provider may do it.
    this.bucket.node.tryFindChild('Notifications')?.node.addDependency(providerRole);

    this.progressTable = serviceTable(this, 'ProgressTable', {
      partitionKey: 'importId',
      timeToLiveAttribute: 'expiresAt',
      encryptionKey: props.encryptionKey,
      removalPolicy,
    });

    const fn = this.importFunction;
    // Started, advanced, read back; never deleted (it expires by TTL).
    bindTable({ table: this.progressTable, fn, envName: 'IMPORT_PROGRESS_TABLE', access: TableAccess.READ_PUT_AND_UPDATE_ITEMS });
    setEnvironment(fn, { IMPORT_QUEUE_URL: this.importQueue.queueUrl });
    pipeline.grantSendMessages(fn);
    // Exact actions: read what was uploaded, write reports only under reports/.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${IMPORT_REPORT_PREFIX}*`)] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.encryptionKey.keyArn], conditions: viaService(fn, 's3') }));
    const bucketArn = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
    const objectsWildcard = 'S3 object ARNs need a key wildcard: GetObject on every uploaded object of this bucket, PutObject only under reports/.';
    Validations.of(fn.role!).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::${bucketArn}/*]`, reason: objectsWildcard },
      { id: `AwsSolutions-IAM5[Resource::${bucketArn}/${IMPORT_REPORT_PREFIX}*]`, reason: objectsWildcard },
    );
  }
}

function importProblems(props: S3LineImportProps): string[] {
  const problems: string[] = [];
  if (props.prefixes.length === 0) problems.push('prefixes: give at least one key prefix to import');
  for (const prefix of props.prefixes) {
    if (!/^[a-z0-9][a-z0-9-]*\/$/.test(prefix)) problems.push(`prefixes: "${prefix}" must be lower-case letters, digits and - ending in /`);
    if (prefix === IMPORT_REPORT_PREFIX) problems.push(`prefixes: "${IMPORT_REPORT_PREFIX}" holds the reports`);
  }
  const days = props.objectRetentionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) problems.push(`objectRetentionDays must be a positive integer, got ${days}`);
  return problems;
}
