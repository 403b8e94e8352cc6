import { OperatorError } from './operator-error';

/** Base class of the command line's errors: the message is for the operator, no stack trace needed. */
export class CliError extends OperatorError {
  override name = 'CliError';
}

/** A command was called wrongly (unknown command, missing argument, bad flag). */
export class UsageError extends CliError {
  override name = 'UsageError';
}

/** An input file (seed, purchase events) does not follow its documented format. */
export class InputFileError extends CliError {
  override name = 'InputFileError';

  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${file} is not valid:\n  - ${problems.join('\n  - ')}`, options);
  }
}
