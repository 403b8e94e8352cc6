import type { MiddlewareObj, Request } from '@middy/core';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import type { ZodError } from 'zod';
import { contractIssues, readJsonBody } from '../domain/contract-issues';
import { InvalidRequestError } from './errors';
import type { OperatorCommand } from './operator-command';

/** Lambda's limit on a synchronous request payload: nothing larger reaches the function. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** A request that passed its command's contract. */
export interface ValidRequest {
  readonly command: OperatorCommand;
  readonly args: Readonly<Record<string, unknown>>;
}

/** The function URL event once validated: `operatorRequest` is set for the handler. */
export type OperatorEvent = LambdaFunctionURLEventWithIAMAuthorizer & { operatorRequest?: ValidRequest };

/**
 * Reads an operator request from a function URL body: JSON `{ "command": "…", …args }`, the
 * command one of `commands`, its arguments checked by the command's schema. Every broken rule
 * comes back at once, each naming the field.
 *
 * @throws InvalidRequestError listing every issue
 * @example
 * parseOperatorRequest('{"command":"campaign status"}', false, OPERATOR_COMMANDS)
 * // throws: incidentId: is required
 */
export function parseOperatorRequest(body: string | undefined, isBase64Encoded: boolean, commands: readonly OperatorCommand[]): ValidRequest {
  const refuse = (field: string, rule: string): never => {
    throw new InvalidRequestError([{ field, rule }]);
  };
  if (body === undefined || body === '') return refuse('(body)', 'must be a JSON object with a "command" field');
  const read = readJsonBody(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body, MAX_REQUEST_BYTES);
  if (!read.ok) throw new InvalidRequestError(read.issues);
  const { json } = read;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return refuse('(body)', 'must be a JSON object');
  const { command: name, ...args } = json as Record<string, unknown>;
  if (name === undefined) return refuse('command', 'is required');
  const command = commands.find((c) => c.name === name);
  if (!command) return refuse('command', `must be one of: ${commands.map((c) => c.name).join(', ')}`);
  const parsed = command.request.safeParse(args);
  // zod/mini's error has the same issues as zod's, which contractIssues reads.
  if (!parsed.success) throw new InvalidRequestError(contractIssues(parsed.error as ZodError, args, `"${command.name}"`));
  return { command, args: parsed.data as Record<string, unknown> };
}

/**
 * Middy middleware: validates the function URL request before the handler runs (which then
 * finds it in `event.operatorRequest`); an invalid one throws {@link InvalidRequestError} and
 * the handler never runs. The core, {@link parseOperatorRequest}, needs no Middy.
 *
 * @example
 * middy(handler).use(operatorRequestValidation({ commands: OPERATOR_COMMANDS }))
 */
export function operatorRequestValidation(options: { readonly commands: readonly OperatorCommand[] }): MiddlewareObj<OperatorEvent> {
  const operatorRequestValidationBefore = (request: Request<OperatorEvent>): void => {
    request.event.operatorRequest = parseOperatorRequest(request.event.body, request.event.isBase64Encoded, options.commands);
  };
  return { before: operatorRequestValidationBefore };
}
