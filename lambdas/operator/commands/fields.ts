import * as z from 'zod/mini';
import { INCIDENT_ID_PATTERN } from '../../audit/incident';
import { typeRule } from '../../platform/contract-schema';

/** A string field; `is required` when absent, as every contract of ours says it. */
export function stringField(): z.ZodMiniString {
  return z.string(typeRule('must be a string'));
}

/** An integer field from `min` to `max`. */
export function integerField(min: number, max = Number.MAX_SAFE_INTEGER): z.ZodMiniNumber {
  return z.number(typeRule('must be a number')).check(
    z.int({ error: 'must be an integer' }),
    z.gte(min, { error: `must be at least ${min}` }),
    z.lte(max, { error: `must be at most ${max}` }),
  );
}

/** The incident a command is about. */
export const incidentIdField = stringField().check(
  z.regex(INCIDENT_ID_PATTERN, { error: 'must be 3-64 characters of a-z 0-9 -, starting with a letter or digit' }),
);
