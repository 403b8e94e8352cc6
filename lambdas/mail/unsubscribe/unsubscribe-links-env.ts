import { envVars } from '../../platform/env';

/**
 * What a sending function signs its unsubscribe links with (`unsubscribeLinksFromEnv`;
 * `UnsubscribeEndpoint.grantIssueLinks` sets them): the endpoint's base URL, the KMS link key,
 * and how many days a link stays valid.
 */
export const UNSUBSCRIBE_LINKS_ENV = envVars({
  required: ['UNSUBSCRIBE_BASE_URL', 'UNSUBSCRIBE_KEY_ARN'],
  optional: { UNSUBSCRIBE_LINK_DAYS: 90 },
});
