#!/usr/bin/env -S npx tsx
// registry-notices command line. `npx tsx cli/main.ts help` lists the commands.
import { pathToFileURL } from 'node:url';
import type { ProgressOutput } from './framework/progress-bar';
import { COMMANDS } from './commands';
import { runCli } from './framework/run-cli';

/** Where the command line prints and what it reads besides its arguments. */
export interface MainIo {
  /** Usage and error messages. @default console.error */
  readonly error?: (line: string) => void;
  /** Progress bars. @default process.stdout */
  readonly out?: ProgressOutput;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the command line; returns the process exit code (0 done, 1 refused or failed, 2 usage).
 *
 * @example
 * await main(['campaign', 'status', 'inc-legacy', '--state', '.local/stack.json']);
 */
export function main(argv: readonly string[], print: (line: string) => void = console.log, io: MainIo = {}): Promise<number> {
  return runCli(COMMANDS, argv, { print, error: io.error ?? console.error, out: io.out ?? process.stdout, env: io.env ?? process.env });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Operator errors are printed by runCli; what reaches here is a bug and keeps its stack.
      console.error(error);
      process.exit(1);
    },
  );
}
