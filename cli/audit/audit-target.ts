import { readFileSync } from 'node:fs';
import { DynamoDbImportedNotices } from '../../lambdas/adapters/dynamodb-imported-notices';
import type { RunDeps } from '../../lambdas/audit/audit-deps';
import { runDepsFromEnv } from '../../lambdas/audit/pipeline';
import type { ImportedNoticeStore } from '../../lambdas/ports/imported-notices';
import { CliError } from '../errors';
import { requireOutput, type StackTarget } from '../stack-target';

/** What the audit commands work with: the audit function's own adapters, wired to the target stack. */
export interface AuditCliTarget {
  readonly description: string;
  /** The same adapters and settings the scheduled function uses. */
  readonly deps: RunDeps;
  readonly imports: ImportedNoticeStore;
  /** Releases what the target holds of its own (nothing, when built by {@link auditTarget}). */
  destroy(): void;
}

/** Options for building an {@link AuditCliTarget}. */
export interface AuditTargetOptions {
  /** cdk.json, whose context holds the sender, links and shop name the stack was built with. */
  readonly cdkJson?: string;
}

/**
 * The audit function's environment, rebuilt from the stack's outputs (table names,
 * configuration set, kill switch) and cdk.json's context (sender, links, shop name), so
 * the CLI runs the very use cases the function runs, with the same settings.
 *
 * Needs the stack outputs `AuditTableName`, `LedgerTableName`, `RegistriesTableName`,
 * `CustomersTableName`, `SuppressionsTableName`, `ConfigurationSetName`, `KillSwitchParameterName`.
 */
function auditEnvFrom(outputs: StackTarget, context: Readonly<Record<string, unknown>>): Record<string, string> {
  const str = (key: string, fallback?: string): string => {
    const value = context[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    if (fallback !== undefined) return fallback;
    throw new CliError(`cdk.json context has no ${key}.`);
  };
  return {
    LEDGER_TABLE: requireOutput(outputs, 'LedgerTableName'),
    REGISTRIES_TABLE: requireOutput(outputs, 'RegistriesTableName'),
    CUSTOMERS_TABLE: requireOutput(outputs, 'CustomersTableName'),
    SUPPRESSIONS_TABLE: requireOutput(outputs, 'SuppressionsTableName'),
    AUDIT_TABLE: requireOutput(outputs, 'AuditTableName'),
    SES_CONFIGURATION_SET: requireOutput(outputs, 'ConfigurationSetName'),
    KILL_SWITCH_PARAMETER: requireOutput(outputs, 'KillSwitchParameterName'),
    SENDER_ADDRESS: str('senderAddress'),
    HELP_URL: str('helpUrl'),
    UNSUBSCRIBE_BASE_URL: str('unsubscribeBaseUrl'),
    SHOP_NAME: str('shopName', 'Gift Registry'),
    LEDGER_RETENTION_DAYS: str('ledgerRetentionDays', '400'),
    APOLOGY_APPROVAL_THRESHOLD: str('apologyApprovalThreshold', '100'),
    APOLOGY_MAX_PER_RUN: str('apologyMaxPerRun', '200'),
    APOLOGY_RATE_SHARE_PERCENT: str('apologyRateSharePercent', '50'),
  };
}

/**
 * Wires the audit use cases to the target stack (the local stack, or a deployed one with
 * `--aws`) through the stack target's own clients; their owner, the stack target, closes them.
 *
 * @example
 * const audit = auditTarget(resolveTarget({ stateFile }));
 */
export function auditTarget(stack: StackTarget, options: AuditTargetOptions = {}): AuditCliTarget {
  const cdkJson = JSON.parse(readFileSync(options.cdkJson ?? 'cdk.json', 'utf8')) as { context?: Record<string, unknown> };
  const env = auditEnvFrom(stack, cdkJson.context ?? {});
  const deps = runDepsFromEnv({ dynamoDb: stack.documentClient, sesV2: stack.ses, ssm: stack.ssm }, env);
  return {
    description: stack.description,
    deps,
    imports: new DynamoDbImportedNotices({
      client: stack.documentClient,
      ledgerTable: env.LEDGER_TABLE!,
      auditTable: env.AUDIT_TABLE!,
      retentionDays: Number(env.LEDGER_RETENTION_DAYS),
    }),
    destroy: () => undefined,
  };
}
