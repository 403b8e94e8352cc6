import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { FeedbackMetric } from '../commons/metric-names';
import type { FeedbackResult } from './process-ses-event';

export { FeedbackMetric };

/**
 * Logs and counts what one SES event did. Ids, types and counts only: the event's
 * addresses never go out.
 */
export function reportFeedback(result: FeedbackResult, messageId: string, logger: Logger, metrics: Metrics): void {
  metrics.addMetric(FeedbackMetric.SES_EVENT, MetricUnit.Count, 1);
  const byType = metrics.singleMetric();
  byType.addDimension('eventType', result.eventType);
  byType.addMetric(FeedbackMetric.SES_EVENT_BY_TYPE, MetricUnit.Count, 1);
  if (result.suppressed > 0) metrics.addMetric(FeedbackMetric.ADDRESS_SUPPRESSED, MetricUnit.Count, result.suppressed);
  if (result.softBounces > 0) metrics.addMetric(FeedbackMetric.SOFT_BOUNCE, MetricUnit.Count, result.softBounces);
  if (result.settled) metrics.addMetric(FeedbackMetric.UNCERTAIN_SETTLED, MetricUnit.Count, 1);

  const subject =
    result.subject?.kind === 'notice'
      ? { noticeId: result.subject.noticeId }
      : result.subject?.kind === 'apology'
        ? { incidentId: result.subject.incidentId, addressHash: result.subject.addressHash }
        : {};
  const fields = {
    messageId,
    eventType: result.eventType,
    sesMessageId: result.sesMessageId,
    ...subject,
    recording: result.recording,
    settled: result.settled,
    suppressed: result.suppressed,
  };
  if (result.recording === 'no-subject' || result.recording === 'not-found') {
    metrics.addMetric(FeedbackMetric.EVENT_UNMATCHED, MetricUnit.Count, 1);
    logger.warn('SES event for no notice or apology we know', fields);
  } else if (result.recording === 'other-message') {
    metrics.addMetric(FeedbackMetric.EVENT_OTHER_MESSAGE, MetricUnit.Count, 1);
    logger.error('SES event about another email than the one recorded: a second email went', fields);
  } else if (result.settled) {
    logger.info('an email in doubt is settled by its SES event', fields);
  } else {
    logger.info('SES event recorded', fields);
  }
}
