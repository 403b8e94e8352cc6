import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isForTheOperator } from '../operator-error';
import { UsageError } from '../errors';
import { TARGET_OPTIONS, type TargetOptions } from '../stack-target';
import type { ArgSpec, Command, CommandIo, OptionSpec } from './define-command';

/** The target flags as the help text shows them. */
const TARGET_HELP: readonly (readonly [string, string])[] = [
  ['--aws', 'a deployed stack instead of the local one (credentials and region: the usual AWS_PROFILE / AWS_REGION chain)'],
  ['--outputs-file <file>', 'with --aws: `cdk deploy --outputs-file` output (default cdk-outputs.json)'],
  ['--stack <name>', 'with --aws: the stack name in that file (default RegistryNotices)'],
  ['--state <file>', "the local stack's state file (default .local/stack.json)"],
];

/** The program's name in usage lines. */
export const PROGRAM = 'npx tsx cli/main.ts';

/**
 * Runs one command line against a registry of commands: finds the command by its words,
 * parses its own options and arguments (node:util parseArgs, strict), and runs it. `--help`
 * (or `help <command>`) prints the usage built from the same declaration. A usage error
 * prints the command's usage and exits 2; an operator error (`isForTheOperator`) prints its
 * message and exits 1; anything else is a bug and is thrown.
 *
 * @returns the exit code
 * @example
 * process.exitCode = await runCli(COMMANDS, process.argv.slice(2), io);
 */
export async function runCli(commands: readonly Command[], argv: readonly string[], io: CommandIo & { readonly error: (line: string) => void }): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) || (words[0] === 'help' && words.length === 1)) {
    io.print(globalUsage(commands));
    return 0;
  }
  const helpFor = words[0] === 'help';
  const line = helpFor ? argv.slice(argv.indexOf('help') + 1) : argv;
  const command = findCommand(commands, line);
  if (!command) {
    const group = commands.filter((c) => c.name.split(' ')[0] === line[0]);
    io.error(
      group.length > 0
        ? `"${line.slice(0, 2).join(' ')}" is not a command. ${line[0]} takes:\n${commandList(group)}`
        : `Unknown command "${line[0] ?? ''}".\n\n${globalUsage(commands)}`,
    );
    return 2;
  }
  if (helpFor) {
    io.print(commandUsage(command));
    return 0;
  }
  try {
    const input = parseCommandLine(command, line.slice(command.name.split(' ').length));
    if (input === 'help') {
      io.print(commandUsage(command));
      return 0;
    }
    // The values were parsed from the command's own specs, so they have the types its run expects.
    return (await command.run({ ...input, io } as Parameters<Command['run']>[0])) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(`${error.message}\n\n${commandUsage(command)}`);
      return 2;
    }
    if (isForTheOperator(error)) {
      io.error(error.message);
      return 1;
    }
    throw error;
  }
}

function findCommand(commands: readonly Command[], line: readonly string[]): Command | undefined {
  // The longest name that the line starts with: "campaign run" before a (hypothetical) "campaign".
  return [...commands]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => c.name.split(' ').every((word, i) => line[i] === word));
}

/** A command's part of the line, parsed. */
export interface ParsedLine {
  readonly args: Readonly<Record<string, string | readonly string[]>>;
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly target: TargetOptions;
}

/**
 * Parses a command's own part of the line; `'help'` when `--help` was given.
 *
 * @throws UsageError for an unknown or malformed option, a missing or extra argument, a missing required option
 */
export function parseCommandLine(command: Command, rest: readonly string[]): ParsedLine | 'help' {
  const own = command.options ?? {};
  const takesTarget = (command.target ?? 'none') !== 'none';
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(own)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.default !== undefined ? { default: spec.default } : {}) };
  }
  if (takesTarget) Object.assign(options, TARGET_OPTIONS);
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return 'help' as const;
  const argSpecs = command.args ?? [];
  if (parsed.positionals.length < argSpecs.length) {
    throw new UsageError(`${command.name} needs ${argSpecs.slice(parsed.positionals.length).map((a) => `<${a.name}>`).join(' ')}.`);
  }
  const variadic = argSpecs.at(-1)?.variadic === true;
  if (parsed.positionals.length > argSpecs.length && !variadic) {
    throw new UsageError(`${command.name} takes ${argSpecs.length === 0 ? 'no arguments' : `${argSpecs.length} argument(s)`}; unexpected: ${parsed.positionals.slice(argSpecs.length).join(' ')}.`);
  }
  const missing = Object.entries(own).filter(([name, spec]) => spec.required && (values[name] === undefined || values[name] === ''));
  if (missing.length > 0) throw new UsageError(`${command.name} needs ${missing.map(([name]) => `--${name}`).join(', ')}.`);
  const args = Object.fromEntries(
    argSpecs.map((spec, i) => [spec.name, spec.variadic ? parsed.positionals.slice(i) : parsed.positionals[i]!] as const),
  );
  const commandOptions = Object.fromEntries(Object.keys(own).map((name) => [name, values[name]]));
  const target = {
    aws: values.aws === true,
    stateFile: String(values.state ?? TARGET_OPTIONS.state.default),
    ...(typeof values['outputs-file'] === 'string' ? { outputsFile: values['outputs-file'] } : {}),
    ...(typeof values.stack === 'string' ? { stackName: values.stack } : {}),
  };
  return { args, options: commandOptions, target };
}

/** `<command> --help`: synopsis, details, arguments, options (its own and the target's), examples. */
export function commandUsage(command: Command): string {
  const own = Object.entries(command.options ?? {});
  const synopsis = [
    PROGRAM,
    command.name,
    ...(command.args ?? []).map(argSynopsis),
    ...own.map(([name, spec]) => (spec.required ? optionSynopsis(name, spec) : `[${optionSynopsis(name, spec)}]`)),
  ].join(' ');
  const lines = [`Usage: ${synopsis}`, '', command.summary, ...(command.details ?? [])];
  const args = (command.args ?? []).map((a) => [argSynopsis(a), a.description] as const);
  if (args.length > 0) lines.push('', 'Arguments:', ...table(args));
  const opts = own.map(([name, spec]) => [optionSynopsis(name, spec), spec.description] as const);
  opts.push(['--help', 'this text']);
  lines.push('', 'Options:', ...table(opts));
  if ((command.target ?? 'none') !== 'none') {
    lines.push('', command.target === 'operator' ? 'Target (the operator endpoint of the local stack, or with --aws a deployed one):' : 'Target (writes to the local stack, or with --aws a deployed one):', ...table(TARGET_HELP));
  }
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** `help`: every command with its summary. */
export function globalUsage(commands: readonly Command[]): string {
  return [`Usage: ${PROGRAM} <command> [options]`, '', 'Commands:', commandList(commands), '', `${PROGRAM} <command> --help shows a command's options.`].join('\n');
}

function commandList(commands: readonly Command[]): string {
  return table(commands.map((c) => [`${c.name}${(c.args ?? []).map((a) => ` ${argSynopsis(a)}`).join('')}`, c.summary] as const)).join('\n');
}

function argSynopsis(arg: ArgSpec): string {
  return arg.variadic ? `<${arg.name}…>` : `<${arg.name}>`;
}

function optionSynopsis(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.placeholder ?? '<value>'}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)) + 2);
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${left.length >= width ? `\n  ${' '.repeat(width)}` : ''}${right}`);
}
