import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { sqs } from '../commons/clients/sqs';
import { logger, metrics } from '../commons/observability';
import { withRetryReport } from '../commons/record-retry';
import { MAX_SES_EVENT_BYTES, sesEvent, type SesEvent } from '../domain/ses-event';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { feedbackPipelineFromEnv } from './pipeline';
import { processSesEvent } from './process-ses-event';
import { FeedbackMetric, reportFeedback } from './report-result';

const pipeline = feedbackPipelineFromEnv();
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);

/** One valid SES event on its own: a throw marks just this record for redelivery. */
const recordHandler = withRetryReport<ValidSqsRecord<SesEvent>>(
  async (record) => reportFeedback(await processSesEvent(record.data, pipeline), record.messageId, logger, metrics),
  { metric: FeedbackMetric.RETRY, message: 'SES event will be retried', logger, metrics },
);

/**
 * The feedback function: SES events (the configuration set's SNS destination, delivered
 * raw to its queue) in; suppressions, the email's fate on its ledger row or apology claim,
 * and doubtful sends settled, out. An event of a shape we do not know is quarantined with
 * its reasons and never retried; partial batch responses: only failed records come back.
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  // No `knownFields`: every field name in a quarantine log line is masked (SES events carry
  // addresses, and a broken one could carry them anywhere).
  .use(sqsRecordValidationMiddleware({ schema: sesEvent, quarantine, maxBodyBytes: MAX_SES_EVENT_BYTES, logger, metrics }))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }));
