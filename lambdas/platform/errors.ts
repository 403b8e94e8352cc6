/**
 * The one base of every error this project raises on purpose: the functions' (lambdas/), the
 * CDK app's (lib/) and the command line's (cli/). Anything else thrown is a bug.
 *
 * Each subclass is written one way: its name ends in `Error`, it declares `name` as the class's
 * name in a literal (bundles are minified, so the class's own name is not kept), and a
 * constructor of its own, if any, takes `ErrorOptions` last (for `cause`).
 *
 * @example
 * export class ObjectChangedError extends RegistryNoticesError {
 *   override name = 'ObjectChangedError';
 * }
 */
export class RegistryNoticesError extends Error {
  override name = 'RegistryNoticesError';
}
