import type { Incident } from '../../lambdas/audit/incident';
import { defineOperatorCliCommand } from '../operator/operator-cli-command';

/**
 * `incident declare`: records an incident whose rows the audit re-checks and whose wrongly
 * notified addresses get one apology each. The endpoint records the caller's IAM ARN.
 */
export const incidentDeclareCommand = defineOperatorCliCommand({
  name: 'incident declare',
  options: {
    description: { type: 'string', required: true, placeholder: '<text>', description: 'what happened (1-500 characters)' },
    from: { type: 'string', placeholder: '<iso>', description: 'start of the window (inclusive), with --to' },
    to: { type: 'string', placeholder: '<iso>', description: 'end of the window (exclusive), with --from' },
    source: { type: 'string', placeholder: '<name>', description: 'the sending system (an imported source, or registry-notices)' },
    id: { type: 'string', placeholder: '<id>', description: 'the incident id (default inc-<date>-<random>)' },
  },
  examples: ['npx tsx cli/main.ts incident declare --id inc-legacy --source legacy-crm --description "legacy CRM blast"'],
  run: async ({ options, endpoint, io }) => {
    const incident = await endpoint.call('incident declare', {
      description: options.description,
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.to !== undefined ? { to: options.to } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
    });
    io.print(`Declared incident ${incident.incidentId} in the ${endpoint.description}: ${describeScope(incident)}, by ${incident.declaredBy}.`);
    io.print(`Next: npx tsx cli/main.ts campaign dry-run ${incident.incidentId}`);
  },
});

/** `incident list`: every declared incident with its scope, audit progress and campaign. */
export const incidentListCommand = defineOperatorCliCommand({
  name: 'incident list',
  run: async ({ endpoint, io }) => {
    const listings = await endpoint.call('incident list', {});
    if (listings.length === 0) io.print(`No incidents declared in the ${endpoint.description}.`);
    for (const { incident: i, campaign } of listings) {
      io.print(
        `${i.incidentId}  ${describeScope(i)}  audited: ${i.sweep.done ? 'yes' : 'in progress'}  ` +
          `campaign: ${campaign ? `${campaign.state} (${campaign.summary.toApologise} to apologise)` : 'not planned'}`,
      );
      io.print(`    ${i.description}`);
    }
  },
});

function describeScope(i: Incident): string {
  const parts: string[] = [];
  if (i.windowStart && i.windowEnd) parts.push(`${i.windowStart} to ${i.windowEnd}`);
  if (i.source) parts.push(`source ${i.source}`);
  return parts.join(', ');
}
