import { Duration, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import path from 'node:path';
import { AUDIT_RUN_EVENT } from '../../lambdas/audit/run/run-event';
import { ApologySender, type ApologyMailProps } from './apology-sender';
import { AuditMetric } from '../../lambdas/platform/metric-names';
import { CONTEXT_DEFAULTS } from '../config';
import { InvalidPropsError } from '../errors';
import { bindTable, bindTableIndexes, TableAccess } from './bind-table';
import { serviceTable, TABLE_INDEXES, type DataTables } from './data-tables';
import { HouseFunction, type FunctionLogging } from './house-function';
import { bindRowAudit } from './row-audit';
import { declareEnvironment, setEnvironment, type DeclaredFunction } from './function-environment';
import type { EnvName } from '../../lambdas/platform/env';
import { AUDIT_ENV } from '../../lambdas/audit/audit-env';
import type { IMPORT_ENV } from '../../lambdas/imports/s3-import/env';
import type { OPERATOR_IMPORTS_ENV } from '../../lambdas/operator/env';
import type { APOLOGY_PREVIEW_ENV } from '../../lambdas/operator/preview/env';

/** Where the audit handler lives, relative to the repository root. */
export const AUDIT_ENTRY = path.join(import.meta.dirname, '..', '..', 'lambdas', 'audit', 'run', 'handler.ts');

/** Timeout of one audit run; the run stops sending `AUDIT_SAFETY_MARGIN_SECONDS` before it. */
export const AUDIT_TIMEOUT = Duration.minutes(5);

/** Metric names the audit function emits (lambdas/platform/metric-names.ts). */
export const AUDIT_METRICS = {
  wrongNoticeFound: AuditMetric.WRONG_NOTICE_FOUND,
  apologySent: AuditMetric.APOLOGY_SENT,
  apologyFailed: AuditMetric.APOLOGY_FAILED,
  campaignAwaitingApproval: AuditMetric.CAMPAIGN_AWAITING_APPROVAL,
} as const;

export interface AuditApologyProps extends ApologyMailProps, FunctionLogging {
  /** The service's tables: the audit reads registries, customers, suppressions; reads and marks the ledger. */
  readonly tables: DataTables;
  /** Days a ledger row lives; duplicate markers in the audit table live as long. */
  readonly ledgerRetentionDays: number;
  /**
   * How often the audit runs (EventBridge Scheduler, at least once per tick).
   *
   * @default ScheduleExpression.rate(Duration.minutes(5))
   */
  readonly schedule?: ScheduleExpression;
  /**
   * Most concurrent apology sender invocations (`apologySenderMaxConcurrency`).
   *
   * @default APOLOGY_SENDER_DEFAULT_MAX_CONCURRENCY (10)
   */
  readonly senderMaxConcurrency?: number;
  /**
   * Records per apology sender invocation (lib/apology-sender-sizing.ts).
   *
   * @default 10
   */
  readonly senderBatchSize?: number;
  /**
   * Timeout of one apology sender invocation (`apologySenderTimeoutSeconds`).
   *
   * @default APOLOGY_SENDER_TIMEOUT (60 s)
   */
  readonly senderTimeout?: Duration;
  /**
   * The apology sender's handler module.
   *
   * @default APOLOGY_SENDER_ENTRY (lambdas/audit/apology/handler.ts)
   */
  readonly senderEntry?: string;
  /**
   * Campaigns with more recipients wait for an operator's approval (`APOLOGY_APPROVAL_THRESHOLD`).
   *
   * @default 100
   */
  readonly approvalThreshold?: number;
  /** Roles whose session names name a person, comma-separated (`OPERATOR_PERSON_ROLES`; context `operatorPersonRoles`). */
  readonly operatorPersonRoles?: string;
  /**
   * Percent of SES's MaxSendRate apologies may use; notices share the account (`APOLOGY_RATE_SHARE_PERCENT`).
   *
   * @default 50
   */
  readonly sendRateSharePercent?: number;
  /**
   * What happens to the audit table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - incidents, approvals and apology claims are the evidence
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The handler module. Tests and the local stack may point elsewhere.
   *
   * @default AUDIT_ENTRY (lambdas/audit/run/handler.ts)
   */
  readonly entry?: string;
}

/**
 * Audit and apology (PRODUCT.md): a scheduled function that re-checks new ledger rows and
 * declared incidents, plans their campaigns and puts approved apologies on the apology
 * queue, and the {@link ApologySender} that sends one careful apology per wrongly notified
 * address per incident, under SES's rate × our share.
 *
 * - `auditTable`: incidents, campaign plans and approvals, per-recipient apology claims,
 *   duplicate markers, source days, the run lease (`pk`/`sk`, TTL `expiresAt`; see
 *   docs/audit-and-apology.md), encrypted with the data key, PITR, retained;
 * - `auditFunction`: Node 24 house function, 5 minutes, exactly the grants it needs
 *   (ledger: queries on its four indexes, GetItem and UpdateItem, never PutItem or DeleteItem;
 *   customers by `byEmailHash` and registries by `byOwner`, those indexes only; registry
 *   and item by one BatchGetItem; GetItem elsewhere; the audit table's items, queries and batch
 *   writes; sending to the apology queue, SES GetAccount (for the ETA), the kill switch); it
 *   sends no email;
 * - `sender`: the apology queue, its DLQ and quarantine, and the sender function;
 * - `schedule`: EventBridge Scheduler invoking it (no retries: the next tick is the retry);
 * - alarms on failed apologies, failed runs, wrong notices found, campaigns awaiting approval.
 */
export class AuditApology extends Construct {
  /** Incidents, campaigns, claims, markers, lease. */
  public readonly auditTable: Table;
  /** The scheduled audit function. */
  public readonly auditFunction: HouseFunction & DeclaredFunction<EnvName<typeof AUDIT_ENV>>;
  /** The apology queue and its sender. */
  public readonly sender: ApologySender;
  /** The schedule that starts it. */
  public readonly schedule: Schedule;
  /** An apology was refused by SES or its outcome is unknown. */
  public readonly apologyFailed: Alarm;
  /** A whole audit run failed. */
  public readonly auditErrors: Alarm;
  /** The audit found wrong notices: someone must look (and maybe declare an incident). */
  public readonly wrongNoticesFound: Alarm;
  /** A campaign waits for an operator's approval. */
  public readonly campaignAwaitingApproval: Alarm;
  readonly #props: AuditApologyProps;

  constructor(scope: Construct, id: string, props: AuditApologyProps) {
    super(scope, id);
    const problems = propProblems(props);
    if (problems.length > 0) throw new InvalidPropsError(`AuditApology ${this.node.path}`, problems);

    this.auditTable = serviceTable(this, 'AuditTable', {
      partitionKey: 'pk',
      sortKey: 'sk',
      timeToLiveAttribute: 'expiresAt',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });

    this.sender = new ApologySender(this, 'Apologies', {
      tables: props.tables,
      auditTable: this.auditTable,
      encryptionKey: props.encryptionKey,
      mail: props.mail,
      killSwitch: props.killSwitch,
      alarms: props.alarms,
      helpUrl: props.helpUrl,
      unsubscribe: props.unsubscribe,
      shopName: props.shopName,
      sendRateSharePercent: props.sendRateSharePercent ?? CONTEXT_DEFAULTS.apologyRateSharePercent,
      maxConcurrency: props.senderMaxConcurrency,
      batchSize: props.senderBatchSize,
      timeout: props.senderTimeout,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      entry: props.senderEntry,
    });

    this.auditFunction = declareEnvironment(
      new HouseFunction(this, 'AuditFunction', {
        entry: props.entry ?? AUDIT_ENTRY,
        description: 'Audits new ledger rows and declared incidents; sends one apology per wrongly notified address per incident.',
        timeout: AUDIT_TIMEOUT,
        logLevel: props.logLevel,
        logRetention: props.logRetention,
      }),
      AUDIT_ENV,
    );
    this.#props = props;
    this.bindUseCases(this.auditFunction);
    const fn = this.auditFunction;

    // Our own role rather than the stack-wide one the target would create: its findings
    // are then acknowledged here, next to the one function it may invoke.
    const scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler invokes the audit function',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      schedule: props.schedule ?? ScheduleExpression.rate(Duration.minutes(5)),
      description: 'registry-notices: audit new ledger rows and progress approved apology campaigns',
      // No retries: the next tick is the retry, and overlapping runs are safe but pointless.
      target: new LambdaInvoke(fn, {
        // The one event the function's validation middleware accepts.
        input: ScheduleTargetInput.fromObject(AUDIT_RUN_EVENT),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(5),
        role: scheduleRole,
      }),
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the audit function and its versions (CDK grantInvoke); this role can invoke nothing else.',
    });

    const fiveMinutes = Duration.minutes(5);
    this.apologyFailed = props.alarms.addServiceMetricAlarm('ApologyFailed', AUDIT_METRICS.apologyFailed, 'An apology was refused by SES or its outcome is unknown (it is never re-sent). Check `campaign status` and the claim marked FAILED/UNCERTAIN.');
    this.auditErrors = props.alarms.addAlarm('AuditErrors', {
      description: 'A whole audit run failed; apologies in progress resume on the next run (claims prevent doubles).',
      metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
    });
    this.wrongNoticesFound = props.alarms.addServiceMetricAlarm('WrongNoticesFound', AUDIT_METRICS.wrongNoticeFound, 'The audit found notices that went to the wrong person. Inspect the ledger (auditVerdict=WRONG) and declare an incident if they need an apology; those a directory correction showed wrong are already in incident corr-<yyyymmdd>, whose campaign waits for approval.');
    this.campaignAwaitingApproval = props.alarms.addServiceMetricAlarm('CampaignAwaitingApproval', AUDIT_METRICS.campaignAwaitingApproval, 'An apology campaign is larger than the approval threshold and waits: dry-run it and approve it (CLI).');
  }

  /**
   * Gives a function what the audit's use cases need, exactly as the scheduled function has
   * it: the same environment (tables, sender, links, thresholds, lease) and the same grants.
   * The operator endpoint runs the use cases with it, so both run with the deployed settings.
   *
   * @example
   * audit.bindUseCases(operatorFunction);
   */
  public bindUseCases(fn: HouseFunction & DeclaredFunction<EnvName<typeof AUDIT_ENV>>): void {
    const props = this.#props;
    setEnvironment(fn, {
      HELP_URL: props.helpUrl,
      SHOP_NAME: props.shopName,
      KILL_SWITCH_PARAMETER: props.killSwitch.parameterName,
      LEDGER_RETENTION_DAYS: String(props.ledgerRetentionDays),
      APOLOGY_APPROVAL_THRESHOLD: String(props.approvalThreshold ?? CONTEXT_DEFAULTS.apologyApprovalThreshold),
      // Who counts as a person for the two-person rule (lambdas/audit/person.ts).
      OPERATOR_PERSON_ROLES: props.operatorPersonRoles ?? CONTEXT_DEFAULTS.operatorPersonRoles,
      APOLOGY_RATE_SHARE_PERCENT: String(props.sendRateSharePercent ?? CONTEXT_DEFAULTS.apologyRateSharePercent),
      // Longer than the timeout: a live run's lease is never taken over.
      AUDIT_LEASE_SECONDS: String(AUDIT_TIMEOUT.toSeconds() + 60),
      AUDIT_SAFETY_MARGIN_SECONDS: '20',
    });

    const { tables } = props;
    // Exactly what the audit's adapters send (lambdas/audit/audit-deps-from-env.ts wires them): what auditing
    // rows needs (bindRowAudit), and for incidents, corrections and campaigns the ledger's other
    // indexes (a day's, old and sharded, and the address's), the history's corrections, the suppressions.
    bindRowAudit(fn, tables, this.auditTable);
    bindTable({ table: tables.suppressions, fn, envName: 'SUPPRESSIONS_TABLE', access: TableAccess.READ_ITEMS });
    // Nobody who unsubscribed from all mail gets an apology.
    bindTable({ table: tables.unsubscribes, fn, envName: 'UNSUBSCRIBES_TABLE', access: TableAccess.READ_ITEMS });
    bindTableIndexes({
      table: tables.ledger,
      fn,
      envName: 'LEDGER_TABLE',
      indexes: [TABLE_INDEXES.ledgerByDecidedDay, TABLE_INDEXES.ledgerByDecidedDayShard, TABLE_INDEXES.ledgerByAddress],
    });
    bindTableIndexes({
      table: tables.directoryHistory,
      fn,
      envName: 'DIRECTORY_HISTORY_TABLE',
      indexes: [TABLE_INDEXES.historyByCorrectionDay],
    });
    // Plans are written 25 recipients per request.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.auditTable.tableArn],
        // Only an incident's partitions (AuditKeys: INC#<id>, INC#<id>#<nn>), never the incidents' headers, leases or the rate schedule.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INC#*'] } },
      }),
    );
    // A plan page reads which incident apologises for each of its notices 100 keys at a time (one apology per
    // notice): those items only (AuditKeys.apologisedNotice), nothing else of the table in batches.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [this.auditTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APOLOGISED#*'] } },
      }),
    );

    // Approved campaigns' recipients go onto the apology queue; the sender sends them.
    setEnvironment(fn, { APOLOGY_QUEUE_URL: this.sender.apologyQueue.queueUrl });
    this.sender.grantSendMessages(fn);
    props.killSwitch.grantRead(fn);
    // The account's MaxSendRate: the allowed rate a progress report's ETA is computed from.
    props.mail.grantReadAccount(fn);
  }

  /**
   * Tells the apology preview function (`OperatorEndpoint.previewFunction`) what the sender
   * renders with: the same help link and shop name. Nothing to grant: it reads no table.
   *
   * @example
   * audit.bindApologyPreview(previewFunction);
   */
  public bindApologyPreview(fn: DeclaredFunction<EnvName<typeof APOLOGY_PREVIEW_ENV>>): void {
    setEnvironment(fn, { HELP_URL: this.#props.helpUrl, SHOP_NAME: this.#props.shopName });
  }

  /**
   * Lets a function that has {@link bindUseCases} also import a send log
   * (`lambdas/imports/send-log/import-send-log.ts`): new ledger rows, each a conditional `PutItem` that
   * never overwrites one. The scheduled audit does not import, so it never gets this.
   *
   * @example
   * audit.grantImportSendLog(operatorFunction);
   */
  public grantImportSendLog(fn: DeclaredFunction<EnvName<typeof OPERATOR_IMPORTS_ENV>>): void {
    bindTable({ table: this.#props.tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.PUT_ITEMS });
  }

  /**
   * Lets the S3 import function import send logs (route `send-logs/`,
   * `lambdas/imports/send-log/send-log-lines.ts`): new ledger rows, each a conditional `PutItem`, and each
   * source's days in the audit table (`BatchWriteItem`), with `LEDGER_RETENTION_DAYS` for the
   * rows' expiry. No reads: the import needs none.
   *
   * @example
   * audit.grantImportSendLogLines(imports.importFunction);
   */
  public grantImportSendLogLines(fn: DeclaredFunction<EnvName<typeof IMPORT_ENV>>): void {
    bindTable({ table: this.#props.tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.PUT_ITEMS });
    // Only the sources' days (AuditKeys.sourceDay): the rest of the audit table is the audit's.
    bindTable({ table: this.auditTable, fn, envName: 'AUDIT_TABLE', access: TableAccess.BATCH_WRITE_ITEMS, leadingKeys: ['SOURCE#*'] });
    setEnvironment(fn, { LEDGER_RETENTION_DAYS: String(this.#props.ledgerRetentionDays) });
  }
}

function propProblems(props: AuditApologyProps): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      problems.push(`${name} must be an integer from 1 to ${max}, got ${value}`);
    }
  };
  positive('approvalThreshold', props.approvalThreshold);
  positive('sendRateSharePercent', props.sendRateSharePercent, 100);
  positive('ledgerRetentionDays', props.ledgerRetentionDays);
  if (!/^https:\/\/[^/\s]+/.test(props.helpUrl)) problems.push(`helpUrl must be an absolute https URL, got ${JSON.stringify(props.helpUrl)}`);
  return problems;
}
