/**
 * Base of every error written for the person at the terminal (what is wrong, what to do):
 * the emulators' (`EmulatorError`), the local stack's (`LocalStackError`) and the
 * command line's (`CliError`). `npm start` and the CLI print its message without a stack
 * trace; anything else is a bug and keeps its stack.
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
}
