import { OPERATOR_COMMAND_NAMES, type OperatorCommandName } from '../../lambdas/operator/command-catalog';

/**
 * The operator commands the console sends (as the CLI sends them: the same names and fields);
 * the server forwards nothing else. `import` stays the CLI's (files of up to millions of lines).
 */
export const CONSOLE_COMMANDS: readonly OperatorCommandName[] = OPERATOR_COMMAND_NAMES.filter((name) => name !== 'import');

/** What `GET /api/session` answers: which stack, and as whom the endpoint will see this console's requests. */
export interface ConsoleSession {
  /** "local stack (pid 123)" or "AWS, stack RegistryNotices". */
  readonly target: string;
  /** The IAM identity the requests are signed as (locally `arn:aws:iam::000000000000:user/<key>`). */
  readonly identity: string;
}

/** What `POST /api/operator` answers: the command's `result`, or the endpoint's refusal in its own words. */
export type ConsoleAnswer<R> = { readonly result: R } | { readonly error: { readonly code: string; readonly message: string } };
