import { combineEnvVars, envVars, SHOP_NAME_ENV } from '../../platform/env';

/**
 * The apology preview function's environment (lib/constructs/operator-endpoint.ts sets it):
 * what the apology sender renders with. `HELP_URL` and `SHOP_NAME` as the sender has them
 * (`AuditApology.bindApologyPreview`); `UNSUBSCRIBE_BASE_URL` the unsubscribe endpoint's base the
 * sender signs links under (`OperatorEndpoint`'s `unsubscribeLinkBaseUrl`), so the preview shows
 * the sender's List-Unsubscribe.
 */
export const APOLOGY_PREVIEW_ENV = combineEnvVars(envVars({ required: ['HELP_URL'], optional: { UNSUBSCRIBE_BASE_URL: undefined } }), SHOP_NAME_ENV);
