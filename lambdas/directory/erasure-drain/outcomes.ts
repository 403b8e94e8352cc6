import { DirectoryMetric } from '../../platform/metric-names';
import { outcomeReport, whenPositive } from '../../platform/outcomes';
import type { DrainReport } from '../drain-erased-evidence';

/** What one drain pass counts and logs: the customer id and counts per queue, never a body or an address. */
export const reportDrain = outcomeReport<DrainReport, 'DRAINED'>(() => 'DRAINED', {
  DRAINED: {
    count: [DirectoryMetric.ERASURE_DRAINED, { metric: DirectoryMetric.ERASURE_EVIDENCE_REMOVED, value: whenPositive((r) => r.removed) }],
    log: { level: 'info', message: 'erasure evidence drained', fields: ['customerId', 'removed', 'queues', 'objectsRead', 'objectsRemoved'] },
  },
});
