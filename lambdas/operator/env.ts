import { combineEnvVars, envVars, LEDGER_RETENTION_ENV } from '../platform/env';
import { AUDIT_ENV } from '../audit/audit-env';
import { DEFAULT_REVEALER_ROLES } from './notices/reveal-permission';

/** The variables `noticeOperationsFromEnv` reads: the notice commands' tables and queues. */
export const NOTICE_OPERATIONS_ENV = envVars({
  required: ['LEDGER_TABLE', 'AUDIT_TABLE', 'PURCHASE_QUEUE_URL', 'DEAD_LETTER_QUEUE_URL', 'FEEDBACK_QUEUE_URL', 'FEEDBACK_DEAD_LETTER_QUEUE_URL'],
  optional: {
    // Seconds a send in doubt waits for its SES events before it is listed and may be resolved.
    UNCERTAIN_SETTLE_SECONDS: 900,
    // Who may reveal an address (notices/reveal-permission.ts; context operatorRevealerRoles).
    OPERATOR_REVEALER_ROLES: DEFAULT_REVEALER_ROLES,
  },
});

/** The variables `operatorDepsFromEnv` reads itself, for the import store. */
export const OPERATOR_IMPORTS_ENV = combineEnvVars(envVars({ required: ['LEDGER_TABLE', 'AUDIT_TABLE'] }), LEDGER_RETENTION_ENV);

/**
 * `APOLOGY_PREVIEW_FUNCTION_NAME`: the apology preview function (`preview/`), which the operator
 * function invokes for `apology preview` (`OperatorEndpoint` sets it and grants the invoke).
 */
export const APOLOGY_PREVIEW_INVOKE_ENV = envVars({ required: ['APOLOGY_PREVIEW_FUNCTION_NAME'] });

/**
 * The operator function's whole environment: the audit function's own (`AuditApology.bindUseCases`
 * sets it), the import store's, the notice commands' and the preview function's name
 * (lib/constructs/operator-endpoint.ts).
 */
export const OPERATOR_ENV = combineEnvVars(AUDIT_ENV, OPERATOR_IMPORTS_ENV, NOTICE_OPERATIONS_ENV, APOLOGY_PREVIEW_INVOKE_ENV);
