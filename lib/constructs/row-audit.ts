import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import { AuditMetric } from '../../lambdas/platform/metric-names';
import { PENDING_STATES } from '../../lambdas/notices/ledger-table/audit-shards';
import { InvalidPropsError } from '../errors';
import type { FunctionLogging } from './house-function';
import { bindTable, bindTableIndexes, TableAccess } from './bind-table';
import { TABLE_INDEXES, type DataTables } from './data-tables';
import { serviceMetric, type NoticesAlarms } from './notices-alarms';
import type { QueueConsumerFunction } from './queue-consumer-function';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, environmentOf, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import type { AUDIT_QUEUE_ENV, ROW_AUDIT_DEPS_ENV } from '../../lambdas/audit/audit-env';
import { ROW_AUDIT_ENV } from '../../lambdas/audit/row-audit/env';

/** Where the row-audit worker's handler lives, relative to the repository root. */
export const ROW_AUDIT_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'audit', 'row-audit', 'handler.ts');

/** One pass over one shard runs at most this long (the schedule's next tick sends the shard again). */
export const ROW_AUDIT_TIMEOUT = Duration.minutes(5);


export interface RowAuditProps extends FunctionLogging {
  /** The ledger (read its pending index, mark rows) and the directories the rows are judged by. */
  readonly tables: DataTables;
  /** The audit table: incidents (rows are attached to them), duplicate markers, the shard leases. */
  readonly auditTable: ITable;
  /** Customer managed key of the queues (the stack's data key). */
  readonly encryptionKey: IKey;
  /** Where the worker's alarms go. */
  readonly alarms: NoticesAlarms;
  /** Days a ledger row lives; duplicate markers in the audit table live as long. */
  readonly ledgerRetentionDays: number;
  /**
   * Addresses one worker judges side by side (`ROW_AUDIT_CONCURRENCY`).
   *
   * @default 8
   */
  readonly concurrencyPerWorker?: number;
  /**
   * The handler module.
   *
   * @default ROW_AUDIT_ENTRY (lambdas/audit/row-audit/handler.ts)
   */
  readonly entry?: string;
}

/**
 * The audit of new ledger rows, fanned out (docs/audit-and-apology.md, "Keeping pace"): the
 * scheduled run puts one message per shard on the audit queue ({@link grantDispatch}), and an
 * SQS-triggered worker audits each shard, one worker per shard at a time (a lease), all shards
 * side by side: as many workers as shards, so the audit scales with notify instead of being one
 * loop under one lease.
 *
 * - queue, DLQ, quarantine and worker: a {@link QueueConsumerPipeline} (batch of 1: a message is
 *   a shard's pass; maximum concurrency = the number of shards; partial batch responses);
 * - the worker's grants: the ledger's pending index (`byAuditState`) and its marks
 *   (`GetItem`, `UpdateItem`: never `PutItem` or `DeleteItem`), point reads of registries and
 *   customers, `byOwner` and `byEmailHash` (those indexes only), the directory history's
 *   timelines and indexes, the audit table's items and queries; no mail, no suppressions;
 * - alarms: shard messages dead-lettered, and pending rows waiting too long (the backlog).
 */
export class RowAudit extends Construct {
  /** Shard messages, from the scheduled run. */
  public readonly queue: Queue;
  /** Shard messages that failed 5 times. */
  public readonly deadLetterQueue: Queue;
  /** The row-audit worker. */
  public readonly workerFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof ROW_AUDIT_ENV>>;
  /** Shard messages were dead-lettered: a shard keeps failing. */
  public readonly deadLetters: Alarm;
  /** The oldest row waiting for the audit is more than 30 minutes old: the audit does not keep up. */
  public readonly backlogAge: Alarm;
  readonly #pipeline: QueueConsumerPipeline;

  constructor(scope: Construct, id: string, props: RowAuditProps) {
    super(scope, id);
    const perWorker = props.concurrencyPerWorker;
    if (perWorker !== undefined && (!Number.isInteger(perWorker) || perWorker < 1 || perWorker > 100)) {
      throw new InvalidPropsError(`RowAudit ${this.node.path}`, [`concurrencyPerWorker must be an integer from 1 to 100, got ${perWorker}`]);
    }

    this.#pipeline = new QueueConsumerPipeline(this, 'Pipeline', {
      entry: props.entry ?? ROW_AUDIT_ENTRY,
      description: 'Audits the new ledger rows of one shard per message, by the facts of their moment.',
      encryptionKey: props.encryptionKey,
      timeout: ROW_AUDIT_TIMEOUT,
      batchSize: 1,
      maxConcurrency: PENDING_STATES.length,
      // Shard messages are tiny: anything larger is not ours.
      maxMessageSizeBytes: 1024,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(ROW_AUDIT_ENV, {
        // Longer than the timeout: a live worker's shard lease is never taken over.
        AUDIT_LEASE_SECONDS: String(ROW_AUDIT_TIMEOUT.toSeconds() + 60),
        AUDIT_SAFETY_MARGIN_SECONDS: '20',
        ROW_AUDIT_CONCURRENCY: String(perWorker ?? 8),
        LEDGER_RETENTION_DAYS: String(props.ledgerRetentionDays),
      }),
      ids: { queue: 'AuditQueue', function: 'WorkerFunction' },
    });
    this.queue = this.#pipeline.queue;
    this.deadLetterQueue = this.#pipeline.deadLetterQueue;
    this.workerFunction = declareEnvironment(this.#pipeline.consumerFunction, ROW_AUDIT_ENV);
    bindRowAudit(this.workerFunction, props.tables, props.auditTable);

    this.deadLetters = props.alarms.addQueueNotEmptyAlarm('AuditShardDeadLetters', this.deadLetterQueue, 'Audit shard messages failed 5 times and sit in the audit DLQ: new rows of a shard are not being audited. Check the row-audit worker log.');
    this.backlogAge = props.alarms.addAlarm('AuditBacklogAge', {
      description:
        'The oldest ledger row waiting for the audit is over 30 minutes old (the settle time is 5): the row audit does not keep up, or its workers fail.',
      metric: serviceMetric(AuditMetric.PENDING_ROW_AGE, Duration.minutes(5)).with({ statistic: 'Maximum' }),
      threshold: Duration.minutes(30).toSeconds(),
    });
  }

  /**
   * Lets a function put shard messages on the audit queue (`sqs:SendMessage` and the key use),
   * and tells it the queue (`AUDIT_QUEUE_URL`): its audit runs then fan the new rows out.
   *
   * @example
   * rowAudit.grantDispatch(stack.audit.auditFunction);
   */
  public grantDispatch(fn: DeclaredFunction<EnvName<typeof AUDIT_QUEUE_ENV>>): void {
    setEnvironment(fn, { AUDIT_QUEUE_URL: this.queue.queueUrl });
    this.#pipeline.grantSendMessages(fn);
  }
}

/**
 * What auditing ledger rows sends, and nothing more (lambdas/audit/audit-deps-from-env.ts
 * `auditDepsFromEnv` wires exactly these tables): the ledger's pending index (`byAuditState`)
 * and its marks, point reads of registries (a registry and its item in one BatchGetItem) and customers and their `byOwner` / `byEmailHash`
 * indexes, the directory history's timelines and its `byOwner` / `byEmailHash` indexes, the
 * audit table's items (incident rows, duplicate markers, leases) and queries (incidents).
 *
 * @example
 * bindRowAudit(worker, stack.tables, stack.audit.auditTable);
 */
export function bindRowAudit(fn: DeclaredFunction<EnvName<typeof ROW_AUDIT_DEPS_ENV>>, tables: DataTables, auditTable: ITable): void {
  // The registry and its item in one BatchGetItem (the directory adapter notify uses too).
  bindTable({ table: tables.registries, fn, envName: 'REGISTRIES_TABLE', access: TableAccess.BATCH_GET_ITEMS });
  // "Does this customer own any registry?": Query on the sparse byOwner index, never on the table.
  bindTableIndexes({ table: tables.registries, fn, envName: 'REGISTRIES_TABLE', indexes: [TABLE_INDEXES.registriesByOwner] });
  bindTable({ table: tables.customers, fn, envName: 'CUSTOMERS_TABLE', access: TableAccess.READ_ITEMS });
  bindTableIndexes({ table: tables.customers, fn, envName: 'CUSTOMERS_TABLE', indexes: [TABLE_INDEXES.customersByEmailHash] });
  bindTableIndexes({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', indexes: [TABLE_INDEXES.ledgerByAuditState] });
  // Never PutItem or DeleteItem: the audit must not be able to rewrite or erase the trail it audits.
  bindTable({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.READ_AND_UPDATE_ITEMS });
  // What was true when a notice went out: timelines, and who had an address / owned a registry then.
  bindTable({
    table: tables.directoryHistory,
    fn,
    envName: 'DIRECTORY_HISTORY_TABLE',
    access: TableAccess.QUERY,
    indexes: [TABLE_INDEXES.historyByOwner, TABLE_INDEXES.historyByEmailHash],
  });
  bindTable({ table: auditTable, fn, envName: 'AUDIT_TABLE', access: TableAccess.ITEM_READ_WRITE });
  // Incidents are read by partition (Query on the table; it has no index).
  bindTable({ table: auditTable, fn, envName: 'AUDIT_TABLE', access: TableAccess.READ_AND_QUERY });
}
