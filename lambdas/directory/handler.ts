import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { sqs } from '../commons/clients/sqs';
import { DirectoryMetric } from '../commons/metric-names';
import { logger, metrics } from '../commons/observability';
import { describeError } from '../commons/redact';
import { DIRECTORY_EVENT_FIELDS, directoryEventSchema, MAX_DIRECTORY_BODY_BYTES, type DirectoryEvent } from '../domain/directory/directory-event';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { directoryPipelineFromEnv } from './pipeline';
import { processDirectoryEvent } from './process-directory-event';
import { reportDirectoryResult } from './report-result';

const pipeline = directoryPipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);

/** One valid record on its own: a throw marks just this record for redelivery. */
async function recordHandler(record: ValidSqsRecord<DirectoryEvent>): Promise<void> {
  try {
    const result = await processDirectoryEvent(record.data, pipeline);
    reportDirectoryResult(result, record.data, record.messageId, logger, metrics);
  } catch (error) {
    metrics.addMetric(DirectoryMetric.RETRY, MetricUnit.Count, 1);
    logger.warn('directory record will be retried', {
      messageId: record.messageId,
      eventId: record.data.eventId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: describeError(error),
    });
    throw error;
  }
}

/**
 * The directory function: the shop's directory events (contract v1, docs/directory-events.md)
 * in, the history and the current state out. The validation middleware quarantines invalid
 * records (never retried); partial batch responses: only failed records come back.
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(
    sqsRecordValidationMiddleware({
      schema: directoryEventSchema(pipeline.now),
      quarantine,
      maxBodyBytes: MAX_DIRECTORY_BODY_BYTES,
      knownFields: DIRECTORY_EVENT_FIELDS,
      logger,
      metrics,
      now: pipeline.now,
    }),
  )
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }));
