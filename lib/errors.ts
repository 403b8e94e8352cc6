import { RegistryNoticesError } from '../lambdas/platform/errors';

/** Base of every error the CDK app throws on purpose (on the project's one base); anything else is a bug. */
export class NoticesInfraError extends RegistryNoticesError {
  override name = 'NoticesInfraError';
}

/** One or more context values are missing or wrong; `problems` lists each one. */
export class InvalidContextError extends NoticesInfraError {
  override name = 'InvalidContextError';

  public readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: ErrorOptions) {
    super(
      `Invalid CDK context (cdk.json "context" or -c key=value), ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      options,
    );
    this.problems = problems;
  }
}

/** A construct got props that conflict or that AWS would reject; `problems` lists each one. */
export class InvalidPropsError extends NoticesInfraError {
  override name = 'InvalidPropsError';

  public readonly problems: readonly string[];

  constructor(construct: string, problems: readonly string[], options?: ErrorOptions) {
    super(`Invalid props for ${construct}:\n` + problems.map((p) => `  - ${p}`).join('\n'), options);
    this.problems = problems;
  }
}
