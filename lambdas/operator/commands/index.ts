import { OPERATOR_COMMAND_NAMES, type OperatorCommandName } from '../command-catalog';
import type { OperatorCommand } from '../operator-command';
import * as apology from './apology';
import * as campaign from './campaign';
import * as importing from './import';
import * as incident from './incident';
import * as notice from './notice';
import * as sending from './sending';

export type { OperatorCommandName } from '../command-catalog';

/** What the command modules of this folder export: their commands, and a few limits. */
const modules = { ...importing, ...incident, ...campaign, ...apology, ...notice, ...sending };
type Served = Extract<(typeof modules)[keyof typeof modules], { readonly name: OperatorCommandName; readonly run: unknown }>;

/** The compiler refuses a catalog command no module serves. */
const everyCommandServed: [Exclude<OperatorCommandName, Served['name']>] extends [never] ? true : never = true;
void everyCommandServed;

const served = new Map(
  Object.values(modules)
    .filter((value): value is Served => typeof value === 'object' && value !== null && 'run' in value)
    .map((command) => [command.name, command as unknown as OperatorCommand]),
);

/** The `result` a command answers with. */
export type OperatorResult<N extends OperatorCommandName> = Awaited<ReturnType<Extract<Served, { name: N }>['run']>>;

/** The arguments a command takes (the request without `command`). */
export type OperatorArgs<N extends OperatorCommandName> = Parameters<Extract<Served, { name: N }>['run']>[0];

/** Every command the operator endpoint serves, in the catalog's order (command-catalog.ts), as the validation middleware takes them. */
export const OPERATOR_COMMAND_LIST: readonly OperatorCommand[] = OPERATOR_COMMAND_NAMES.map((name) => served.get(name)!);
