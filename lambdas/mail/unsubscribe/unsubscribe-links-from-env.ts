import type { KMSClient } from '@aws-sdk/client-kms';
import { readEnv } from '../../platform/env';
import { ConfigurationError } from '../../platform/function-errors';
import { unsubscribeBaseProblem, UnsubscribeLinks } from './unsubscribe-links';
import { KmsMacKey } from './kms-mac-key';
import { kmsTokenSeal } from './kms-token-seal';
import { UNSUBSCRIBE_LINKS_ENV } from './unsubscribe-links-env';

/**
 * The link signer of a sending function, from the variables `UnsubscribeEndpoint.grantIssueLinks`
 * sets ({@link UNSUBSCRIBE_LINKS_ENV}), signing with the KMS link key and sealing with the key
 * derived from the KMS seal key on the first link. A missing or bad setting fails at cold start.
 *
 * @example
 * const unsubscribeLinks = unsubscribeLinksFromEnv(kms);
 */
export function unsubscribeLinksFromEnv(kms: Pick<KMSClient, 'send'>, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): UnsubscribeLinks {
  const e = readEnv(UNSUBSCRIBE_LINKS_ENV, env);
  const problem = unsubscribeBaseProblem(e.UNSUBSCRIBE_BASE_URL);
  if (problem) throw new ConfigurationError(`UNSUBSCRIBE_BASE_URL: ${problem}`);
  return new UnsubscribeLinks({
    baseUrl: e.UNSUBSCRIBE_BASE_URL,
    validityDays: e.UNSUBSCRIBE_LINK_DAYS,
    generateMac: new KmsMacKey(kms, e.UNSUBSCRIBE_KEY_ARN).generate,
    seal: kmsTokenSeal(kms, e.UNSUBSCRIBE_SEAL_KEY_ARN),
    now,
  });
}
