import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ShardAuditReport } from '../audit/audit-one-shard';
import { AuditMetric } from '../commons/metric-names';

/**
 * Logs and counts one shard's pass: the rows it took out of the pending index and the wrong
 * notices among them (the scheduled run no longer counts new rows: each is counted here, once).
 * Counts, ids and reasons only: never an address.
 */
export function reportShard(report: ShardAuditReport, logger: Logger, metrics: Metrics): void {
  if (report.lease === 'HELD') {
    logger.info('another worker audits this shard; nothing done', { state: report.state, runId: report.runId });
    return;
  }
  const wrong = Object.values(report.wrongByReason).reduce((a, b) => a + b, 0);
  metrics.addMetric(AuditMetric.ROWS_AUDITED, MetricUnit.Count, report.rows);
  if (report.oldestAgeSeconds !== undefined) metrics.addMetric(AuditMetric.PENDING_ROW_AGE, MetricUnit.Seconds, report.oldestAgeSeconds);
  metrics.addMetric(AuditMetric.WRONG_NOTICE_FOUND, MetricUnit.Count, wrong);
  for (const [reason, count] of Object.entries(report.wrongByReason)) {
    const byReason = metrics.singleMetric();
    byReason.addDimension('reason', reason);
    byReason.addMetric(AuditMetric.WRONG_NOTICE_BY_REASON, MetricUnit.Count, count);
  }
  const { state, runId, rows, scanned, byVerdict, done, oldestAgeSeconds } = report;
  logger.info('shard audited', { state, runId, rows, scanned, byVerdict, done, oldestAgeSeconds });
  if (wrong > 0) logger.warn('wrong notices found', { state, runId, wrongByReason: report.wrongByReason });
}
