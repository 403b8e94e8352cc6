import type { KMSClient } from '@aws-sdk/client-kms';
import { positiveIntFromEnv, requireEnv } from '../../platform/env';
import { ConfigurationError } from '../../platform/function-errors';
import { unsubscribeBaseProblem, UnsubscribeLinks } from './unsubscribe-links';
import { KmsMacKey } from './kms-mac-key';

/**
 * The link signer of a sending function, from the variables `UnsubscribeEndpoint.grantIssueLinks`
 * sets (`UNSUBSCRIBE_BASE_URL`, `UNSUBSCRIBE_KEY_ARN`, `UNSUBSCRIBE_LINK_DAYS`), signing with
 * the KMS link key. A missing or bad setting fails at cold start.
 *
 * @example
 * const unsubscribeLinks = unsubscribeLinksFromEnv(kms);
 */
export function unsubscribeLinksFromEnv(kms: Pick<KMSClient, 'send'>, env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): UnsubscribeLinks {
  const e = requireEnv(['UNSUBSCRIBE_BASE_URL', 'UNSUBSCRIBE_KEY_ARN'], env);
  const problem = unsubscribeBaseProblem(e.UNSUBSCRIBE_BASE_URL);
  if (problem) throw new ConfigurationError(`UNSUBSCRIBE_BASE_URL: ${problem}`);
  return new UnsubscribeLinks({
    baseUrl: e.UNSUBSCRIBE_BASE_URL,
    validityDays: positiveIntFromEnv('UNSUBSCRIBE_LINK_DAYS', 90, env),
    generateMac: new KmsMacKey(kms, e.UNSUBSCRIBE_KEY_ARN).generate,
    now,
  });
}
