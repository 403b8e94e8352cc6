import { OUR_SENDER } from '../notices/ledger-entry';
import { SOURCE_PATTERN, senderForSource } from './send-log-line';

/**
 * Who scoped an incident. An operator's incident holds every row of its window and/or source;
 * a `CORRECTIONS` incident is declared by the audit itself and holds exactly the rows that
 * directory corrections applied on one UTC day touched (attached as they are found; see
 * `lambdas/audit/audit-corrections.ts`). Its campaign always waits for an operator's approval.
 */
export const IncidentOrigin = { CORRECTIONS: 'CORRECTIONS' } as const;
export type IncidentOrigin = (typeof IncidentOrigin)[keyof typeof IncidentOrigin];

/** A statement that notices went out wrongly: an operator's time window and/or source, or the audit's corrections of a day. */
export interface Incident {
  readonly incidentId: string;
  readonly description: string;
  /** ISO 8601, inclusive. */
  readonly windowStart?: string;
  /** ISO 8601, exclusive. */
  readonly windowEnd?: string;
  /** `registry-notices` (us) or the name of an imported source. */
  readonly source?: string;
  readonly declaredAt: string;
  readonly declaredBy?: string;
  /** Absent: an operator's. */
  readonly origin?: IncidentOrigin;
  /**
   * A corrections incident: who applied the imports its corrections came from, as S3 names an
   * uploader (`AWS:AIDA…`, `AWS:AROA…:<session>`); none of them may approve its campaign.
   */
  readonly correctionsAppliedBy?: readonly string[];
  /**
   * Who imported the send-log rows the incident would apologise for (each WRONG imported row's
   * `importedBy`, in the same form: `AWS:AIDA…`, `AWS:AROA…:<session>`); none of them may
   * approve its campaign.
   */
  readonly rowsImportedBy?: readonly string[];
}

/** What an operator gives to declare an incident. */
export interface IncidentDeclaration {
  readonly incidentId?: string;
  readonly description: string;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly source?: string;
  readonly declaredBy?: string;
}

/** The longest window one incident may cover; one index query per day is swept. */
export const MAX_INCIDENT_DAYS = 400;
/** What an incident id looks like: 3-64 characters of a-z 0-9 -, starting with a letter or digit. */
export const INCIDENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;

/**
 * Checks a declaration and returns every problem at once (empty when it is fine).
 * A window needs both ends; an incident needs a window, a source, or both; our own
 * sender needs a window (there is no per-source day list for our own notices).
 */
export function incidentProblems(d: IncidentDeclaration): string[] {
  const problems: string[] = [];
  if (d.incidentId !== undefined && !INCIDENT_ID_PATTERN.test(d.incidentId)) {
    problems.push('id: must be 3-64 characters of a-z 0-9 -, starting with a letter or digit');
  }
  if (d.description.trim().length === 0 || d.description.length > 500) problems.push('description: must be 1-500 characters');
  const start = d.windowStart === undefined ? undefined : Date.parse(d.windowStart);
  const end = d.windowEnd === undefined ? undefined : Date.parse(d.windowEnd);
  if ((start === undefined) !== (end === undefined)) problems.push('window: give both --from and --to, or neither');
  if (start !== undefined && Number.isNaN(start)) problems.push('from: must be an ISO 8601 date-time');
  if (end !== undefined && Number.isNaN(end)) problems.push('to: must be an ISO 8601 date-time');
  if (start !== undefined && end !== undefined && !Number.isNaN(start) && !Number.isNaN(end)) {
    if (end <= start) problems.push('window: --to must be after --from');
    else if (end - start > MAX_INCIDENT_DAYS * 86_400_000) problems.push(`window: must span at most ${MAX_INCIDENT_DAYS} days`);
  }
  if (d.source !== undefined && !SOURCE_PATTERN.test(d.source)) problems.push('source: must be 1-63 characters of a-z 0-9 -');
  if (start === undefined && d.source === undefined) problems.push('scope: give a time window, a source, or both');
  if (start === undefined && d.source === OUR_SENDER) problems.push(`scope: an incident about ${OUR_SENDER} itself needs a time window`);
  return problems;
}

/**
 * Whether a ledger row lies inside an incident: in its window (when it has one) and
 * from its source (when it has one).
 *
 * @example
 * rowInIncident({ decidedAt: '2025-03-01T10:00:00Z', sender: 'import:legacy-crm' }, { source: 'legacy-crm', ... }) // true
 */
export function rowInIncident(row: { readonly decidedAt: string; readonly sender: string }, incident: Incident): boolean {
  // Its rows are the ones corrections touched, attached by the audit of corrections: no scope to lie in.
  if (incident.origin === IncidentOrigin.CORRECTIONS) return false;
  if (incident.windowStart !== undefined && incident.windowEnd !== undefined) {
    const at = Date.parse(row.decidedAt);
    if (!(at >= Date.parse(incident.windowStart) && at < Date.parse(incident.windowEnd))) return false;
  }
  if (incident.source !== undefined && row.sender !== senderForSource(incident.source)) return false;
  return true;
}

/**
 * The UTC days (`YYYY-MM-DD`) an incident's window touches, oldest first: one read of
 * the ledger's day index each (`rowsOfDay`).
 *
 * @example
 * windowDays('2025-03-01T22:00:00Z', '2025-03-02T01:00:00Z') // ['2025-03-01', '2025-03-02']
 */
export function windowDays(windowStart: string, windowEnd: string): string[] {
  const days: string[] = [];
  const endMs = Date.parse(windowEnd);
  const start = new Date(windowStart);
  let day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  while (day.getTime() < endMs) {
    days.push(day.toISOString().slice(0, 10));
    day = new Date(day.getTime() + 86_400_000);
  }
  return days;
}

/**
 * The incident of the directory corrections applied on one UTC day: one per day, so a run
 * that stops and starts again finds the same one.
 *
 * @example
 * correctionsIncidentId('2026-03-05T14:00:00.000Z') // 'corr-20260305'
 */
export function correctionsIncidentId(appliedAt: string): string {
  return `corr-${new Date(appliedAt).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * A readable, sortable id for a new incident.
 *
 * @example
 * newIncidentId(new Date('2025-03-02T08:00:00Z'), 'a1b2c3') // 'inc-20250302-a1b2c3'
 */
export function newIncidentId(now: Date, random: string): string {
  return `inc-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${random}`;
}
