import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditMetric } from '../commons/metric-names';
import type { RunReport } from './run-once';

export { AuditMetric };

/**
 * Logs and counts one run. Only counts, ids and reasons: never an address.
 */
export function reportRun(report: RunReport, logger: Logger, metrics: Metrics): void {
  if (report.lease === 'HELD') {
    logger.info('another audit run holds the lease; nothing done', { runId: report.runId });
    return;
  }
  // New findings: among new rows, and among rows a correction showed were wrong when they went out.
  const wrongByReason: Record<string, number> = { ...report.audit.wrongByReason };
  for (const [reason, count] of Object.entries(report.correctionAudit.wrongByReason)) wrongByReason[reason] = (wrongByReason[reason] ?? 0) + count;
  const wrong = Object.values(wrongByReason).reduce((a, b) => a + b, 0);
  metrics.addMetric(AuditMetric.ROWS_AUDITED, MetricUnit.Count, report.audit.rows);
  metrics.addMetric(AuditMetric.INCIDENT_ROWS_AUDITED, MetricUnit.Count, report.incidentAudit.rows);
  metrics.addMetric(AuditMetric.CORRECTED_ROWS_AUDITED, MetricUnit.Count, report.correctionAudit.rows);
  metrics.addMetric(AuditMetric.WRONG_NOTICE_FOUND, MetricUnit.Count, wrong);
  for (const [reason, count] of Object.entries(wrongByReason)) {
    const byReason = metrics.singleMetric();
    byReason.addDimension('reason', reason);
    byReason.addMetric(AuditMetric.WRONG_NOTICE_BY_REASON, MetricUnit.Count, count);
  }
  const enqueued = report.campaigns.reduce((a, c) => a + c.enqueuedNow, 0);
  if (enqueued > 0) metrics.addMetric(AuditMetric.APOLOGY_ENQUEUED, MetricUnit.Count, enqueued);
  // Once, by the run that finished the plan.
  const waiting = report.campaignsPlanned.filter((c) => c.finishedNow && c.state === 'AWAITING_APPROVAL').length;
  if (waiting > 0) metrics.addMetric(AuditMetric.CAMPAIGN_AWAITING_APPROVAL, MetricUnit.Count, waiting);

  logger.info('audit run finished', {
    runId: report.runId,
    audit: report.audit,
    incidentAudit: report.incidentAudit,
    correctionAudit: report.correctionAudit,
    incidentsSwept: report.incidentsSwept,
    campaignsPlanned: report.campaignsPlanned,
    campaigns: report.campaigns,
  });
  if (report.sendingPaused) logger.warn('approved apology campaigns wait: the kill switch pauses the sender', { runId: report.runId });
  if (wrong > 0) logger.warn('wrong notices found', { runId: report.runId, wrongByReason });
}
