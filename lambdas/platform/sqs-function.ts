import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { describeError } from './redact';
import type { ValidatedSqsEvent, ValidSqsRecord } from './middleware/sqs-record-validation';
import { logger, metrics } from './observability';

/** The milliseconds left before the invocation's time limit, asked when needed. */
export type RemainingMs = () => number;

/** What one valid record's failure is reported as before SQS delivers that record again. */
export interface RetryReport<T> {
  /** The retry metric (lambdas/platform/metric-names.ts). */
  readonly metric: string;
  /** The warning's message: what will be retried. */
  readonly message: string;
  /** Ids of the record's body the warning shows too (never an address or a name). */
  readonly fields?: (record: ValidSqsRecord<T>) => Readonly<Record<string, unknown>>;
}

export interface SqsFunctionOptions<T> {
  /**
   * The work on one valid record (the validation middleware has parsed its body into `data`),
   * with the time left in this invocation. Report its result here; a throw is a transient
   * failure: that record alone comes back (see `retry`).
   */
  readonly work: (record: ValidSqsRecord<T>, remainingMs: RemainingMs) => Promise<void>;
  readonly retry: RetryReport<T>;
  /** @default true */
  readonly coldStartMetric?: boolean;
}

/**
 * One SQS-triggered function, the same way for each: Powertools Logger (the invocation's
 * context, keys reset) and Metrics (flushed at the end), the records worked on through
 * Powertools' BatchProcessor with partial batch responses (a failed record alone comes back;
 * a fully failed batch, e.g. SES throttling every record, is still a normal answer), and a
 * record that throws counted (`retry.metric`) and logged (its id, receive count and the error
 * with addresses masked) before SQS delivers it again.
 *
 * The caller adds its record validation, so each handler shows its contract:
 *
 * @example
 * export const handler = sqsFunction<PurchaseMessage>({
 *   retry: { metric: NotifyMetric.RETRY, message: 'purchase record will be retried' },
 *   work: async (record) => reportNotify(await processPurchase(record.data, pipeline), { messageId: record.messageId }),
 * }).use(sqsRecordValidationMiddleware({ schema, quarantine, logger, metrics }));
 */
export function sqsFunction<T>(options: SqsFunctionOptions<T>): MiddyfiedHandler<ValidatedSqsEvent<T>, SQSBatchResponse, Error, Context> {
  const processor = new BatchProcessor(EventType.SQS);
  const { work, retry } = options;

  const recordHandler = async (record: ValidSqsRecord<T>, remainingMs: RemainingMs): Promise<void> => {
    try {
      await work(record, remainingMs);
    } catch (error) {
      metrics.addMetric(retry.metric, MetricUnit.Count, 1);
      logger.warn(retry.message, {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        ...retry.fields?.(record),
        error: describeError(error),
      });
      throw error;
    }
  };

  return middy<ValidatedSqsEvent<T>, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: options.coldStartMetric ?? true }))
    .handler((event, context) => {
      const remainingMs: RemainingMs = () => context.getRemainingTimeInMillis();
      return processPartialResponse(event, (record: ValidSqsRecord<T>) => recordHandler(record, remainingMs), processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    });
}
