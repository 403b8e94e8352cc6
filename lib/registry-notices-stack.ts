import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { NoticesConfig } from './config';
import { AddressHashKey } from './constructs/address-hash-key';
import { AuditApology } from './constructs/audit-apology';
import { DataTables, TABLE_INDEXES } from './constructs/data-tables';
import { bindTableIndexes } from './constructs/bind-table';
import { DirectoryFeed, grantDirectoryApply } from './constructs/directory-feed';
import { KillSwitch } from './constructs/kill-switch';
import { MailSending } from './constructs/mail-sending';
import { NoticesAlarms } from './constructs/notices-alarms';
import { NotifyPipeline } from './constructs/notify-pipeline';
import { IMPORT_REPORT_PREFIX, S3LineImport } from './constructs/s3-line-import';
import { ErasureDrain } from './constructs/erasure-drain';
import { AddressRekey } from './constructs/address-rekey';
import { DIRECTORY_PREFIX, SEND_LOG_PREFIX } from '../lambdas/imports/s3-import/prefixes';
import { OperatorEndpoint } from './constructs/operator-endpoint';
import { UnsubscribeEndpoint } from './constructs/unsubscribe-endpoint';
import { RowAudit } from './constructs/row-audit';
import { SesFeedback } from './constructs/ses-feedback';
import { checkDeclaredEnvironments } from './constructs/function-environment';

export interface RegistryNoticesStackProps extends StackProps {
  /** Validated context; see `readNoticesConfig`. */
  readonly config: NoticesConfig;
  /**
   * Handler module of the notify function.
   *
   * @default lambdas/notices/notify/handler.ts
   */
  readonly notifyEntry?: string;
  /**
   * Handler module of the audit and apology function.
   *
   * @default lambdas/audit/run/handler.ts
   */
  readonly auditEntry?: string;
  /**
   * Handler module of the row-audit worker.
   *
   * @default lambdas/audit/row-audit/handler.ts
   */
  readonly rowAuditEntry?: string;
  /**
   * Handler module of the operator endpoint.
   *
   * @default lambdas/operator/handler.ts
   */
  readonly operatorEntry?: string;
  /**
   * Handler module of the directory function.
   *
   * @default lambdas/directory/feed/handler.ts
   */
  readonly directoryEntry?: string;
  /**
   * Handler module of the import function.
   *
   * @default lambdas/imports/s3-import/handler.ts
   */
  readonly importEntry?: string;
  /**
   * Handler module of the unsubscribe endpoint.
   *
   * @default lambdas/mail/unsubscribe/endpoint/handler.ts
   */
  readonly unsubscribeEntry?: string;
  /**
   * Handler module of the feedback function (SES events).
   *
   * @default lambdas/feedback/handler.ts
   */
  readonly feedbackEntry?: string;
  /**
   * Handler module of the erasure drain.
   *
   * @default lambdas/directory/erasure-drain/handler.ts
   */
  readonly erasureDrainEntry?: string;
}


/**
 * registry-notices: one construct per concern, wired here.
 *
 * - `DataKey`: the customer managed key of all personal data at rest (tables, queues);
 * - `DataTables`: registries, customers, suppressions, unsubscribes, ledger, directory history;
 * - `KillSwitch`: the parameter that pauses sending;
 * - `ErasureDrain`: an erasure's reach into the DLQs, quarantines and the import bucket;
 * - `MailSending`: SES identity (Easy DKIM, custom MAIL FROM) and configuration set;
 * - `UnsubscribeEndpoint`: one-click unsubscribe (function URL, no auth: a signed token) and its HMAC key;
 * - `NotifyPipeline`: purchase queue, DLQ, quarantine, notify function;
 * - `Alarms`: what an operator must hear about, on one topic;
 * - `AuditApology`: the scheduled audit of the ledger and the apology campaigns;
 * - `RowAudit`: the audit of new rows fanned out, one worker per shard (the audit queue);
 * - `OperatorEndpoint`: the operator's control plane (function URL, IAM auth) over the audit's use cases;
 * - `Feedback`: SES events back in (topic, queue, feedback function).
 */
export class RegistryNoticesStack extends Stack {
  /** Encrypts tables and queues. */
  public readonly dataKey: Key;
  /** Registries, customers, suppressions, ledger. */
  public readonly tables: DataTables;
  /** The key address hashes are derived from; `grantHash` for any function that hashes an address. */
  public readonly addressHashKey: AddressHashKey;
  /** The parameter that pauses sending. */
  public readonly killSwitch: KillSwitch;
  /** SES identity and configuration set; `grantSend` for any function that mails. */
  public readonly mail: MailSending;
  /** The unsubscribe endpoint; `grantIssueLinks` for any function that mails. */
  public readonly unsubscribe: UnsubscribeEndpoint;
  /** Purchase queue, DLQ, quarantine and the notify function. */
  public readonly notify: NotifyPipeline;
  /** Operator alarms and their topic; `addAlarm` for more. */
  public readonly alarms: NoticesAlarms;
  /** The audit table, the scheduled audit function and its schedule. */
  public readonly audit: AuditApology;
  /** Directory queue, DLQ, quarantine and the directory function. */
  public readonly directory: DirectoryFeed;
  /** Import bucket, queue and function (directory snapshots under `directory/`, send logs under `send-logs/`). */
  public readonly imports: S3LineImport;
  /** The audit queue and the row-audit worker. */
  public readonly rowAudit: RowAudit;
  /** The operator endpoint; `grantInvokeOperator` lets a principal call it. */
  public readonly operator: OperatorEndpoint;
  /** SES events back in: topic, queue, DLQ, quarantine, feedback function. */
  public readonly feedback: SesFeedback;
  /** Erasure's reach into the evidence stores: what names an erased customer out of the DLQs, quarantines and import bucket. */
  public readonly erasureDrain: ErasureDrain;
  /** The one-off re-keying job of legacy address hashes (docs/data-model.md, "Re-keying"). */
  public readonly addressRekey: AddressRekey;

  constructor(scope: Construct, id: string, props: RegistryNoticesStackProps) {
    super(scope, id, props);
    const { config } = props;

    // One customer managed key for personal data at rest (addresses in the ledger, names
    // and gift messages in queued messages), rather than AWS managed keys: its key policy
    // decides who can ever read that data, every use is in CloudTrail under the caller's
    // name, and disabling it makes the data unreadable at once if it must be.
    this.dataKey = new Key(this, 'DataKey', {
      description: 'registry-notices: encrypts tables and queues (personal data at rest)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });

    this.tables = new DataTables(this, 'DataTables', { encryptionKey: this.dataKey });

    // Addresses are stored and looked up as a keyed hash (HMAC), so a hash is no use to
    // whoever can guess an address but may not use this key (docs/data-model.md, "Address hashes").
    this.addressHashKey = new AddressHashKey(this, 'AddressHash');

    this.killSwitch = new KillSwitch(this, 'KillSwitch', { parameterName: config.killSwitchParameterName });

    this.mail = new MailSending(this, 'MailSending', {
      senderDomain: config.senderDomain,
      senderAddress: config.senderAddress,
      mailFromDomain: config.mailFromDomain,
      dmarcReportAddress: config.dmarcReportAddress,
    });

    this.unsubscribe = new UnsubscribeEndpoint(this, 'Unsubscribe', {
      tables: this.tables,
      shopName: config.shopName,
      publicBaseUrl: config.unsubscribeBaseUrl,
      linkValidityDays: config.unsubscribeLinkDays,
      maxConcurrency: config.unsubscribeMaxConcurrency,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.unsubscribeEntry,
    });

    this.notify = new NotifyPipeline(this, 'NotifyPipeline', {
      tables: this.tables,
      encryptionKey: this.dataKey,
      mail: this.mail,
      killSwitch: this.killSwitch,
      registryBaseUrl: config.registryBaseUrl,
      helpUrl: config.helpUrl,
      unsubscribe: this.unsubscribe,
      ledgerRetentionDays: config.ledgerRetentionDays,
      shopName: config.shopName,
      batchSize: config.notifyBatchSize,
      maxBatchingWindow: Duration.seconds(config.notifyMaxBatchingWindowSeconds),
      maxConcurrency: config.notifyMaxConcurrency,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.notifyEntry,
    });

    this.alarms = new NoticesAlarms(this, 'Alarms', {
      purchaseQueue: this.notify.purchaseQueue,
      deadLetterQueue: this.notify.deadLetterQueue,
      quarantineQueue: this.notify.quarantineQueue,
      notifyFunction: this.notify.notifyFunction,
      mail: this.mail,
      guardBlockThreshold: config.guardBlockAlarmThreshold,
    });
    this.unsubscribe.addAlarms(this.alarms);

    this.audit = new AuditApology(this, 'AuditApology', {
      tables: this.tables,
      encryptionKey: this.dataKey,
      mail: this.mail,
      killSwitch: this.killSwitch,
      alarms: this.alarms,
      helpUrl: config.helpUrl,
      unsubscribe: this.unsubscribe,
      shopName: config.shopName,
      ledgerRetentionDays: config.ledgerRetentionDays,
      schedule: ScheduleExpression.expression(config.auditSchedule),
      // Both follow from the SES rate it is sized for (lib/apology-sender-sizing.ts), checked in readNoticesConfig.
      senderMaxConcurrency: config.apologySenderMaxConcurrency,
      senderBatchSize: config.apologySender.batchSize,
      senderTimeout: Duration.seconds(config.apologySenderTimeoutSeconds),
      approvalThreshold: config.apologyApprovalThreshold,
      operatorPersonRoles: config.operatorPersonRoles,
      sendRateSharePercent: config.apologyRateSharePercent,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.auditEntry,
    });

    this.feedback = new SesFeedback(this, 'Feedback', {
      mail: this.mail,
      tables: this.tables,
      auditTable: this.audit.auditTable,
      encryptionKey: this.dataKey,
      alarms: this.alarms,
      softBounceLimit: config.softBounceLimit,
      softBounceWindowDays: config.softBounceWindowDays,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.feedbackEntry,
    });

    this.operator = new OperatorEndpoint(this, 'Operator', {
      audit: this.audit,
      notices: {
        ledger: this.tables.ledger,
        purchases: this.notify,
        sesEvents: this.feedback.pipeline,
        uncertainSettleSeconds: config.uncertainSettleSeconds,
      },
      killSwitch: this.killSwitch,
      unsubscribeLinkBaseUrl: this.unsubscribe.linkBaseUrl,
      revealerRoles: config.operatorRevealerRoles,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.operatorEntry,
    });

    this.directory = new DirectoryFeed(this, 'DirectoryFeed', {
      tables: this.tables,
      encryptionKey: this.dataKey,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.directoryEntry,
    });

    this.imports = new S3LineImport(this, 'Imports', {
      encryptionKey: this.dataKey,
      prefixes: [DIRECTORY_PREFIX, SEND_LOG_PREFIX],
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.importEntry,
    });
    grantDirectoryApply(this.imports.importFunction, this.tables);
    // A send-log row about an erased customer is imported without its address: who had it then (lambdas/imports/erased-recipients.ts).
    bindTableIndexes({ table: this.tables.directoryHistory, fn: this.imports.importFunction, envName: 'DIRECTORY_HISTORY_TABLE', indexes: [TABLE_INDEXES.historyByEmailHash] });
    this.audit.grantImportSendLogLines(this.imports.importFunction);

    // An erasure (directory event or snapshot line) asks for the bodies and objects that name the customer to go.
    this.erasureDrain = new ErasureDrain(this, 'ErasureDrain', {
      encryptionKey: this.dataKey,
      evidenceQueues: [this.notify, this.directory, this.imports, this.feedback].flatMap((p) => [p.deadLetterQueue, p.quarantineQueue]),
      importBucket: this.imports.bucket,
      objectPrefixes: [DIRECTORY_PREFIX, SEND_LOG_PREFIX, IMPORT_REPORT_PREFIX],
      // An upload is deleted once its import is over (its progress row), so no one else's line is lost.
      imports: { prefixes: [DIRECTORY_PREFIX, SEND_LOG_PREFIX], progressTable: this.imports.progressTable },
      // What can still dead-letter or be quarantined after an erasure: the follow-up passes' horizon.
      sources: [
        { queue: this.notify.purchaseQueue, consumer: this.notify.notifyFunction },
        { queue: this.directory.directoryQueue, consumer: this.directory.directoryFunction },
        { queue: this.imports.importQueue, consumer: this.imports.importFunction },
        { queue: this.feedback.queue, consumer: this.feedback.feedbackFunction },
      ],
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.erasureDrainEntry,
    });
    this.erasureDrain.grantRequestDrain(this.directory.directoryFunction);
    this.erasureDrain.grantRequestDrain(this.imports.importFunction);
    // Legacy ledger hashes are kept while a v1 unsubscribe link naming them may be live.
    this.addressRekey = new AddressRekey(this, 'AddressRekey', {
      tables: this.tables,
      ledgerKeepDays: config.unsubscribeLinkDays,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
    });
    this.alarms.addQueueNotEmptyAlarm('ErasureDrainDeadLetterDepth', this.erasureDrain.deadLetterQueue, 'An erasure drain failed 5 times: DLQ, quarantine or import-bucket copies of an erased customer may remain. Check the erasure drain log, then redrive.');

    for (const [id, what, pipeline] of [
      ['Directory', 'directory events', this.directory],
      ['Import', 'import messages', this.imports],
    ] as const) {
      this.alarms.addQueueNotEmptyAlarm(`${id}DeadLetterDepth`, pipeline.deadLetterQueue, `${what} failed 5 times and sit in the ${id.toLowerCase()} DLQ. Inspect, fix, then redrive.`);
      this.alarms.addQueueNotEmptyAlarm(`${id}QuarantineDepth`, pipeline.quarantineQueue, `Invalid ${what} were quarantined with their reason: a producer is breaking the contract.`);
    }

    this.rowAudit = new RowAudit(this, 'RowAudit', {
      tables: this.tables,
      auditTable: this.audit.auditTable,
      encryptionKey: this.dataKey,
      alarms: this.alarms,
      ledgerRetentionDays: config.ledgerRetentionDays,
      logLevel: config.logLevel,
      logRetention: config.logRetentionDays,
      entry: props.rowAuditEntry,
    });
    // Both run the audit's use cases with one environment: their runs fan the new rows out.
    this.rowAudit.grantDispatch(this.audit.auditFunction);
    this.rowAudit.grantDispatch(this.operator.operatorFunction);
    // Every function that hashes an address (its bundle imports address-hash.ts), and no other.
    for (const fn of [
      this.notify.notifyFunction,
      this.audit.auditFunction,
      this.audit.sender.senderFunction,
      this.rowAudit.workerFunction,
      this.operator.operatorFunction,
      this.directory.directoryFunction,
      this.imports.importFunction,
      this.feedback.feedbackFunction,
      this.erasureDrain.drainFunction,
      this.addressRekey.rekeyFunction,
    ]) this.addressHashKey.grantHash(fn);
    // Every function has each variable its declaration in lambdas/ requires.
    checkDeclaredEnvironments(this);

    this.addOutputs();
  }

  // Outputs live here, not in the constructs, so operators, the CLI and the local stack
  // find them under stable, readable names.
  private addOutputs(): void {
    const out = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    out('PurchaseQueueUrl', this.notify.purchaseQueue.queueUrl, 'Producers send purchase messages (contract v1) here');
    out('PurchaseQueueArn', this.notify.purchaseQueue.queueArn, 'ARN of the purchase queue');
    out('DeadLetterQueueUrl', this.notify.deadLetterQueue.queueUrl, 'Poison purchase messages; redrive from here');
    out('QuarantineQueueUrl', this.notify.quarantineQueue.queueUrl, 'Invalid purchase messages with their reason (14 days)');
    out('RegistriesTableName', this.tables.registries.tableName, 'Registries and their items');
    out('CustomersTableName', this.tables.customers.tableName, 'Customers');
    out('SuppressionsTableName', this.tables.suppressions.tableName, 'Addresses never to mail, by hash');
    out('UnsubscribesTableName', this.tables.unsubscribes.tableName, 'What recipients unsubscribed from, by address hash and scope');
    out('UnsubscribeEndpointUrl', this.unsubscribe.functionUrl.url, 'One-click unsubscribe (no auth: a signed token); every List-Unsubscribe header points here');
    out('UnsubscribeLinkKeyArn', this.unsubscribe.linkKey.keyArn, 'KMS HMAC key that signs unsubscribe links');
    out('UnsubscribeSealKeyArn', this.unsubscribe.sealKey.keyArn, 'KMS HMAC key the seal of unsubscribe tokens (v2) is derived from; whoever may GenerateMac on it can read tokens');
    out('AddressHashKeyArn', this.addressHashKey.key.keyArn, 'KMS HMAC key the address-hash key is derived from; whoever may GenerateMac on it can hash addresses');
    out('LedgerTableName', this.tables.ledger.tableName, 'Notice ledger');
    out('DirectoryHistoryTableName', this.tables.directoryHistory.tableName, 'What was true when: registries, items, customers over time');
    out('KillSwitchParameterName', this.killSwitch.parameterName, 'Set to "true" to pause all sending, "false" to resume');
    out('NotifyFunctionName', this.notify.notifyFunction.functionName, 'The notify function');
    out('ConfigurationSetName', this.mail.configurationSet.configurationSetName, 'SES configuration set of every send');
    out('SenderIdentity', this.mail.identity.emailIdentityName, 'SES domain identity (Easy DKIM)');
    out('AuditTableName', this.audit.auditTable.tableName, 'Incidents, campaigns, apology claims');
    out('AuditFunctionName', this.audit.auditFunction.functionName, 'The scheduled audit and apology function');
    out('AuditQueueUrl', this.rowAudit.queue.queueUrl, 'Audit shard messages (one per shard per scheduled run) for the row-audit worker');
    out('ApologyQueueUrl', this.audit.sender.apologyQueue.queueUrl, 'Planned apologies waiting for the sender');
    out('ApologyDeadLetterQueueUrl', this.audit.sender.deadLetterQueue.queueUrl, 'Apology messages that failed 5 times; redrive from here');
    out('ApologySenderFunctionName', this.audit.sender.senderFunction.functionName, 'The apology sender');
    out('OperatorEndpointUrl', this.operator.functionUrl.url, 'The operator endpoint (IAM auth): the CLI with --aws signs its requests to it');
    out('OperatorPolicyArn', this.operator.operatorPolicy.managedPolicyArn, 'Attach to an operator role: it may call the operator endpoint, nothing else');
    out(
      'OperatorDirectInvokeGuard',
      this.toJsonString(this.operator.directInvokeGuard().toStatementJson()),
      'An SCP or permissions-boundary statement: denies lambda:InvokeFunction on the operator function except through its URL (docs/operator.md)',
    );
    out('DirectoryQueueUrl', this.directory.directoryQueue.queueUrl, 'The shop sends directory events (contract v1, docs/directory-events.md) here');
    out('DirectoryQueueArn', this.directory.directoryQueue.queueArn, 'ARN of the directory queue');
    out('DirectoryDeadLetterQueueUrl', this.directory.deadLetterQueue.queueUrl, 'Poison directory events; redrive from here');
    out('DirectoryQuarantineQueueUrl', this.directory.quarantineQueue.queueUrl, 'Invalid directory events with their reason (14 days)');
    out('DirectoryFunctionName', this.directory.directoryFunction.functionName, 'The directory function');
    out('ImportBucketName', this.imports.bucket.bucketName, 'Upload directory snapshots to directory/<name>.jsonl and send logs to send-logs/<name>.jsonl; reports appear under reports/');
    out('ImportQueueUrl', this.imports.importQueue.queueUrl, 'S3 notifications and import continuations');
    out('ImportProgressTableName', this.imports.progressTable.tableName, 'Where each S3 import stands');
    out('ImportFunctionName', this.imports.importFunction.functionName, 'The import function');
    out('AlarmTopicArn', this.alarms.topic.topicArn, 'Subscribe here to hear the alarms');
    out('MailEventsTopicArn', this.feedback.topic.topicArn, "The configuration set's SES events (Send, Delivery, Bounce, Complaint, Reject, DeliveryDelay)");
    out('FeedbackQueueUrl', this.feedback.queue.queueUrl, 'SES events waiting for the feedback function');
    out('FeedbackDeadLetterQueueUrl', this.feedback.deadLetterQueue.queueUrl, 'SES events that failed 5 times; redrive from here');
    out('FeedbackQuarantineQueueUrl', this.feedback.quarantineQueue.queueUrl, 'SES events of an unknown shape, or about no email we recorded, with their reason (14 days)');
    out('ErasureDrainQueueUrl', this.erasureDrain.queue.queueUrl, 'One request per erased customer: the erasure drain deletes what names them from the DLQs, quarantines and import bucket');
    out('ErasureDrainDeadLetterQueueUrl', this.erasureDrain.deadLetterQueue.queueUrl, 'Erasure drain requests that failed 5 times; redrive from here');
    out('FeedbackFunctionName', this.feedback.feedbackFunction.functionName, 'The feedback function (SES events)');
    out('RekeyFunctionName', this.addressRekey.rekeyFunction.functionName, 'One-off: invoke per table to re-key legacy address hashes (docs/data-model.md, "Re-keying")');
    out('DataKeyArn', this.dataKey.keyArn, 'Key of tables and queues; producers need GenerateDataKey and Decrypt on it');
    this.mail.identity.dkimRecords.forEach((record, i) => {
      out(`DkimRecord${i + 1}`, `${record.name} CNAME ${record.value}`, 'Publish in DNS so SES can sign with DKIM');
    });
    const dns = (r: { name: string; type: string; value: string }): string => `${r.name} ${r.type} ${r.value}`;
    out('MailFromMxRecord', dns(this.mail.mailFromMxRecord), 'Publish in DNS: bounces come back to SES through the custom MAIL FROM domain');
    out('MailFromSpfRecord', dns(this.mail.mailFromSpfRecord), 'Publish in DNS: SPF passes, aligned with From, for the custom MAIL FROM domain');
    out('DmarcRecord', dns(this.mail.dmarcRecord), 'Publish in DNS: the DMARC policy (p=none to start) and where its reports go');
  }
}
