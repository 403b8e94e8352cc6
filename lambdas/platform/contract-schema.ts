import * as z from 'zod/mini';

/**
 * Building blocks of our message contracts (purchase message, send log line, events), in
 * zod/mini: the same zod, but tree-shakable functions instead of methods, so a function bundle
 * carries about 20 KB of it instead of 450 KB (zod's full import drags in its 64 locales).
 * Every contract speaks the same way: a missing field `is required`, a wrong type names the
 * type, an unknown field gets one issue of its own.
 */

/**
 * Error settings of a typed field: `is required` when the field is absent (JSON has no
 * `undefined`, so an absent input means a missing key), `rule` when it has the wrong type.
 *
 * @example
 * z.string(typeRule('must be a string'))
 */
export function typeRule(rule: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => (issue.input === undefined ? 'is required' : rule) };
}

/**
 * A JSON object with exactly these fields. zod's strict object reports all unknown keys in one
 * issue at the object's path; a catchall that refuses every value gives each unknown field an
 * issue at its own path, so a producer sees exactly what to remove.
 *
 * @example
 * contractObject({ itemId: identifier }, 'purchase message v1') // {"itemId":"i","price":1} -> price: is not a field of purchase message v1
 */
export function contractObject<S extends z.core.$ZodLooseShape>(
  shape: S,
  contract: string,
  rule = 'must be an object',
): z.ZodMiniObject<S, z.core.$strict> {
  const refuseEveryValue = z.custom<unknown>(() => false, { error: `is not a field of ${contract}` });
  // The cast drops the catchall's `[key: string]: unknown` from the output type: the catchall
  // refuses every unknown key, so a parsed value never has one.
  return z.catchall(z.object(shape, typeRule(rule)), refuseEveryValue) as unknown as z.ZodMiniObject<S, z.core.$strict>;
}

/** A string field of 1..max characters. */
export function text(max: number, options: { min?: number } = {}): z.ZodMiniString {
  const min = options.min ?? 1;
  return z.string(typeRule('must be a string')).check(
    ...(min > 0 ? [z.minLength(min, { error: 'must not be empty' })] : []),
    z.maxLength(max, { error: `must be at most ${max} characters` }),
  );
}

/** An RFC 3339 date-time with a time zone (`2026-03-01T09:00:00Z`, `…+01:00`): every instant of our contracts. */
export function instant(): z.ZodMiniISODateTime {
  return z.iso.datetime({ offset: true, ...typeRule('must be an RFC 3339 date-time with a time zone') });
}

/** Every field name of a contract at any depth: what a log may show of an issue's path (`maskFieldNames`). */
export function fieldNamesOf(schema: z.core.$ZodType): Set<string> {
  const names = new Set<string>();
  const visit = (node: z.core.$ZodType): void => {
    const def = node._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.shape) {
      for (const [name, child] of Object.entries(def.shape)) {
        names.add(name);
        visit(child);
      }
    }
    if (def.innerType) visit(def.innerType);
    if (def.in) visit(def.in);
  };
  visit(schema);
  return names;
}
