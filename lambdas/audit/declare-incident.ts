import { randomBytes } from 'node:crypto';
import { incidentProblems, newIncidentId, type Incident, type IncidentDeclaration } from './incident';
import type { IncidentStore } from './ports/incidents';
import { InvalidIncidentError } from './errors';

/**
 * Declares an incident: a time window and/or a source whose notices must all be
 * re-audited, and whose wrongly notified addresses get one apology each.
 *
 * @throws InvalidIncidentError listing every problem of the declaration
 * @throws IncidentExistsError when the id is taken
 * @example
 * await declareIncident({ description: 'CRM blast', source: 'legacy-crm' }, store, new Date());
 */
export async function declareIncident(declaration: IncidentDeclaration, store: IncidentStore, now: Date): Promise<Incident> {
  const problems = incidentProblems(declaration);
  if (problems.length > 0) throw new InvalidIncidentError(problems);
  const normalize = (iso: string | undefined): string | undefined => (iso === undefined ? undefined : new Date(iso).toISOString());
  const incident: Incident = {
    incidentId: declaration.incidentId ?? newIncidentId(now, randomBytes(3).toString('hex')),
    description: declaration.description.trim(),
    windowStart: normalize(declaration.windowStart),
    windowEnd: normalize(declaration.windowEnd),
    source: declaration.source,
    declaredAt: now.toISOString(),
    declaredBy: declaration.declaredBy,
  };
  await store.declare(incident);
  return incident;
}
