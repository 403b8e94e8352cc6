import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbAddressDirectory } from '../mail/tables/address-directory';
import { DynamoDbAutoApprovals } from './audit-table/auto-approvals';
import { parsePersonRoles } from './person';
import { DynamoDbApologisedNotices } from './audit-table/apologised-notices';
import { DynamoDbCampaigns } from './audit-table/campaigns';
import { DynamoDbCorrectionsCursor } from './audit-table/corrections-cursor';
import { DynamoDbCustomerDirectory, DynamoDbRegistryDirectory, DynamoDbRegistryOwners } from '../directory/tables/directories';
import { DynamoDbDirectoryHistory } from '../directory/tables/directory-history';
import { DynamoDbFirstNotices } from './audit-table/first-notices';
import { documentClientOf } from '../platform/dynamodb/document';
import { DynamoDbIncidents } from './audit-table/incidents';
import { DynamoDbLedgerAudit } from './dynamodb-ledger-audit';
import { DynamoDbRunLease } from './audit-table/run-lease';
import { SqsApologyQueue } from './queues/sqs-apology-queue';
import { SesSendQuota } from '../mail/ses/ses-send-quota';
import { SqsAuditShardQueue } from './queues/sqs-audit-shard-queue';
import { SsmKillSwitch } from '../mail/ssm-kill-switch';
import type { ReadParameter } from '../platform/ssm-parameter-reader';
import { readEnv } from '../platform/env';
import { ConfigurationError } from '../platform/function-errors';
import { apologyLinksFromEnv } from './apology-links-from-env';
import type { AuditDeps, RunDeps } from './audit-deps';
import { APOLOGY_RATE_SHARE_ENV, AUDIT_RUN_ENV, AUDIT_SETTLE_ENV, ROW_AUDIT_DEPS_ENV } from './audit-env';

/** The SDK clients the audit's adapters use (module-scope ones in the function, the CLI's own elsewhere). */
export interface AuditClients {
  /** The low-level client; the adapters that want a document client get one over it. */
  readonly dynamoDb: DynamoDBClient;
  /** SES v2 (`sesSendingClient()`): the audit reads the send quota, the apology sender also sends. */
  readonly sesV2: Pick<SESv2Client, 'send'>;
  /** Reads the kill switch (`ssmParameterReader()` in the function). */
  readonly readParameter: ReadParameter;
  /** Sends the apology messages, and the audit queue's shard messages (`AUDIT_QUEUE_URL`) when the run fans the audit of new rows out. */
  readonly sqs: Pick<SQSClient, 'send'>;
}

/**
 * Wires what auditing ledger rows needs (the ledger, the directories and their history, the
 * duplicate register, the incidents) from the environment; no mail, no suppressions.
 *
 * @example
 * const deps = auditDepsFromEnv({ dynamoDb }); // the row-audit worker's
 */
export function auditDepsFromEnv(clients: Pick<AuditClients, 'dynamoDb'>, env: NodeJS.ProcessEnv = process.env): AuditDeps {
  const e = readEnv(ROW_AUDIT_DEPS_ENV, env);
  const db = documentClientOf(clients.dynamoDb);
  return {
    ledger: new DynamoDbLedgerAudit(db, e.LEDGER_TABLE),
    registries: new DynamoDbRegistryDirectory(clients.dynamoDb, e.REGISTRIES_TABLE),
    registryOwners: new DynamoDbRegistryOwners(clients.dynamoDb, e.REGISTRIES_TABLE),
    customers: new DynamoDbCustomerDirectory(clients.dynamoDb, e.CUSTOMERS_TABLE),
    history: new DynamoDbDirectoryHistory({ client: db, tableName: e.DIRECTORY_HISTORY_TABLE }),
    addresses: new DynamoDbAddressDirectory({ client: db, customersTable: e.CUSTOMERS_TABLE }),
    firstNotices: new DynamoDbFirstNotices(db, e.AUDIT_TABLE, e.LEDGER_RETENTION_DAYS),
    incidents: new DynamoDbIncidents(db, e.AUDIT_TABLE),
    now: () => new Date(),
  };
}

/** How old a new row must be before it is audited ({@link AUDIT_SETTLE_ENV}), in ms. */
export function settleMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return readEnv(AUDIT_SETTLE_ENV, env).AUDIT_SETTLE_SECONDS * 1000;
}

// In a module of its own, which the apology preview function reads without the audit's wiring.
export { apologyLinksFromEnv };

/** The share of SES's rate apologies may use, 1-100 ({@link APOLOGY_RATE_SHARE_ENV}). */
export function rateSharePercentFromEnv(env: NodeJS.ProcessEnv): number {
  const ratePercent = readEnv(APOLOGY_RATE_SHARE_ENV, env).APOLOGY_RATE_SHARE_PERCENT;
  if (ratePercent > 100) throw new ConfigurationError('APOLOGY_RATE_SHARE_PERCENT must be at most 100');
  return ratePercent;
}

/**
 * Wires the audit function's adapters and settings from its environment (./audit-env.ts). Called once
 * at cold start (and by the CLI); a missing or malformed setting fails loudly.
 */
export function runDepsFromEnv(clients: AuditClients, env: NodeJS.ProcessEnv = process.env): RunDeps {
  const e = readEnv(AUDIT_RUN_ENV, env);
  // Checked here too: the plan is made by this function, and a bad link must fail at its deploy.
  apologyLinksFromEnv(e);
  const ratePercent = rateSharePercentFromEnv(env);
  const db = documentClientOf(clients.dynamoDb);
  const queueUrl = e.AUDIT_QUEUE_URL;

  return {
    ...auditDepsFromEnv(clients, env),
    addresses: new DynamoDbAddressDirectory({
      client: db,
      customersTable: e.CUSTOMERS_TABLE,
      suppressionsTable: e.SUPPRESSIONS_TABLE,
      unsubscribesTable: e.UNSUBSCRIBES_TABLE,
    }),
    campaigns: new DynamoDbCampaigns(db, e.AUDIT_TABLE),
    apologisedNotices: new DynamoDbApologisedNotices(db, e.AUDIT_TABLE, readEnv(ROW_AUDIT_DEPS_ENV, env).LEDGER_RETENTION_DAYS),
    autoApprovals: new DynamoDbAutoApprovals(db, e.AUDIT_TABLE),
    lease: new DynamoDbRunLease(db, e.AUDIT_TABLE),
    correctionsCursor: new DynamoDbCorrectionsCursor(db, e.AUDIT_TABLE),
    killSwitch: new SsmKillSwitch({ parameterName: e.KILL_SWITCH_PARAMETER, read: clients.readParameter }),
    apologyQueue: new SqsApologyQueue(clients.sqs, e.APOLOGY_QUEUE_URL),
    quota: new SesSendQuota(clients.sesV2),
    ...(queueUrl ? { rowAudit: new SqsAuditShardQueue(clients.sqs, queueUrl) } : {}),
    settings: {
      approvalThreshold: e.APOLOGY_APPROVAL_THRESHOLD,
      personRoles: parsePersonRoles(e.OPERATOR_PERSON_ROLES),
      sendRateShare: ratePercent / 100,
      maxRowsPerRun: e.AUDIT_MAX_ROWS_PER_RUN,
      safetyMarginMs: e.AUDIT_SAFETY_MARGIN_SECONDS * 1000,
      leaseMs: e.AUDIT_LEASE_SECONDS * 1000,
      settleMs: settleMsFromEnv(env),
    },
    sleep: (ms) => sleep(ms),
    newRunId: () => randomUUID(),
  };
}
