import { ADDRESS_HASH_ENV } from '../directory/address-hash-env';
import { combineEnvVars, envVars, LEDGER_RETENTION_ENV, SHOP_NAME_ENV } from '../platform/env';

/**
 * The variables `auditDepsFromEnv` reads to audit ledger rows (the row-audit worker has exactly
 * these tables), with `LEDGER_RETENTION_DAYS` for the first notices' expiry.
 */
export const ROW_AUDIT_DEPS_ENV = combineEnvVars(
  envVars({ required: ['LEDGER_TABLE', 'REGISTRIES_TABLE', 'CUSTOMERS_TABLE', 'AUDIT_TABLE', 'DIRECTORY_HISTORY_TABLE'] }),
  LEDGER_RETENTION_ENV,
);

/**
 * `AUDIT_SETTLE_SECONDS` (`settleMsFromEnv`): how old a new row must be before it is audited,
 * the directory feed's CORRECTION_ALLOWANCE_MS (5 min), after which late events are corrections.
 */
export const AUDIT_SETTLE_ENV = envVars({ optional: { AUDIT_SETTLE_SECONDS: 300 } });

/** `APOLOGY_RATE_SHARE_PERCENT` (`rateSharePercentFromEnv`): the share of SES's rate apologies may use, 1-100. */
export const APOLOGY_RATE_SHARE_ENV = envVars({ optional: { APOLOGY_RATE_SHARE_PERCENT: 50 } });

/** `AUDIT_QUEUE_URL`: the audit queue (lib/constructs/row-audit.ts `grantDispatch`); when set, a run fans the audit of new rows out. */
export const AUDIT_QUEUE_ENV = envVars({ optional: { AUDIT_QUEUE_URL: undefined } });

/** The variables `runDepsFromEnv` reads itself (besides {@link ROW_AUDIT_DEPS_ENV} and the settle and rate share). */
export const AUDIT_RUN_ENV = combineEnvVars(envVars({
  required: [
    'LEDGER_TABLE',
    'REGISTRIES_TABLE',
    'CUSTOMERS_TABLE',
    'SUPPRESSIONS_TABLE',
    'UNSUBSCRIBES_TABLE',
    'AUDIT_TABLE',
    'DIRECTORY_HISTORY_TABLE',
    'HELP_URL',
    'KILL_SWITCH_PARAMETER',
    'APOLOGY_QUEUE_URL',
  ],
  optional: {
    APOLOGY_APPROVAL_THRESHOLD: 100,
    AUDIT_MAX_ROWS_PER_RUN: 5000,
    AUDIT_SAFETY_MARGIN_SECONDS: 20,
    // Longer than the function's timeout (5 min), so a live run is never taken over.
    AUDIT_LEASE_SECONDS: 360,
    // Roles whose session names name a person, comma-separated, `*` ending a prefix (lambdas/audit/person.ts).
    OPERATOR_PERSON_ROLES: 'AWSReservedSSO_*',
  },
}), AUDIT_QUEUE_ENV);

/**
 * The audit function's whole environment, which the operator function has too
 * (`AuditApology.bindUseCases` in lib/constructs/audit-apology.ts sets it on both). `SHOP_NAME`
 * is set there but read by neither function today; it is declared so the deployed environment
 * stays as it is.
 */
export const AUDIT_ENV = combineEnvVars(AUDIT_RUN_ENV, ADDRESS_HASH_ENV, ROW_AUDIT_DEPS_ENV, AUDIT_SETTLE_ENV, APOLOGY_RATE_SHARE_ENV, SHOP_NAME_ENV);
