import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ShardAuditReport } from '../audit-one-shard';
import { wrongNoticeCounts, wrongNoticesLine } from '../audit-outcomes';
import { AuditMetric } from '../../platform/metric-names';
import { outcomeReport } from '../../platform/outcomes';

/**
 * What one shard's pass counts and logs: the rows it took out of the pending index and the
 * wrong notices among them (the scheduled run no longer counts new rows: each is counted here,
 * once). Counts, ids and reasons only: never an address.
 */
export const reportShard = outcomeReport<ShardAuditReport, ShardAuditReport['lease']>((r) => r.lease, {
  HELD: { log: { level: 'info', message: 'another worker audits this shard; nothing done', fields: ['state', 'runId'] } },
  ACQUIRED: {
    count: [
      { metric: AuditMetric.ROWS_AUDITED, value: (r) => r.rows },
      { metric: AuditMetric.PENDING_ROW_AGE, unit: MetricUnit.Seconds, value: (r) => r.oldestAgeSeconds },
      ...wrongNoticeCounts<ShardAuditReport>((r) => r.wrongByReason),
    ],
    log: [
      { level: 'info', message: 'shard audited', fields: ['state', 'runId', 'rows', 'scanned', 'byVerdict', 'done', 'oldestAgeSeconds'] },
      wrongNoticesLine<ShardAuditReport>((r) => r.wrongByReason, ['state', 'runId']),
    ],
  },
});
