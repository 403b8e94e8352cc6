import { DEFAULT_VERIFY_BUDGET } from '../verify-budget';
import { combineEnvVars, envVars, SHOP_NAME_ENV } from '../../../platform/env';

/**
 * The variables `unsubscribeDepsFromEnv` reads: the unsubscribes table, the ledger (whose
 * `byAddress` index says whether we mailed an address), the link key (verify only), the seal key
 * (v2 tokens are opened with the key derived from it), and how many key checks
 * one environment may make a second (docs/unsubscribe.md).
 */
export const UNSUBSCRIBE_PIPELINE_ENV = envVars({
  required: ['UNSUBSCRIBES_TABLE', 'LEDGER_TABLE', 'UNSUBSCRIBE_KEY_ARN', 'UNSUBSCRIBE_SEAL_KEY_ARN'],
  optional: { UNSUBSCRIBE_VERIFY_PER_SECOND: DEFAULT_VERIFY_BUDGET.perSecond },
});

/** The unsubscribe function's whole environment (lib/constructs/unsubscribe-endpoint.ts sets it); the page signs with `SHOP_NAME`. */
export const UNSUBSCRIBE_ENV = combineEnvVars(UNSUBSCRIBE_PIPELINE_ENV, SHOP_NAME_ENV);
