import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { fieldNamesOf } from '../platform/contract-schema';
import { validateJsonText, validateValue, type ValidationIssue } from '../platform/validation';
import type { OperatorCommand } from './operator-command';

/** A request that passed its command's contract. */
export interface ValidRequest {
  readonly command: OperatorCommand;
  readonly args: Readonly<Record<string, unknown>>;
}

/** The function URL event once validated: the event as Lambda gave it, and the request it carries. */
export type OperatorEvent = LambdaFunctionURLEventWithIAMAuthorizer & { readonly operatorRequest: ValidRequest };

/** Lambda's limit on a synchronous request payload: nothing larger reaches the function. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/**
 * The operator's request contract as a Standard Schema of the whole function URL event, for
 * the event validation middleware: the body is JSON `{ "command": "…", …args }`, the command
 * one of `commands`, its arguments checked by the command's own schema (contract objects:
 * one issue per unknown field). The parsed value is the event plus `operatorRequest`.
 * Hand-written as a Standard Schema (rather than one zod schema) because the command picks the
 * schema of the rest, and each issue must name the body's field, not `body.<field>`.
 *
 * @example
 * eventValidationMiddleware({ schema: operatorRequestSchema(OPERATOR_COMMAND_LIST), rootField: '(body)', knownFields: operatorFieldNames(OPERATOR_COMMAND_LIST) })
 */
export function operatorRequestSchema(commands: readonly OperatorCommand[]): StandardSchemaV1<unknown, OperatorEvent> {
  const validate = (value: unknown): StandardSchemaV1.Result<OperatorEvent> => {
    const event = value as Partial<LambdaFunctionURLEventWithIAMAuthorizer> | null;
    const fail = (issues: readonly ValidationIssue[]): StandardSchemaV1.FailureResult => ({
      issues: issues.map((i) => ({ message: i.rule, path: i.field === '(body)' ? [] : i.field.split('.') })),
    });
    if (typeof event?.body !== 'string' || event.body === '') return fail([{ field: '(body)', rule: 'must be a JSON object with a "command" field' }]);
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const read = validateJsonText(text, JSON_OBJECT, { maxBytes: MAX_REQUEST_BYTES });
    if (!read.ok) return fail(read.issues);
    const { command: name, ...args } = read.value;
    if (name === undefined) return fail([{ field: 'command', rule: 'is required' }]);
    const command = commands.find((c) => c.name === name);
    if (!command) return fail([{ field: 'command', rule: `must be one of: ${commands.map((c) => c.name).join(', ')}` }]);
    const checked = validateValue(command.request, args);
    if (!checked.ok) return fail(checked.issues);
    return { value: { ...(event as LambdaFunctionURLEventWithIAMAuthorizer), operatorRequest: { command, args: checked.value as Record<string, unknown> } } };
  };
  return { '~standard': { version: 1, vendor: 'registry-notices', validate } };
}

/** Every field name of every command's request (and `command`): what an error may show unmasked. */
export function operatorFieldNames(commands: readonly OperatorCommand[]): ReadonlySet<string> {
  return new Set(['command', ...commands.flatMap((c) => [...fieldNamesOf(c.request)])]);
}

/** Any JSON object: the body's shape before its command is known. */
const JSON_OBJECT: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'registry-notices',
    validate: (value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { issues: [{ message: 'must be a JSON object' }] },
  },
};
