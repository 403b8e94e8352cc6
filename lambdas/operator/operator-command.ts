import type * as z from 'zod/mini';
import type { RunReport } from '../audit/run-once';
import type { OperatorCaller } from './caller';
import type { OperatorCommandName } from './command-catalog';
import type { OperatorDeps } from './operator-deps';

/** What a command runs with: the function's wiring, the verified caller, the time left. */
export interface OperatorContext {
  readonly deps: OperatorDeps;
  readonly caller: OperatorCaller;
  /** Milliseconds left in this invocation (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
  /** Logs and counts an audit run a command made, as the scheduled function does (the alarms watch it). */
  readonly reportRun: (report: RunReport) => void;
}

/**
 * One command of the operator endpoint: its name (the `command` field of a request, the same
 * words as the CLI's), its arguments as a strict object schema (unknown fields are refused),
 * and the use case it runs. The result is the JSON answer's `result`.
 */
export interface OperatorCommand<N extends string = string, S extends z.ZodMiniObject = z.ZodMiniObject, R = unknown> {
  readonly name: N;
  /** The request's fields besides `command`. */
  readonly request: S;
  readonly run: (request: z.infer<S>, context: OperatorContext) => Promise<R>;
}

/**
 * Declares how the operator function serves a command of the catalog (command-catalog.ts; its
 * summary is the CLI's, the function has no use for it); export it from a module under commands/
 * that commands/index.ts imports: it serves what those modules export (docs/operator.md, "Adding a command").
 *
 * @example
 * export const incidentListCommand = defineOperatorCommand({
 *   name: 'incident list',
 *   request: z.strictObject({}),
 *   run: (_request, { deps }) => listIncidents(deps.run),
 * });
 */
export function defineOperatorCommand<const N extends OperatorCommandName, S extends z.ZodMiniObject, R>(
  command: OperatorCommand<N, S, R>,
): OperatorCommand<N, S, R> {
  return command;
}
