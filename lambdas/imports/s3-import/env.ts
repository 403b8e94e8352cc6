import { ADDRESS_HASH_ENV } from '../../directory/address-hash-env';
import { combineEnvVars, envVars, LEDGER_RETENTION_ENV } from '../../platform/env';
import { QUARANTINE_ENV } from '../../platform/queues/quarantine-env';
import { DIRECTORY_APPLY_ENV } from '../../directory/directory-apply-env';
import { ERASURE_DRAIN_REQUEST_ENV } from '../../directory/erasure-drain-env';

/** The variables `importDepsFromEnv` reads: its progress table, its own queue, the work settings, where it asks for the erasure drain. */
export const IMPORT_PIPELINE_ENV = combineEnvVars(
  envVars({
    required: ['IMPORT_PROGRESS_TABLE', 'IMPORT_QUEUE_URL'],
    optional: { IMPORT_CONCURRENCY: 32, IMPORT_SAFETY_SECONDS: 30, IMPORT_MAX_LINES_PER_CHUNK: 500_000 },
  }),
  ERASURE_DRAIN_REQUEST_ENV,
);

/** The variables `importRoutesFromEnv` reads: the tables each route writes. */
export const IMPORT_ROUTES_ENV = combineEnvVars(DIRECTORY_APPLY_ENV, ERASURE_DRAIN_REQUEST_ENV, envVars({ required: ['LEDGER_TABLE', 'AUDIT_TABLE'] }));

/** The import function's whole environment (lib/constructs/s3-line-import.ts and the grants of the routes' owners set it). */
export const IMPORT_ENV = combineEnvVars(IMPORT_PIPELINE_ENV, ADDRESS_HASH_ENV, IMPORT_ROUTES_ENV, LEDGER_RETENTION_ENV, QUARANTINE_ENV);
