import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { DirectoryMetric } from '../commons/metric-names';
import type { DirectoryEvent } from '../domain/directory/directory-event';
import type { DirectoryResult } from './process-directory-event';

/**
 * Logs and counts what became of one directory record: ids, type and counts only, never an
 * address or a name (the event carries them).
 */
export function reportDirectoryResult(result: DirectoryResult, event: DirectoryEvent, messageId: string, logger: Logger, metrics: Metrics): void {
  const ids = { messageId, eventId: event.eventId, type: event.type };
  switch (result.kind) {
    case 'DEFERRED':
      metrics.addMetric(DirectoryMetric.DEFERRED_CLOCK_AHEAD, MetricUnit.Count, 1);
      logger.info('directory event lies ahead of our clock: put back until it is within 5 minutes', { ...ids, delaySeconds: result.delaySeconds });
      return;
    case 'APPLIED':
    case 'UNCHANGED':
      metrics.addMetric(result.kind === 'APPLIED' ? DirectoryMetric.APPLIED : DirectoryMetric.UNCHANGED, MetricUnit.Count, 1);
      if (result.corrections > 0) metrics.addMetric(DirectoryMetric.CORRECTION, MetricUnit.Count, result.corrections);
      logger.info(result.kind === 'APPLIED' ? 'directory event applied' : 'directory event already known', {
        ...ids,
        facts: result.facts,
        recorded: result.recorded,
        corrections: result.corrections,
      });
      return;
  }
}
