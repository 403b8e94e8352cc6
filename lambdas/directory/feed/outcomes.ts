import { DirectoryMetric } from '../../platform/metric-names';
import { outcomeReport, whenPositive, type Count } from '../../platform/outcomes';
import type { DirectoryResult } from './process-directory-event';

type Applied = Extract<DirectoryResult, { kind: 'APPLIED' | 'UNCHANGED' }>;
const corrections: Count<DirectoryResult> = { metric: DirectoryMetric.CORRECTION, value: whenPositive((r) => (r as Applied).corrections) };
const counts = ['facts', 'recorded', 'corrections'];

/**
 * What each directory record's result counts and logs: ids, type and counts only, never an
 * address or a name (the event carries them).
 */
export const reportDirectoryResult = outcomeReport<DirectoryResult, DirectoryResult['kind']>((r) => r.kind, {
  DEFERRED: {
    count: [DirectoryMetric.DEFERRED_CLOCK_AHEAD],
    log: { level: 'info', message: 'directory event lies ahead of our clock: put back until it is within 5 minutes', fields: ['delaySeconds'] },
  },
  APPLIED: { count: [DirectoryMetric.APPLIED, corrections], log: { level: 'info', message: 'directory event applied', fields: counts } },
  UNCHANGED: { count: [DirectoryMetric.UNCHANGED, corrections], log: { level: 'info', message: 'directory event already known', fields: counts } },
});
