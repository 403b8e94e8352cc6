import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { describeError } from './redact';

/**
 * A batch record handler that counts and logs a record's failure (its id, receive count and
 * the error with addresses masked) before rethrowing it, so that SQS delivers that record
 * alone again (partial batch responses) and the operator can see why.
 *
 * @example
 * const recordHandler = withRetryReport((r) => processSesEvent(r.data, pipeline), { metric: 'SesEventRetried', message: 'SES event will be retried', logger, metrics });
 */
export function withRetryReport<R extends SQSRecord>(
  work: (record: R) => Promise<void>,
  report: { readonly metric: string; readonly message: string; readonly logger: Logger; readonly metrics: Metrics },
): (record: R) => Promise<void> {
  return async (record) => {
    try {
      await work(record);
    } catch (error) {
      report.metrics.addMetric(report.metric, MetricUnit.Count, 1);
      report.logger.warn(report.message, {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: describeError(error),
      });
      throw error;
    }
  };
}
