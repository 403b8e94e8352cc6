import { IncidentOrigin, windowDays, rowInIncident, type Incident } from './incident';
import { senderForSource } from './send-log-line';
import type { StoredIncident } from './ports/incidents';
import type { AuditDeps } from './audit-deps';
import type { AuditPassBudget } from './audit-pending';
import { auditRow } from './audit-row';
import { countJudgement, newTally, type AuditTally } from './audit-tally';

/**
 * Audits every row of an incident once, audited before or not: the day's ledger rows
 * (`rowsOfDay`: its 32 day shards and the old day index, side by side) for each day of its
 * window (or each day its source has imports, for a source-only incident), filtered by
 * source when it has one. Progress (the day, and where each of its partitions stands) is
 * saved after each page, so a run that stops resumes where it left off.
 *
 * @example
 * const { done } = await sweepIncident(incident, allIncidents, deps, budget);
 */
export async function sweepIncident(
  incident: StoredIncident,
  allIncidents: readonly Incident[],
  deps: AuditDeps,
  budget: AuditPassBudget,
): Promise<AuditTally & { done: boolean }> {
  const tally = newTally();
  // A corrections incident has no scope to sweep: its rows are attached as corrections are audited.
  if (incident.sweep.done || incident.origin === IncidentOrigin.CORRECTIONS) return { ...tally, done: true };
  const days =
    incident.windowStart !== undefined && incident.windowEnd !== undefined
      ? windowDays(incident.windowStart, incident.windowEnd)
      : await deps.incidents.sourceDays(incident.source ?? '');
  const sender = incident.source !== undefined ? senderForSource(incident.source) : undefined;
  let { dayIndex, cursor } = incident.sweep;
  let rows = incident.sweep.rows ?? 0;

  while (dayIndex < days.length) {
    if (tally.rows >= budget.maxRows || !budget.hasTime()) {
      await deps.incidents.saveSweep(incident.incidentId, { done: false, dayIndex, cursor, rows });
      return { ...tally, done: false };
    }
    const page = await deps.ledger.rowsOfDay(
      { day: days[dayIndex]!, from: incident.windowStart, to: incident.windowEnd, sender },
      budget.pageSize ?? 100,
      cursor,
    );
    tally.scanned += page.scanned;
    for (const row of page.rows) {
      // BETWEEN includes the window's end; the incident does not.
      if (!rowInIncident(row, incident)) continue;
      countJudgement(tally, await auditRow(row, allIncidents, deps));
      rows += 1;
    }
    if (page.cursor) {
      cursor = page.cursor;
    } else {
      dayIndex += 1;
      cursor = undefined;
    }
    await deps.incidents.saveSweep(incident.incidentId, { done: false, dayIndex, cursor, rows });
  }
  await deps.incidents.saveSweep(incident.incidentId, { done: true, dayIndex, rows });
  return { ...tally, done: true };
}
