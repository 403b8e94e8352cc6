import { combineEnvVars, envVars, SHOP_NAME_ENV } from '../../../platform/env';

/** The variables `unsubscribeDepsFromEnv` reads. */
export const UNSUBSCRIBE_PIPELINE_ENV = envVars({ required: ['UNSUBSCRIBES_TABLE', 'UNSUBSCRIBE_KEY_ARN'] });

/** The unsubscribe function's whole environment (lib/constructs/unsubscribe-endpoint.ts sets it); the page signs with `SHOP_NAME`. */
export const UNSUBSCRIBE_ENV = combineEnvVars(UNSUBSCRIBE_PIPELINE_ENV, SHOP_NAME_ENV);
