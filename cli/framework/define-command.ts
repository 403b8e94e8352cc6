import type { ProgressOutput } from './progress-bar';
import type { TargetOptions } from '../stack-target';

/** One `--flag` of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One line for the help text. */
  readonly description: string;
  /** How the value reads in the help text, e.g. `<iso>`. @default '<value>' */
  readonly placeholder?: string;
  /** The command is refused without it (string options only). @default false */
  readonly required?: boolean;
  readonly short?: string;
  readonly default?: string | boolean;
}

/** One positional argument of a command. */
export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  /** The last argument may take one value or more (`<name…>`): its value is the list. @default false */
  readonly variadic?: boolean;
}

/** What a command prints to and reads from. */
export interface CommandIo {
  /** One line of normal output. */
  readonly print: (line: string) => void;
  /** Where progress bars go (a TTY gets a redrawn bar). */
  readonly out: ProgressOutput;
  /** The environment (credentials for the local endpoint). */
  readonly env: NodeJS.ProcessEnv;
}

type OptionValue<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['required'] extends true ? string : O['default'] extends string ? string : string | undefined;

/** The parsed options of a command, typed from its specs. */
export type OptionValues<O extends Readonly<Record<string, OptionSpec>>> = { readonly [K in keyof O]: OptionValue<O[K]> };

/** The parsed positionals of a command, by name (a list for a variadic one). */
export type ArgValues<A extends readonly ArgSpec[]> = {
  readonly [S in A[number] as S['name']]: S extends { readonly variadic: true } ? readonly string[] : string;
};

/** What a command's `run` gets. */
export interface CommandInput<O extends Readonly<Record<string, OptionSpec>>, A extends readonly ArgSpec[]> {
  readonly args: ArgValues<A>;
  readonly options: OptionValues<O>;
  /** Which stack the target flags (`--aws`, `--state`, …) name; the defaults when the command takes none. */
  readonly target: TargetOptions;
  readonly io: CommandIo;
}

/** A command of the CLI: its words, help, options and arguments, and what it does. */
export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>, A extends readonly ArgSpec[] = readonly ArgSpec[]> {
  /** The words that call it, e.g. `campaign run`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** More lines for `--help`. */
  readonly details?: readonly string[];
  readonly args?: A;
  readonly options?: O;
  /**
   * Which target flags it takes: `operator` (the operator endpoint, local or `--aws`), `stack`
   * (writes to the stack's queues and tables directly), or none.
   *
   * @default 'none'
   */
  readonly target?: 'operator' | 'stack' | 'none';
  /** Example lines for `--help`. */
  readonly examples?: readonly string[];
  /** Does the work; resolves to the exit code (0 when nothing is returned). */
  readonly run: (input: CommandInput<O, A>) => Promise<number | void>;
}

/** A command as the registry keeps it. */
export type Command = CommandSpec<Readonly<Record<string, OptionSpec>>, readonly ArgSpec[]>;

/**
 * Declares a command: its options and arguments are what its `--help` shows and what the
 * parser accepts, from one declaration, so the two cannot drift. Register it in `cli/commands/index.ts`.
 *
 * @example
 * export const campaignStatus = defineCommand({
 *   name: 'campaign status',
 *   summary: "an incident's campaign: state, approval, apologies by outcome",
 *   args: [{ name: 'incidentId', description: 'the incident' }],
 *   target: 'operator',
 *   run: async ({ args, options, io }) => { ... },
 * });
 */
export function defineCommand<const O extends Readonly<Record<string, OptionSpec>> = Record<never, OptionSpec>, const A extends readonly ArgSpec[] = readonly []>(
  spec: CommandSpec<O, A>,
): Command {
  return spec as unknown as Command;
}
