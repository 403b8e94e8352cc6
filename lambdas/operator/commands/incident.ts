import * as z from 'zod/mini';
import { listIncidents } from '../../audit/campaign/campaign-status';
import { declareIncident } from '../../audit/declare-incident';
import { defineOperatorCommand } from '../operator-command';
import { contractObject } from '../../platform/contract-schema';
import { stringField } from './fields';

/**
 * `incident declare`: records an incident (a time window and/or a source) whose rows are
 * re-audited and whose wrongly notified addresses get one apology each. The caller's IAM ARN
 * is recorded as `declaredBy`: above the approval threshold they may not approve its campaign.
 */
export const incidentDeclareCommand = defineOperatorCommand({
  name: 'incident declare',
  request: contractObject(
    {
      description: stringField(),
      from: z.optional(stringField()),
      to: z.optional(stringField()),
      source: z.optional(stringField()),
      id: z.optional(stringField()),
    },
    '"incident declare"',
  ),
  run: (r, { deps, caller }) =>
    declareIncident(
      {
        description: r.description,
        ...(r.from !== undefined ? { windowStart: r.from } : {}),
        ...(r.to !== undefined ? { windowEnd: r.to } : {}),
        ...(r.source !== undefined ? { source: r.source } : {}),
        ...(r.id !== undefined ? { incidentId: r.id } : {}),
        declaredBy: caller.arn,
      },
      deps.run.incidents,
      deps.run.now(),
    ),
});

/** `incident list`: every declared incident, with its audit progress and campaign. */
export const incidentListCommand = defineOperatorCommand({
  name: 'incident list',
  request: contractObject({}, '"incident list"'),
  run: (_request, { deps }) => listIncidents(deps.run),
});
