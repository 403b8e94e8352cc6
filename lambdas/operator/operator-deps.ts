import { documentClientOf } from '../platform/dynamodb/document';
import { DynamoDbImportedNotices } from '../imports/tables/imported-notices';
import type { RunDeps } from '../audit/audit-deps';
import { runDepsFromEnv, type AuditClients } from '../audit/audit-deps-from-env';
import { AUDIT_RUN_ENV } from '../audit/audit-env';
import { readEnv } from '../platform/env';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { noticeOperationsFromEnv, type NoticeOperations } from './notices/notice-operations';
import type { ImportedNoticeStore } from '../imports/ports/imported-notices';
import { APOLOGY_PREVIEW_INVOKE_ENV, OPERATOR_IMPORTS_ENV } from './env';
import { lambdaApologyPreview, type PreviewApology } from './lambda-apology-preview';
import type { WriteParameter } from '../platform/ssm-parameter-writer';
import type { SendingSwitchDeps } from './sending/sending-switch';
import { DynamoDbSwitchChanges } from './sending/switch-changes';

/** What the operator's use cases run with: the audit function's own adapters and settings, the import store, the notice commands' stores. */
export interface OperatorDeps {
  /** Exactly what a scheduled audit run uses, from the same environment variables. */
  readonly run: RunDeps;
  readonly imports: ImportedNoticeStore;
  /** `notice show/uncertain/resolve`, `dlq redrive`. */
  readonly notices: NoticeOperations;
  /** `apology preview`: the apology as the sender renders it, from the apology preview function. */
  readonly apologyPreview: PreviewApology;
  /** `sending pause|resume|status`: the kill switch, and who flipped it (the audit table). */
  readonly sending: SendingSwitchDeps;
}

/** The SDK clients the operator function's adapters use. */
export interface OperatorClients extends AuditClients {
  readonly sqs: Pick<SQSClient, 'send'>;
  /** Sets the kill switch (`ssmParameterWriter()` in the function): `sending pause|resume`. */
  readonly writeParameter: WriteParameter;
  /** Invokes the apology preview function: `apology preview`. */
  readonly lambda: Pick<LambdaClient, 'send'>;
}

/**
 * Wires the operator function from its environment (./env.ts), which the stack sets to the audit
 * function's own (tables, sender, links, thresholds): the deployed settings, never a copy
 * rebuilt elsewhere. Called once at cold start; a missing setting fails loudly.
 *
 * @example
 * const deps = operatorDepsFromEnv({ dynamoDb, sesV2, readParameter: ssmParameterReader(), writeParameter: ssmParameterWriter(), sqs, lambda });
 */
export function operatorDepsFromEnv(clients: OperatorClients, env: NodeJS.ProcessEnv = process.env): OperatorDeps {
  const run = runDepsFromEnv(clients, env);
  const e = readEnv(OPERATOR_IMPORTS_ENV, env);
  return {
    run,
    imports: new DynamoDbImportedNotices({
      client: documentClientOf(clients.dynamoDb),
      ledgerTable: e.LEDGER_TABLE,
      auditTable: e.AUDIT_TABLE,
      retentionDays: e.LEDGER_RETENTION_DAYS,
    }),
    notices: noticeOperationsFromEnv(clients, env),
    apologyPreview: lambdaApologyPreview(clients.lambda, readEnv(APOLOGY_PREVIEW_INVOKE_ENV, env).APOLOGY_PREVIEW_FUNCTION_NAME),
    sending: sendingSwitchFromEnv(clients, env),
  };
}

function sendingSwitchFromEnv(clients: OperatorClients, env: NodeJS.ProcessEnv): SendingSwitchDeps {
  const { KILL_SWITCH_PARAMETER, AUDIT_TABLE } = readEnv(AUDIT_RUN_ENV, env);
  return {
    parameterName: KILL_SWITCH_PARAMETER,
    read: clients.readParameter,
    write: clients.writeParameter,
    changes: new DynamoDbSwitchChanges(documentClientOf(clients.dynamoDb), AUDIT_TABLE),
    now: () => new Date(),
  };
}
