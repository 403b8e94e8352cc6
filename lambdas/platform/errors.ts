/**
 * The one base of every error this project raises on purpose: the functions' (lambdas/), the
 * CDK app's (lib/) and the command line's (cli/). Anything else thrown is a bug.
 *
 * Each subclass is written one way, as Powertools writes its errors: its name ends in `Error`,
 * its constructor takes `ErrorOptions` last (for `cause`) and sets `this.name` to the class's
 * name as a literal (bundles are minified, so the class's own name is not kept).
 *
 * @example
 * export class ObjectChangedError extends RegistryNoticesError {
 *   constructor(message: string, options?: ErrorOptions) {
 *     super(message, options);
 *     this.name = 'ObjectChangedError';
 *   }
 * }
 */
export class RegistryNoticesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RegistryNoticesError';
  }
}
