import type * as z from 'zod/mini';
import type { RunReport } from '../audit/run-once';
import type { OperatorCaller } from './caller';
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
  /** One line, for the docs and error messages. */
  readonly summary: string;
  /** The request's fields besides `command`. */
  readonly request: S;
  readonly run: (request: z.infer<S>, context: OperatorContext) => Promise<R>;
}

/**
 * Declares an operator command; add it to `OPERATOR_COMMANDS` (commands/index.ts) to serve it.
 *
 * @example
 * export const incidentListCommand = defineOperatorCommand({
 *   name: 'incident list',
 *   summary: 'every declared incident with its campaign',
 *   request: z.strictObject({}),
 *   run: (_request, { deps }) => listIncidents(deps.run),
 * });
 */
export function defineOperatorCommand<const N extends string, S extends z.ZodMiniObject, R>(command: OperatorCommand<N, S, R>): OperatorCommand<N, S, R> {
  return command;
}
