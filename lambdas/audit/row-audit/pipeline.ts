import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientOf } from '../../platform/dynamodb/document';
import { DynamoDbRunLease } from '../audit-table/run-lease';
import { positiveIntFromEnv, requireEnv } from '../../platform/env';
import type { ShardAuditDeps, ShardAuditSettings } from '../audit-one-shard';
import { auditDepsFromEnv, settleMsFromEnv } from '../audit-deps-from-env';

/** What the row-audit worker runs with. */
export interface RowAuditPipeline {
  readonly deps: ShardAuditDeps;
  readonly settings: ShardAuditSettings;
}

/**
 * Wires the row-audit worker from its environment (lib/constructs/row-audit.ts sets it), once
 * at cold start; a missing or malformed setting fails loudly.
 *
 * @example
 * const { deps, settings } = rowAuditPipelineFromEnv({ dynamoDb });
 */
export function rowAuditPipelineFromEnv(clients: { readonly dynamoDb: DynamoDBClient }, env: NodeJS.ProcessEnv = process.env): RowAuditPipeline {
  const { AUDIT_TABLE } = requireEnv(['AUDIT_TABLE'], env);
  const db = documentClientOf(clients.dynamoDb);
  return {
    deps: {
      ...auditDepsFromEnv(clients, env),
      shardLease: (state) => new DynamoDbRunLease(db, AUDIT_TABLE, `audit-shard#${state}`),
      newRunId: () => randomUUID(),
    },
    settings: {
      // Longer than the function's timeout, so a live worker's lease is never taken over.
      leaseMs: positiveIntFromEnv('AUDIT_LEASE_SECONDS', 360, env) * 1000,
      safetyMarginMs: positiveIntFromEnv('AUDIT_SAFETY_MARGIN_SECONDS', 20, env) * 1000,
      settleMs: settleMsFromEnv(env),
      maxRows: positiveIntFromEnv('ROW_AUDIT_MAX_ROWS_PER_PASS', 1_000_000, env),
      concurrency: positiveIntFromEnv('ROW_AUDIT_CONCURRENCY', 8, env),
    },
  };
}
