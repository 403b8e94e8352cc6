import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientOf } from '../../platform/dynamodb/document';
import { DynamoDbRunLease } from '../audit-table/run-lease';
import { readEnv } from '../../platform/env';
import type { ShardAuditDeps, ShardAuditSettings } from '../audit-one-shard';
import { auditDepsFromEnv, settleMsFromEnv } from '../audit-deps-from-env';
import { ROW_AUDIT_PIPELINE_ENV } from './env';

/** What the row-audit worker runs with. */
export interface RowAuditPipeline {
  readonly deps: ShardAuditDeps;
  readonly settings: ShardAuditSettings;
}

/**
 * Wires the row-audit worker from its environment (./env.ts; lib/constructs/row-audit.ts sets it), once
 * at cold start; a missing or malformed setting fails loudly.
 *
 * @example
 * const { deps, settings } = rowAuditPipelineFromEnv({ dynamoDb });
 */
export function rowAuditPipelineFromEnv(clients: { readonly dynamoDb: DynamoDBClient }, env: NodeJS.ProcessEnv = process.env): RowAuditPipeline {
  const e = readEnv(ROW_AUDIT_PIPELINE_ENV, env);
  const db = documentClientOf(clients.dynamoDb);
  return {
    deps: {
      ...auditDepsFromEnv(clients, env),
      shardLease: (state) => new DynamoDbRunLease(db, e.AUDIT_TABLE, `audit-shard#${state}`),
      newRunId: () => randomUUID(),
    },
    settings: {
      leaseMs: e.AUDIT_LEASE_SECONDS * 1000,
      safetyMarginMs: e.AUDIT_SAFETY_MARGIN_SECONDS * 1000,
      settleMs: settleMsFromEnv(env),
      maxRows: e.ROW_AUDIT_MAX_ROWS_PER_PASS,
      concurrency: e.ROW_AUDIT_CONCURRENCY,
    },
  };
}
