import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { ApologyMetric, AuditMetric } from '../commons/metric-names';
import { SendResult } from './send-apology';

/** Counts one message's result and logs what needs a look. Ids and results only, never an address. */
export function reportSend(result: SendResult, incidentId: string, logger: Logger, metrics: Metrics): void {
  switch (result) {
    case SendResult.SENT:
      metrics.addMetric(AuditMetric.APOLOGY_SENT, MetricUnit.Count, 1);
      return;
    case SendResult.FAILED:
      metrics.addMetric(AuditMetric.APOLOGY_FAILED, MetricUnit.Count, 1);
      logger.error('apology refused by SES', { incidentId });
      return;
    case SendResult.UNCERTAIN:
    case SendResult.SENDER_DIED:
      metrics.addMetric(AuditMetric.APOLOGY_FAILED, MetricUnit.Count, 1);
      metrics.addMetric(AuditMetric.APOLOGY_UNCERTAIN, MetricUnit.Count, 1);
      logger.error('apology outcome unknown: UNCERTAIN, never re-sent', { incidentId, result });
      return;
    case SendResult.SKIPPED:
    case SendResult.DUPLICATE:
      return;
    default: {
      const deferred = metrics.singleMetric();
      deferred.addDimension('why', result);
      deferred.addMetric(ApologyMetric.DEFERRED, MetricUnit.Count, 1);
      if (result === SendResult.DEFERRED_BREAKER) logger.warn('SES did not take apologies: breaker open, put back', { incidentId });
    }
  }
}
