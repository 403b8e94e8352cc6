import { envVars } from '../../platform/env';

/**
 * What a sending function signs its unsubscribe links with (`unsubscribeLinksFromEnv`;
 * `UnsubscribeEndpoint.grantIssueLinks` sets them): the endpoint's base URL, the KMS link key
 * (the token's MAC), the KMS seal key (the token's seal is derived from it), and how many days a
 * link stays valid.
 */
export const UNSUBSCRIBE_LINKS_ENV = envVars({
  required: ['UNSUBSCRIBE_BASE_URL', 'UNSUBSCRIBE_KEY_ARN', 'UNSUBSCRIBE_SEAL_KEY_ARN'],
  optional: { UNSUBSCRIBE_LINK_DAYS: 90 },
});
