import { ADDRESS_HASH_ENV } from '../../directory/address-hash-env';
import { combineEnvVars, envVars } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { AUDIT_SETTLE_ENV, ROW_AUDIT_DEPS_ENV } from '../audit-env';

/** The variables `rowAuditPipelineFromEnv` reads itself: the shard lease's table and the pass's settings. */
export const ROW_AUDIT_PIPELINE_ENV = envVars({
  required: ['AUDIT_TABLE'],
  optional: {
    // Longer than the function's timeout, so a live worker's lease is never taken over.
    AUDIT_LEASE_SECONDS: 360,
    AUDIT_SAFETY_MARGIN_SECONDS: 20,
    ROW_AUDIT_MAX_ROWS_PER_PASS: 1_000_000,
    ROW_AUDIT_CONCURRENCY: 8,
  },
});

/** The row-audit worker's whole environment (lib/constructs/row-audit.ts sets it). */
export const ROW_AUDIT_ENV = combineEnvVars(ROW_AUDIT_PIPELINE_ENV, ADDRESS_HASH_ENV, ROW_AUDIT_DEPS_ENV, AUDIT_SETTLE_ENV, QUARANTINE_ENV);
