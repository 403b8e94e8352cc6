import { OPERATOR_COMMAND_SUMMARIES, type OperatorCommandName } from '../../lambdas/operator/command-catalog';
import { defineCommand, type ArgSpec, type Command, type CommandInput, type CommandSpec, type OptionSpec } from '../framework/define-command';
import { operatorEndpoint, type OperatorEndpoint } from './operator-endpoint';

/** What an operator command's `run` gets: the command's input and the operator endpoint of the target stack. */
export interface OperatorCliInput<O extends Readonly<Record<string, OptionSpec>>, A extends readonly ArgSpec[]> extends CommandInput<O, A> {
  readonly endpoint: OperatorEndpoint;
}

/** An operator command of the CLI: a {@link CommandSpec} whose name is in the catalog, which gives its summary. */
export interface OperatorCliCommandSpec<N extends OperatorCommandName, O extends Readonly<Record<string, OptionSpec>>, A extends readonly ArgSpec[]>
  extends Omit<CommandSpec<O, A>, 'name' | 'summary' | 'target' | 'run'> {
  readonly name: N;
  readonly run: (input: OperatorCliInput<O, A>) => Promise<number | void>;
}

/**
 * Declares the CLI side of an operator command of the catalog (lambdas/operator/command-catalog.ts):
 * name and summary as the catalog has them, the target flags (`--aws`, `--state`, …), and a
 * `run` that gets the operator endpoint those flags name. Register it in `cli/commands/index.ts`.
 *
 * @example
 * export const incidentListCommand = defineOperatorCliCommand({
 *   name: 'incident list',
 *   run: async ({ endpoint, io }) => { for (const l of await endpoint.call('incident list', {})) io.print(l.incident.incidentId); },
 * });
 */
export function defineOperatorCliCommand<
  const N extends OperatorCommandName,
  const O extends Readonly<Record<string, OptionSpec>> = Record<never, OptionSpec>,
  const A extends readonly ArgSpec[] = readonly [],
>(spec: OperatorCliCommandSpec<N, O, A>): Command {
  const { run, ...rest } = spec;
  return defineCommand<O, A>({
    ...rest,
    summary: OPERATOR_COMMAND_SUMMARIES[spec.name],
    target: 'operator',
    run: (input) => run({ ...input, endpoint: operatorEndpoint(input.target, input.io.env) }),
  });
}
