import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, metrics } from '../commons/observability';
import { describeError } from '../commons/redact';
import { pipelineFromEnv } from './pipeline';
import { processPurchase } from './process-purchase';
import { NotifyMetric, reportResult } from './report-result';

const pipeline = pipelineFromEnv();
const processor = new BatchProcessor(EventType.SQS);

/** One record on its own: a throw marks just this record for redelivery. */
async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    const result = await processPurchase(record, pipeline);
    reportResult(result, record.messageId, logger, metrics);
  } catch (error) {
    metrics.addMetric(NotifyMetric.RETRY, MetricUnit.Count, 1);
    logger.warn('purchase record will be retried', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: describeError(error),
    });
    throw error;
  }
}

/**
 * The notify function: SQS purchase events in, at most one notice per event out.
 * Partial batch responses: only failed records come back; the rest are deleted.
 */
export const handler = middy(
  (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    // A fully failed batch (e.g. SES throttling every record) is still a normal answer, not a function error.
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
