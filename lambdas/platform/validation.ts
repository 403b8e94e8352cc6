import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * The validation core every function's validation middleware is built on: a Standard Schema
 * (zod, zod/mini, valibot, ...) checks a value, and what it says comes back as plain issues
 * that name the field and the rule. No Middy and no AWS here, so it is callable from
 * anywhere (middlewares, the CLI, tests).
 */

/** One broken rule: the field's dotted path (or a root name such as `(body)`) and what it must be. */
export interface ValidationIssue {
  readonly field: string;
  readonly rule: string;
}

/** A value that passed its schema, or every rule it broke. */
export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** How a text is checked before its schema sees it. */
export interface JsonTextOptions {
  /** Texts longer than this (UTF-8 bytes) are refused unparsed. */
  readonly maxBytes: number;
  /**
   * The field name of issues about the text as a whole (size, JSON syntax, wrong top-level type).
   *
   * @default '(body)'
   */
  readonly rootField?: string;
}

/**
 * Most issues one validation reports: a body of thousands of unknown keys (up to Lambda's 6 MB)
 * would otherwise make an answer, a log line or a quarantine envelope larger than its limit.
 */
export const MAX_VALIDATION_ISSUES = 100;

/**
 * Turns a Standard Schema's issues into field + rule pairs (at most {@link MAX_VALIDATION_ISSUES}:
 * past that, the last one counts the rest): the path joined with dots, the
 * schema's message as the rule, `rootField` for an issue about the value itself.
 *
 * @example
 * toValidationIssues([{ message: 'must be at most 99', path: ['item', 'quantity'] }]) // [{ field: 'item.quantity', rule: 'must be at most 99' }]
 */
export function toValidationIssues(issues: readonly StandardSchemaV1.Issue[], rootField = '(body)'): ValidationIssue[] {
  // The one place every function's issues are made, so the cap holds for answers, logs and quarantine alike.
  const listed = issues.length > MAX_VALIDATION_ISSUES ? issues.slice(0, MAX_VALIDATION_ISSUES - 1) : issues;
  const named = listed.map((issue) => {
    // An empty key (`{"": 1}`) shows as `""`, so no issue has an empty field.
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment) || '""');
    return { field: path.length > 0 ? path.join('.') : rootField, rule: issue.message };
  });
  if (listed.length < issues.length) named.push({ field: rootField, rule: `has ${issues.length - listed.length} more broken rules not listed (at most ${MAX_VALIDATION_ISSUES} issues are)` });
  return named;
}

/**
 * Checks a value against a Standard Schema. Never throws for a bad value: it comes back as
 * issues. The schema must validate synchronously (zod's and valibot's do, unless given an
 * async refinement): a batch of records is then checked without a promise per record, and a
 * line-by-line file import stays a plain loop.
 *
 * @throws TypeError when the schema answers with a promise (a programming error, not bad input).
 */
export function validateValue<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, rootField = '(body)'): Validated<T> {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) throw new TypeError(`the ${schema['~standard'].vendor} schema validates asynchronously; use a synchronous one`);
  return result.issues ? { ok: false, issues: toValidationIssues(result.issues, rootField) } : { ok: true, value: result.value };
}

/**
 * Parses a JSON text (an SQS body, a line of a file) and checks it against a Standard Schema:
 * too large, not JSON, or any broken rule all come back as issues, never as a throw.
 *
 * @example
 * validateJsonText('{"schemaVersion":2}', purchaseMessageSchema, { maxBytes: 16_384 })
 * // { ok: false, issues: [{ field: 'schemaVersion', rule: 'must be the integer 1' }, ...] }
 */
export function validateJsonText<T>(
  text: string,
  schema: StandardSchemaV1<unknown, T>,
  options: JsonTextOptions,
): Validated<T> {
  const rootField = options.rootField ?? '(body)';
  // Cheap length test first: a UTF-8 byte is at most one UTF-16 unit, at least a third of one.
  if (text.length > options.maxBytes || (text.length * 3 > options.maxBytes && Buffer.byteLength(text, 'utf8') > options.maxBytes)) {
    return refused(rootField, `must be at most ${options.maxBytes} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refused(rootField, 'must be valid JSON');
  }
  return validateValue(schema, json, rootField);
}

function refused(field: string, rule: string): Validated<never> {
  return { ok: false, issues: [{ field, rule }] };
}

/** What `maskFieldNames` puts in place of a name the producer chose. */
export const MASKED_FIELD = '[unknown field]';

/**
 * Masks, for a log line, every path segment that is not one of the contract's own field names
 * (or an array index): unknown field names are the producer's text and can carry a name, a
 * sensitive phrase or a U+202E. The quarantine (encrypted, 14 days) keeps them as they were.
 *
 * @example
 * maskFieldNames([{ field: 'item.Ann Smith', rule: 'is not a field of purchase message v1' }], new Set(['item']))
 * // [{ field: 'item.[unknown field]', rule: 'is not a field of purchase message v1' }]
 */
export function maskFieldNames(issues: readonly ValidationIssue[], knownFields: ReadonlySet<string>): ValidationIssue[] {
  return issues.map(({ field, rule }) => ({
    field: field
      .split('.')
      // An array index (short digits) or a root name such as `(body)` is ours; anything else the producer's.
      .map((segment) => (knownFields.has(segment) || /^(\d{1,4}|\(\w+\))$/.test(segment) ? segment : MASKED_FIELD))
      .join('.'),
    rule,
  }));
}
