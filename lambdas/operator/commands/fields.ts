import * as z from 'zod/mini';
import { INCIDENT_ID_PATTERN } from '../../domain/audit/incident';

/** A string field; `is required` when absent, as every contract of ours says it. */
export function stringField(): z.ZodMiniString {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });
}

/** The incident a command is about. */
export const incidentIdField = stringField().check(
  z.regex(INCIDENT_ID_PATTERN, { error: 'must be 3-64 characters of a-z 0-9 -, starting with a letter or digit' }),
);
