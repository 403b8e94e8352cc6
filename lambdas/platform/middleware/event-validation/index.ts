import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { MiddlewareObj, Request } from '@middy/core';
import { InvalidEventError } from '../../function-errors';
import { maskFieldNames, validateValue } from '../../validation';

export interface EventValidationOptions<T> {
  /** The contract of the whole event, as a Standard Schema (zod, zod/mini, valibot, ...). */
  readonly schema: StandardSchemaV1<unknown, T>;
  /**
   * The field name of issues about the event as a whole.
   *
   * @default '(event)'
   */
  readonly rootField?: string;
  /**
   * The contract's own field names; others are masked in the error (which Lambda logs).
   *
   * @default - none: every name is masked
   */
  readonly knownFields?: ReadonlySet<string>;
}

const defaults = {
  rootField: '(event)',
  knownFields: new Set<string>() as ReadonlySet<string>,
};

/**
 * The core of the middleware, callable without Middy: the event parsed by its schema, or an
 * {@link InvalidEventError} naming every broken rule (field names outside the contract masked).
 *
 * @example
 * const event = parseEvent(rawEvent, { schema: auditRunEventSchema });
 */
export function parseEvent<T>(event: unknown, opts: EventValidationOptions<T>): T {
  const options = { ...defaults, ...opts };
  const result = validateValue(options.schema, event, options.rootField);
  if (!result.ok) throw new InvalidEventError(maskFieldNames(result.issues, options.knownFields));
  return result.value;
}

/**
 * Middy middleware for an event that is not a batch of records (a schedule's payload, an
 * operator's request): validates it against a Standard Schema before the handler, which then
 * gets the parsed, typed value. An invalid event fails the invocation with
 * {@link InvalidEventError} (every broken rule) and the handler never runs. For SQS batches,
 * where one bad record must not fail the others, use `sqsRecordValidationMiddleware`.
 *
 * @example
 * export const handler = middy()
 *   .use(injectLambdaContext(logger))
 *   .use(eventValidationMiddleware({ schema: auditRunEventSchema }))
 *   .handler(async (event: AuditRunEvent, context) => ...);
 */
export function eventValidationMiddleware<T>(opts: EventValidationOptions<T>): MiddlewareObj<T> {
  // Typed as what the handler gets; before this phase the event is whatever the caller sent.
  const eventValidationMiddlewareBefore = (request: Request<T>): void => {
    request.event = parseEvent(request.event as unknown, opts);
  };
  return { before: eventValidationMiddlewareBefore };
}
