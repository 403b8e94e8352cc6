import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import path from 'node:path';
import type { FunctionLogging } from './house-function';
import { bindTable, bindTableIndexes, TableAccess } from './bind-table';
import { TABLE_INDEXES, type DataTables } from './data-tables';
import type { QueueConsumerFunction, BatchTuning } from './queue-consumer-function';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import type { DIRECTORY_APPLY_ENV } from '../../lambdas/directory/directory-apply-env';
import { DIRECTORY_ENV } from '../../lambdas/directory/feed/env';

/** Where the directory handler lives, relative to the repository root. */
export const DIRECTORY_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'directory', 'feed', 'handler.ts');

/** Timeout of one directory invocation (an items event of 100 items is ~300 requests). */
export const DIRECTORY_TIMEOUT = Duration.seconds(60);

export interface DirectoryFeedProps extends FunctionLogging, Pick<BatchTuning, 'batchSize' | 'maxConcurrency'> {
  /** The service's tables: the directory writes registries, customers and the history, and erases from the ledger. */
  readonly tables: DataTables;
  /** Customer managed key that encrypts the three queues. */
  readonly encryptionKey: IKey;
  /**
   * The handler module.
   *
   * @default DIRECTORY_ENTRY (lambdas/directory/feed/handler.ts)
   */
  readonly entry?: string;
}

/**
 * The shop's directory feed (docs/directory-events.md): directory queue → directory function →
 * registries, customers and their history; a {@link QueueConsumerPipeline}, so the queue is
 * KMS-encrypted and TLS only, poison messages land in the DLQ after 5 receives and invalid ones
 * in the quarantine with their reason. The function may do exactly what applying needs
 * ({@link grantDirectoryApply}) and put an event back on its queue (an `effectiveAt` ahead of
 * our clock waits there).
 */
export class DirectoryFeed extends QueueConsumerPipeline {
  /** Where the shop sends directory events (contract v1). */
  public readonly directoryQueue: Queue;
  /** The directory function. */
  public readonly directoryFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof DIRECTORY_ENV>>;

  constructor(scope: Construct, id: string, props: DirectoryFeedProps) {
    super(scope, id, {
      entry: props.entry ?? DIRECTORY_ENTRY,
      description: 'Applies the shop\u2019s directory events: registries, items and customers, with what was true when.',
      encryptionKey: props.encryptionKey,
      timeout: DIRECTORY_TIMEOUT,
      batchSize: props.batchSize,
      maxConcurrency: props.maxConcurrency,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      ids: { queue: 'DirectoryQueue', function: 'DirectoryFunction' },
    });
    this.directoryQueue = this.queue;
    this.directoryFunction = declareEnvironment(this.consumerFunction, DIRECTORY_ENV);
    grantDirectoryApply(this.directoryFunction, props.tables);
    setEnvironment(this.directoryFunction, { DIRECTORY_QUEUE_URL: this.directoryQueue.queueUrl });
    this.grantSendMessages(this.directoryFunction);
  }

  /** Lets the shop's systems send directory events: `sqs:SendMessage` on the directory queue and the key use for it. */
  public grantSendDirectoryEvents(grantee: IGrantable): Grant {
    return this.grantSendMessages(grantee);
  }
}

/**
 * What applying directory events needs (`lambdas/directory/apply-deps-wiring.ts`), and no more: queries,
 * conditional puts and the erasure's updates of the history (no deletes), conditional puts and
 * deletes of registries, conditional puts of customers (no reads: every write is conditional on the fact order), and for erasures the
 * ledger's `byAddress` index and updates of its rows (never a put or a delete). Injects the
 * tables' names (`DIRECTORY_APPLY_ENV`, lambdas/directory/directory-apply-env.ts).
 *
 * @example
 * grantDirectoryApply(importFunction, tables);
 */
export function grantDirectoryApply(fn: DeclaredFunction<EnvName<typeof DIRECTORY_APPLY_ENV>>, tables: DataTables): void {
  bindTable({ table: tables.directoryHistory, fn, envName: 'DIRECTORY_HISTORY_TABLE', access: TableAccess.QUERY });
  // Facts are put, and updated only to scrub an erased customer's address: never deleted (lambdas/directory/tables/directory-store.ts).
  bindTable({ table: tables.directoryHistory, fn, envName: 'DIRECTORY_HISTORY_TABLE', access: TableAccess.PUT_AND_UPDATE_ITEMS });
  // A registry's item leaves it by a delete; customers' rows are only ever put (erasure puts the erased row).
  bindTable({ table: tables.registries, fn, envName: 'REGISTRIES_TABLE', access: TableAccess.PUT_AND_DELETE_ITEMS });
  bindTable({ table: tables.customers, fn, envName: 'CUSTOMERS_TABLE', access: TableAccess.PUT_ITEMS });
  bindTableIndexes({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', indexes: [TABLE_INDEXES.ledgerByAddress] });
  bindTable({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.UPDATE_ITEMS });
  // An erasure takes the customer's addresses off SES's account suppression list, which holds them in the clear.
  fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:DeleteSuppressedDestination'], resources: ['*'] }));
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ses:DeleteSuppressedDestination acts on the account-level suppression list and supports no resource-level permissions.',
  });
}
