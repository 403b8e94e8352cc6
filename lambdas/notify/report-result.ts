import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { NotifyMetric } from '../commons/metric-names';
import { DeferCause, type PurchaseResult } from './process-purchase';

export { NotifyMetric };

/**
 * Logs and counts what became of one record. Only ids and reasons go out:
 * the message body (names, gift messages) and addresses never do. (Invalid records never get
 * here: the validation middleware quarantines, counts and logs them.)
 */
export function reportResult(result: PurchaseResult, messageId: string, logger: Logger, metrics: Metrics): void {
  switch (result.kind) {
    case 'DEFERRED':
      if (result.because === DeferCause.CLOCK_AHEAD) {
        metrics.addMetric(NotifyMetric.DEFERRED_CLOCK_AHEAD, MetricUnit.Count, 1);
        logger.info('purchase lies ahead of our clock: put back until it is within 5 minutes', {
          messageId,
          eventId: result.eventId,
          delaySeconds: result.delaySeconds,
        });
        return;
      }
      metrics.addMetric(NotifyMetric.DEFERRED, MetricUnit.Count, 1);
      logger.info('sending is paused: purchase message put back', { messageId, eventId: result.eventId, delaySeconds: result.delaySeconds });
      return;
    case 'SENT':
      metrics.addMetric(NotifyMetric.SENT, MetricUnit.Count, 1);
      logger.info('purchase notice sent', { messageId, eventId: result.eventId, sesMessageId: result.sesMessageId });
      return;
    case 'BLOCKED': {
      metrics.addMetric(NotifyMetric.BLOCKED, MetricUnit.Count, 1);
      const byReason = metrics.singleMetric();
      byReason.addDimension('reason', result.reason);
      byReason.addMetric(NotifyMetric.BLOCKED_BY_REASON, MetricUnit.Count, 1);
      logger.info('purchase notice blocked', { messageId, eventId: result.eventId, reason: result.reason });
      return;
    }
    case 'DUPLICATE':
      metrics.addMetric(NotifyMetric.DUPLICATE, MetricUnit.Count, 1);
      logger.info('purchase event already decided', { messageId, eventId: result.eventId });
      return;
    case 'UNCERTAIN':
      metrics.addMetric(NotifyMetric.UNCERTAIN, MetricUnit.Count, 1);
      logger.error('the notice may or may not have gone (no answer from SES, or an abandoned claim): UNCERTAIN, not re-sent', {
        messageId,
        eventId: result.eventId,
      });
      return;
    case 'FAILED':
      metrics.addMetric(NotifyMetric.FAILED, MetricUnit.Count, 1);
      logger.error('SES refused the notice', { messageId, eventId: result.eventId, code: result.code });
      return;
    case 'RESENT':
      metrics.addMetric(NotifyMetric.RESENT, MetricUnit.Count, 1);
      logger.info('notice in doubt re-sent, as an operator approved', { messageId, eventId: result.eventId, sesMessageId: result.sesMessageId });
      return;
    case 'RESEND_REFUSED':
      metrics.addMetric(NotifyMetric.RESEND_REFUSED, MetricUnit.Count, 1);
      logger.warn('approved re-send not sent', { messageId, eventId: result.eventId, reason: result.reason });
      return;
    case 'RESEND_FAILED':
      metrics.addMetric(NotifyMetric.FAILED, MetricUnit.Count, 1);
      logger.error('SES refused the re-send', { messageId, eventId: result.eventId, code: result.code });
      return;
    case 'RESEND_UNCERTAIN':
      metrics.addMetric(NotifyMetric.UNCERTAIN, MetricUnit.Count, 1);
      logger.error('the re-send may or may not have gone too; never sent again', { messageId, eventId: result.eventId });
      return;
  }
}
