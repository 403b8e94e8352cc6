import { AuditMetric } from '../platform/metric-names';
import { outcomeReport, whenPositive, type Count, type Line } from '../platform/outcomes';
import type { RunReport } from './run-once';

export { AuditMetric };

type ByReason = Readonly<Record<string, number>>;
const total = (byReason: ByReason): number => Object.values(byReason).reduce((a, b) => a + b, 0);

/** The wrong notices a pass found: their total, and one metric per reason (dimension `reason`). */
export function wrongNoticeCounts<R>(wrongByReason: (r: R) => ByReason): Count<R>[] {
  return [
    { metric: AuditMetric.WRONG_NOTICE_FOUND, value: (r) => total(wrongByReason(r)) },
    { metric: AuditMetric.WRONG_NOTICE_BY_REASON, each: ['reason', wrongByReason] },
  ];
}

/** The warning a pass that found wrong notices writes, with the result's `ids`. */
export function wrongNoticesLine<R>(wrongByReason: (r: R) => ByReason, ids: readonly (keyof R & string)[]): Line<R> {
  return {
    level: 'warn',
    message: 'wrong notices found',
    when: (r) => total(wrongByReason(r)) > 0,
    fields: (r) => ({ ...Object.fromEntries(ids.map((id) => [id, r[id]])), wrongByReason: wrongByReason(r) }),
  };
}

/** New findings: among new rows, and among rows a correction showed were wrong when they went out. */
function newFindings(report: RunReport): ByReason {
  const byReason: Record<string, number> = { ...report.audit.wrongByReason };
  for (const [reason, count] of Object.entries(report.correctionAudit.wrongByReason)) byReason[reason] = (byReason[reason] ?? 0) + count;
  return byReason;
}

/** What one audit run counts and logs. Only counts, ids and reasons: never an address. */
export const reportRun = outcomeReport<RunReport, RunReport['lease']>((r) => r.lease, {
  HELD: { log: { level: 'info', message: 'another audit run holds the lease; nothing done', fields: ['runId'] } },
  ACQUIRED: {
    count: [
      { metric: AuditMetric.ROWS_AUDITED, value: (r) => r.audit.rows },
      { metric: AuditMetric.INCIDENT_ROWS_AUDITED, value: (r) => r.incidentAudit.rows },
      { metric: AuditMetric.CORRECTED_ROWS_AUDITED, value: (r) => r.correctionAudit.rows },
      ...wrongNoticeCounts(newFindings),
      { metric: AuditMetric.APOLOGY_ENQUEUED, value: whenPositive((r) => r.campaigns.reduce((a, c) => a + c.enqueuedNow, 0)) },
      // Once, by the run that finished the plan.
      {
        metric: AuditMetric.CAMPAIGN_AWAITING_APPROVAL,
        value: whenPositive((r) => r.campaignsPlanned.filter((c) => c.finishedNow && c.state === 'AWAITING_APPROVAL').length),
      },
    ],
    log: [
      { level: 'info', message: 'audit run finished', fields: ['runId', 'audit', 'incidentAudit', 'correctionAudit', 'incidentsSwept', 'campaignsPlanned', 'campaigns'] },
      { level: 'warn', message: 'approved apology campaigns wait: the kill switch pauses the sender', fields: ['runId'], when: (r) => r.sendingPaused },
      wrongNoticesLine(newFindings, ['runId']),
    ],
  },
});
