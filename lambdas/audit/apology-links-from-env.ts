import { linkConfigProblems, type LinkConfig } from '../mail/link-config';
import { ConfigurationError } from '../platform/function-errors';

/**
 * What an apology links to besides its signed unsubscribe link: help only (the registry base
 * is not used, but checked like the others). A malformed URL fails loudly at cold start.
 */
export function apologyLinksFromEnv(e: Readonly<Record<'HELP_URL', string>>): LinkConfig {
  const links: LinkConfig = { registryBaseUrl: e.HELP_URL, helpUrl: e.HELP_URL };
  const problems = linkConfigProblems(links);
  if (problems.length > 0) throw new ConfigurationError(`bad link settings: ${problems.join('; ')}`);
  return links;
}
