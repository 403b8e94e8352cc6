import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { sqs } from '../commons/clients/sqs';
import { logger, metrics } from '../commons/observability';
import { withRetryReport } from '../commons/record-retry';
import { MAX_BODY_BYTES, PURCHASE_MESSAGE_FIELDS, purchaseMessageSchema, type PurchaseMessage } from '../domain/purchase-message';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { pipelineFromEnv } from './pipeline';
import { processPurchase } from './process-purchase';
import { NotifyMetric, reportResult } from './report-result';

const pipeline = pipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);

/** One valid record on its own: a throw marks just this record for redelivery. */
const recordHandler = withRetryReport<ValidSqsRecord<PurchaseMessage>>(
  async (record) => reportResult(await processPurchase(record.data, pipeline), record.messageId, logger, metrics),
  { metric: NotifyMetric.RETRY, message: 'purchase record will be retried', logger, metrics },
);

/**
 * The notify function: SQS purchase events in, at most one notice per event out.
 * The validation middleware quarantines invalid records (never retried) and hands on the
 * valid ones parsed; partial batch responses: only failed records come back.
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(
    sqsRecordValidationMiddleware({
      schema: purchaseMessageSchema(pipeline.now),
      quarantine,
      maxBodyBytes: MAX_BODY_BYTES,
      knownFields: PURCHASE_MESSAGE_FIELDS,
      logger,
      metrics,
      now: pipeline.now,
    }),
  )
  .handler((event, context) =>
    // A fully failed batch (e.g. SES throttling every record) is still a normal answer, not a function error.
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
  );
