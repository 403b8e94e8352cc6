import { DirectoryMetric } from '../../platform/metric-names';
import { outcomeReport, whenPositive } from '../../platform/outcomes';
import type { ErasureDrainResult } from '../drain-erased-evidence';

// The next pass's due time, on a pass that sent itself one.
const nextPassOf = (r: ErasureDrainResult): string | undefined => (r.kind === 'DRAINED' ? r.nextPassAt : undefined);

/** What one drain request counts and logs: the customer id, counts per queue and when the next pass is due, never a body or an address. */
export const reportDrain = outcomeReport<ErasureDrainResult, ErasureDrainResult['kind']>((r) => r.kind, {
  DRAINED: {
    count: [
      DirectoryMetric.ERASURE_DRAINED,
      { metric: DirectoryMetric.ERASURE_EVIDENCE_REMOVED, value: whenPositive((r) => (r.kind === 'DRAINED' ? r.removed : 0)) },
      { metric: DirectoryMetric.ERASURE_DRAIN_OBJECT_DEFERRED, value: whenPositive((r) => (r.kind === 'DRAINED' ? r.objectsDeferred : 0)) },
      { metric: DirectoryMetric.ERASURE_DRAIN_FOLLOW_UP_SENT, value: (r) => (nextPassOf(r) ? 1 : undefined) },
      { metric: DirectoryMetric.ERASURE_DRAIN_FINISHED, value: (r) => (nextPassOf(r) ? undefined : 1) },
    ],
    log: { level: 'info', message: 'erasure evidence drained', fields: ['customerId', 'pass', 'removed', 'queues', 'objectsRead', 'objectsRemoved', 'objectsDeferred', 'deferredSince', 'nextPassAt'] },
  },
  // One every 15 minutes per erasure between passes: counted, not logged.
  WAITING: { count: [DirectoryMetric.ERASURE_DRAIN_WAITED] },
});
