import { ADDRESS_HASH_ENV } from '../directory/address-hash-env';
import { combineEnvVars, envVars } from '../platform/env';
import { QUARANTINE_ENV } from '../platform/queues/quarantine-env';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../mail/suppression-policy';

/** The variables `feedbackPipelineFromEnv` reads: its tables and the soft-bounce policy (default 3 within 7 days). */
export const FEEDBACK_PIPELINE_ENV = envVars({
  required: ['LEDGER_TABLE', 'SUPPRESSIONS_TABLE', 'AUDIT_TABLE'],
  optional: { SOFT_BOUNCE_LIMIT: DEFAULT_SOFT_BOUNCE_POLICY.limit, SOFT_BOUNCE_WINDOW_DAYS: DEFAULT_SOFT_BOUNCE_POLICY.windowDays },
});

/** The feedback function's whole environment (lib/constructs/ses-feedback.ts sets it). */
export const FEEDBACK_ENV = combineEnvVars(FEEDBACK_PIPELINE_ENV, ADDRESS_HASH_ENV, QUARANTINE_ENV);
