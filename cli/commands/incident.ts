import { declareIncident } from '../../lambdas/audit/declare-incident';
import { InvalidIncidentError } from '../../lambdas/audit/errors';
import type { Incident, IncidentDeclaration } from '../../lambdas/domain/audit/incident';
import type { StoredIncident } from '../../lambdas/ports/incidents';
import type { AuditCliTarget } from '../audit/audit-target';
import { UsageError } from '../errors';

/**
 * `incident declare --description <text> [--from <iso> --to <iso>] [--source <name>] [--id <id>]`:
 * records an incident whose rows the audit re-checks and whose wrongly notified addresses
 * get one apology each.
 *
 * @example
 * await incidentDeclareCommand(target, { description: 'CRM blast', source: 'legacy-crm' }, console.log);
 */
export async function incidentDeclareCommand(
  target: AuditCliTarget,
  declaration: IncidentDeclaration,
  print: (line: string) => void,
): Promise<Incident> {
  let incident: Incident;
  try {
    incident = await declareIncident(declaration, target.deps.incidents, new Date());
  } catch (error) {
    if (error instanceof InvalidIncidentError) throw new UsageError(`Cannot declare the incident:\n  - ${error.problems.join('\n  - ')}`);
    throw error;
  }
  print(`Declared incident ${incident.incidentId} in the ${target.description}: ${describeScope(incident)}.`);
  print(`Next: npx tsx cli/main.ts campaign dry-run ${incident.incidentId}`);
  return incident;
}

/**
 * `incident list`: every declared incident with its scope and audit progress.
 *
 * @example
 * await incidentListCommand(target, console.log);
 */
export async function incidentListCommand(target: AuditCliTarget, print: (line: string) => void): Promise<StoredIncident[]> {
  const incidents = await target.deps.incidents.list();
  if (incidents.length === 0) print(`No incidents declared in the ${target.description}.`);
  for (const i of incidents) {
    const campaign = await target.deps.campaigns.get(i.incidentId);
    print(
      `${i.incidentId}  ${describeScope(i)}  audited: ${i.sweep.done ? 'yes' : 'in progress'}  ` +
        `campaign: ${campaign ? `${campaign.state} (${campaign.summary.toApologise} to apologise)` : 'not planned'}`,
    );
    print(`    ${i.description}`);
  }
  return incidents;
}

function describeScope(i: Incident): string {
  const parts: string[] = [];
  if (i.windowStart && i.windowEnd) parts.push(`${i.windowStart} to ${i.windowEnd}`);
  if (i.source) parts.push(`source ${i.source}`);
  return parts.join(', ');
}
