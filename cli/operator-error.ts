import { LocalStackError } from '@registry-notices/local-stack';
import { RegistryNoticesError } from '../lambdas/platform/errors';

/**
 * Base of the command line's errors written for the person at the terminal (what is wrong,
 * what to do): `CliError` and its kind. `npm start` and the CLI print the message of such an
 * error, or of the local stack's (`LocalStackError`, written the same way), without a stack
 * trace; anything else is a bug and keeps its stack.
 */
export class OperatorError extends RegistryNoticesError {
  override name = 'OperatorError';
}

/** Whether `error` is written for the person at the terminal: ours or the local stack's. */
export function isForTheOperator(error: unknown): error is Error {
  return error instanceof OperatorError || error instanceof LocalStackError;
}
