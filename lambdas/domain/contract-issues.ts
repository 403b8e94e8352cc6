import type { z } from 'zod';

/** One broken rule: the field's dotted path and what it must be. */
export interface MessageIssue {
  readonly field: string;
  readonly rule: string;
}

/**
 * A contract's schema errors as one issue per broken rule, each naming the field: one per
 * unknown field (so a producer sees exactly what to remove), `is required` for a missing one.
 *
 * @example
 * contractIssues(schema.safeParse(json).error!, json, 'purchase message v1')
 * // [{ field: 'recipientEmail', rule: 'is not a field of purchase message v1' }]
 */
export function contractIssues(error: z.ZodError, json: unknown, contract: string): MessageIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: path ? `${path}.${k}` : k, rule: `is not a field of ${contract}` }));
    }
    if (path && !hasPath(json, issue.path)) {
      return [{ field: path, rule: 'is required' }];
    }
    return [{ field: path || '(body)', rule: issue.message }];
  });
}

function hasPath(json: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = json;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

/**
 * An SQS message body (or a file's line) as JSON, or why it is not: too large, or not JSON.
 *
 * @example
 * readJsonBody('{"a":1}', 1024) // { ok: true, json: { a: 1 } }
 */
export function readJsonBody(
  body: string,
  maxBytes: number,
): { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly issues: readonly MessageIssue[] } {
  if (Buffer.byteLength(body, 'utf8') > maxBytes) {
    return { ok: false, issues: [{ field: '(body)', rule: `must be at most ${maxBytes} bytes` }] };
  }
  try {
    return { ok: true, json: JSON.parse(body) as unknown };
  } catch {
    return { ok: false, issues: [{ field: '(body)', rule: 'must be valid JSON' }] };
  }
}
