import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import path from 'node:path';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { InvalidPropsError } from '../errors';
import type { FunctionLogging } from './house-function';
import { bindTable, bindTableIndexes, TableAccess } from './bind-table';
import { TABLE_INDEXES, type DataTables } from './data-tables';
import type { KillSwitch } from './kill-switch';
import type { MailSending } from './mail-sending';
import type { NoticesAlarms } from './notices-alarms';
import type { UnsubscribeEndpoint } from './unsubscribe-endpoint';
import type { QueueConsumerFunction } from './queue-consumer-function';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, environmentOf, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { SENDER_ENV } from '../../lambdas/audit/apology/env';

/** Where the apology sender's handler lives, relative to the repository root. */
export const APOLOGY_SENDER_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'audit', 'apology', 'handler.ts');

/** Timeout of one sender invocation; its queue's visibility timeout is six times this. */
export const APOLOGY_SENDER_TIMEOUT = Duration.seconds(60);

/** Default most concurrent sender invocations (each sends up to a batch in parallel, all on one slot schedule). */
export const APOLOGY_SENDER_DEFAULT_MAX_CONCURRENCY = 10;

/**
 * What apologies are written and sent with, the same for the audit (which plans them and checks
 * the account) and its sender (which sends them): the audit hands these to its sender.
 */
export interface ApologyMailProps {
  /** Customer managed key (the stack's data key): the apology queues and the audit table. */
  readonly encryptionKey: IKey;
  /** Where and how apologies are sent (`grantSend`, `grantReadAccount`). */
  readonly mail: MailSending;
  /** The switch that pauses sending; apologies honour it too. */
  readonly killSwitch: KillSwitch;
  /** Where the alarms go. */
  readonly alarms: NoticesAlarms;
  /** HTTPS help page, the apology's first link (`HELP_URL`). */
  readonly helpUrl: string;
  /** Signs the apology's second link, its one-click unsubscribe from all mail (`grantIssueLinks`). */
  readonly unsubscribe: UnsubscribeEndpoint;
  /** The shop's name as emails sign it (`SHOP_NAME`). */
  readonly shopName: string;
}

export interface ApologySenderProps extends ApologyMailProps, FunctionLogging {
  /** The service's tables: the sender reads the ledger row (the address), customers (`byEmailHash`), suppressions and unsubscribes. */
  readonly tables: DataTables;
  /** The audit table: claims, counters, the slot schedule. */
  readonly auditTable: ITable;
  /** Percent of SES's MaxSendRate apologies may use, all senders together (`APOLOGY_RATE_SHARE_PERCENT`). */
  readonly sendRateSharePercent: number;
  /**
   * Most concurrent sender invocations (`ScalingConfig.MaximumConcurrency`, 2-1000). Not the
   * rate bound (the shared slot schedule is): enough of them to keep the allowed rate busy.
   *
   * @default APOLOGY_SENDER_DEFAULT_MAX_CONCURRENCY (10)
   */
  readonly maxConcurrency?: number;
  /**
   * Records per invocation (`BatchSize`, 1-10), from the rate (lib/apology-sender-sizing.ts:
   * about two seconds of the schedule's slots, so a batch's last record does not wait long).
   *
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Timeout of one invocation; the queue's visibility is six times this, and a claim older
   * than it plus 30 s belongs to an invocation that is over.
   *
   * @default APOLOGY_SENDER_TIMEOUT (60 s)
   */
  readonly timeout?: Duration;
  /**
   * The handler module.
   *
   * @default APOLOGY_SENDER_ENTRY (lambdas/audit/apology/handler.ts)
   */
  readonly entry?: string;
}

/**
 * The apology fan-out: apology queue → SQS-triggered sender → SES, a {@link QueueConsumerPipeline}
 * (queue, DLQ after 5 receives, quarantine) plus what the sender needs, exactly:
 * batched point reads of the ledger, suppressions and unsubscribes (`BatchGetItem`), customers by `byEmailHash`, item
 * reads and writes on the audit table (claims, counters, slot schedule), SES SendEmail through
 * the configuration set and GetAccount, KMS GenerateMac on the unsubscribe link key, the kill
 * switch, and sending to its own queue (a paused or throttled apology is put back with a delay). An alarm watches its DLQ.
 */
export class ApologySender extends QueueConsumerPipeline {
  /** Where the audit puts planned apologies (contract: lambdas/audit/apology-message.ts). */
  public readonly apologyQueue: Queue;
  /** The sender. */
  public readonly senderFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof SENDER_ENV>>;
  /** An apology failed five times for reasons other than SES or the kill switch. */
  public readonly deadLetters: Alarm;

  constructor(scope: Construct, id: string, props: ApologySenderProps) {
    const problems: string[] = [];
    const concurrency = props.maxConcurrency;
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000)) {
      problems.push(`maxConcurrency must be an integer from 2 to 1000, got ${concurrency}`);
    }
    const batchSize = props.batchSize ?? 10;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) problems.push(`batchSize must be an integer from 1 to 10, got ${batchSize}`);
    const timeout = props.timeout ?? APOLOGY_SENDER_TIMEOUT;
    if (timeout.toSeconds() < 10 || timeout.toSeconds() > 900) problems.push(`timeout must be 10-900 seconds, got ${timeout.toSeconds()}`);
    if (problems.length > 0) throw new InvalidPropsError(`ApologySender ${scope.node.path}/${id}`, problems);
    super(scope, id, {
      entry: props.entry ?? APOLOGY_SENDER_ENTRY,
      description: 'Sends one apology per planned recipient: claim, re-check, pace on the shared slot schedule, SES, settle.',
      encryptionKey: props.encryptionKey,
      timeout,
      maxReceiveCount: 5,
      // A valid apology message is about 300 bytes.
      maxMessageSizeBytes: 4 * 1024,
      batchSize,
      maxConcurrency: props.maxConcurrency ?? APOLOGY_SENDER_DEFAULT_MAX_CONCURRENCY,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(SENDER_ENV, {
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        SENDER_ADDRESS: props.mail.senderAddress,
        HELP_URL: props.helpUrl,
        SHOP_NAME: props.shopName,
        KILL_SWITCH_PARAMETER: props.killSwitch.parameterName,
        APOLOGY_RATE_SHARE_PERCENT: String(props.sendRateSharePercent),
        APOLOGY_SENDER_TIMEOUT_SECONDS: String(timeout.toSeconds()),
      }),
      ids: { queue: 'ApologyQueue', function: 'SenderFunction' },
    });
    this.apologyQueue = this.queue;
    this.senderFunction = declareEnvironment(this.consumerFunction, SENDER_ENV);
    const fn = this.senderFunction;

    const { tables } = props;
    // The row, the suppression and the unsubscribe are read again at send time, in one BatchGetItem.
    bindTable({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    bindTable({ table: tables.suppressions, fn, envName: 'SUPPRESSIONS_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    // Nobody who unsubscribed from all mail gets an apology.
    bindTable({ table: tables.unsubscribes, fn, envName: 'UNSUBSCRIBES_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    bindTableIndexes({
      table: tables.customers,
      fn,
      envName: 'CUSTOMERS_TABLE',
      indexes: [TABLE_INDEXES.customersByEmailHash],
    });
    // Claims and the slot schedule are single items; a settle and its counter are one TransactWriteItems of two updates.
    bindTable({ table: props.auditTable, fn, envName: 'AUDIT_TABLE', access: TableAccess.ITEM_READ_WRITE });

    setEnvironment(fn, { APOLOGY_QUEUE_URL: this.apologyQueue.queueUrl });
    this.grantSendMessages(fn);
    props.killSwitch.grantRead(fn);
    props.mail.grantSend(fn);
    props.unsubscribe.grantIssueLinks(fn);
    // The account's MaxSendRate, Max24HourSend and SentLast24Hours, read at run time.
    props.mail.grantReadAccount(fn);

    this.deadLetters = props.alarms.addQueueNotEmptyAlarm(
      'ApologyDeadLetters',
      this.deadLetterQueue,
      'An apology message failed 5 times (not SES, not the kill switch: those are put back) and lies in the apology DLQ. Its recipient is not settled: the campaign stays open until it is redriven.',
      Duration.minutes(5),
    );
  }
}
