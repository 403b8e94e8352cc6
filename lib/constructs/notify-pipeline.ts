import { Duration } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import path from 'node:path';
import type { FunctionLogging } from './house-function';
import { bindTable, TableAccess } from './bind-table';
import type { DataTables } from './data-tables';
import type { KillSwitch } from './kill-switch';
import type { MailSending } from './mail-sending';
import type { QueueConsumerFunction, BatchTuning } from './queue-consumer-function';
import type { UnsubscribeEndpoint } from './unsubscribe-endpoint';
import { QueueConsumerPipeline } from './queue-consumer-pipeline';
import { declareEnvironment, environmentOf, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { NOTIFY_ENV } from '../../lambdas/notices/notify/env';

/** Where the notify handler lives, relative to the repository root. */
export const NOTIFY_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'notices', 'notify', 'handler.ts');

/** Timeout of one notify invocation; the queue's visibility timeout is six times this. */
export const NOTIFY_TIMEOUT = Duration.seconds(30);

/** Receives before SQS moves a message to the DLQ. */
export const NOTIFY_MAX_RECEIVE_COUNT = 5;

export { EVIDENCE_RETENTION } from './queue-consumer-pipeline';

export interface NotifyPipelineProps extends FunctionLogging, BatchTuning {
  /** The service's tables; notify reads registries/customers/suppressions/unsubscribes and writes the ledger. */
  readonly tables: DataTables;
  /** Customer managed key that encrypts the three queues. */
  readonly encryptionKey: IKey;
  /** Where and how mail is sent. */
  readonly mail: MailSending;
  /** The switch that pauses sending. */
  readonly killSwitch: KillSwitch;
  /** HTTPS base of registry pages (`REGISTRY_BASE_URL`). */
  readonly registryBaseUrl: string;
  /** HTTPS help page (`HELP_URL`). */
  readonly helpUrl: string;
  /** Signs every notice's one-click unsubscribe link (`grantIssueLinks`). */
  readonly unsubscribe: UnsubscribeEndpoint;
  /** The shop's name as emails sign it (`SHOP_NAME`). */
  readonly shopName: string;
  /** Days a ledger row lives (`LEDGER_RETENTION_DAYS`; the handler sets `expiresAt`). */
  readonly ledgerRetentionDays: number;
  /**
   * The handler module. Tests and the local stack may point elsewhere.
   *
   * @default NOTIFY_ENTRY (lambdas/notices/notify/handler.ts)
   */
  readonly entry?: string;
}

/**
 * The purchase notice path: producer -> purchase queue -> notify function -> SES, with the
 * DLQ for poison messages and the quarantine for invalid ones: a {@link QueueConsumerPipeline}
 * (ids kept as they were, so the template's logical ids did not change) plus what notify needs.
 *
 * - purchase queue: KMS-encrypted, TLS only, visibility 6 x the function timeout, redrive
 *   to the DLQ after 5 receives, messages up to 1 MiB (an oversized mistake is quarantined
 *   with its reason; a valid purchase message is under 4 KiB, see docs/purchase-message.md);
 * - DLQ and quarantine: KMS-encrypted, TLS only, 14 days retention;
 * - notify function: partial batch responses, and exactly the grants the handler needs
 *   (point reads, ledger item writes without Scan, quarantine send, purchase queue send for
 *   deferrals, kill switch read, SendEmail from the sender address through the configuration set,
 *   GenerateMac on the unsubscribe link key).
 */
export class NotifyPipeline extends QueueConsumerPipeline {
  /** Where producers send purchase messages (contract v1). */
  public readonly purchaseQueue: Queue;
  /** The notify function, set the variables of its declaration (lambdas/notices/notify/env.ts). */
  public readonly notifyFunction: QueueConsumerFunction & DeclaredFunction<EnvName<typeof NOTIFY_ENV>>;

  constructor(scope: Construct, id: string, props: NotifyPipelineProps) {
    super(scope, id, {
      entry: props.entry ?? NOTIFY_ENTRY,
      description: 'Validates purchase messages, applies the guards, sends the owner one notice, records each decision.',
      encryptionKey: props.encryptionKey,
      timeout: NOTIFY_TIMEOUT,
      maxReceiveCount: NOTIFY_MAX_RECEIVE_COUNT,
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      environment: environmentOf(NOTIFY_ENV, {
        SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
        SENDER_ADDRESS: props.mail.senderAddress,
        REGISTRY_BASE_URL: props.registryBaseUrl,
        HELP_URL: props.helpUrl,
        KILL_SWITCH_PARAMETER: props.killSwitch.parameterName,
        LEDGER_RETENTION_DAYS: String(props.ledgerRetentionDays),
        SHOP_NAME: props.shopName,
      }),
      ids: { queue: 'PurchaseQueue', function: 'NotifyFunction' },
    });
    this.purchaseQueue = this.queue;
    this.notifyFunction = declareEnvironment(this.consumerFunction, NOTIFY_ENV);
    const fn = this.notifyFunction;

    const { tables } = props;
    // Exactly the calls of a notice (docs/idempotency.md): the registry and its item in one
    // BatchGetItem, the owner by GetItem, its suppression and unsubscribes in one BatchGetItem,
    // and on the ledger conditional writes only (a write that finds the row gets it back; the
    // ledger is never read).
    bindTable({ table: tables.registries, fn, envName: 'REGISTRIES_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    bindTable({ table: tables.customers, fn, envName: 'CUSTOMERS_TABLE', access: TableAccess.READ_ITEMS });
    // The claim's transaction checks the owner's row is not erased (a ConditionCheck: no read of it).
    Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:ConditionCheckItem'], resourceArns: [tables.customers.tableArn] });
    bindTable({ table: tables.suppressions, fn, envName: 'SUPPRESSIONS_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    bindTable({ table: tables.unsubscribes, fn, envName: 'UNSUBSCRIBES_TABLE', access: TableAccess.BATCH_GET_ITEMS });
    bindTable({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.WRITE_ITEMS });

    // While sending is paused, or a purchase lies ahead of our clock, records are put back here with a delay.
    setEnvironment(fn, { PURCHASE_QUEUE_URL: this.purchaseQueue.queueUrl });
    this.grantSendMessages(fn);
    props.killSwitch.grantRead(fn);
    props.mail.grantSend(fn);
    props.unsubscribe.grantIssueLinks(fn);
  }

  /**
   * Lets a producer (the shop's order system, the local demo) send purchase messages:
   * `sqs:SendMessage` on the purchase queue and the key use SSE-KMS needs for it.
   */
  public grantSendPurchases(grantee: IGrantable): Grant {
    return this.grantSendMessages(grantee);
  }
}
