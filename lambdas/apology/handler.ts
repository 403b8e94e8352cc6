import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { ssmParameterReader } from '../adapters/ssm-parameter-reader';
import { dynamoDb } from '../commons/clients/dynamodb';
import { sesV2 } from '../commons/clients/ses';
import { kms } from '../commons/clients/kms';
import { sqs } from '../commons/clients/sqs';
import { ApologyMetric } from '../commons/metric-names';
import { logger, metrics } from '../commons/observability';
import { describeError } from '../commons/redact';
import { APOLOGY_MESSAGE_FIELDS, APOLOGY_MESSAGE_MAX_BYTES, apologyMessageSchema, type ApologyMessage } from '../domain/apology/apology-message';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { senderDepsFromEnv } from './pipeline';
import { reportSend } from './report-send';
import { sendApology } from './send-apology';

const deps = senderDepsFromEnv({ dynamoDb, sesV2, sqs, kms, readParameter: ssmParameterReader() });
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);
let remainingMs: () => number = () => 60_000;

/** One apology on its own: a throw marks just this record for redelivery. */
async function recordHandler(record: ValidSqsRecord<ApologyMessage>): Promise<void> {
  try {
    reportSend(await sendApology(record.data, deps, remainingMs), record.data.incidentId, logger, metrics);
  } catch (error) {
    metrics.addMetric(ApologyMetric.RETRY, MetricUnit.Count, 1);
    logger.warn('apology record will be retried', { messageId: record.messageId, incidentId: record.data.incidentId, error: describeError(error) });
    throw error;
  }
}

/**
 * The apology sender: planned apologies from the apology queue, each claimed, re-checked,
 * paced on the shared slot schedule (under SES's rate × our share, whatever the concurrency),
 * sent and settled. The records of a batch run in parallel, each waiting for its own slot.
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(
    sqsRecordValidationMiddleware({
      schema: apologyMessageSchema,
      quarantine,
      maxBodyBytes: APOLOGY_MESSAGE_MAX_BYTES,
      knownFields: APOLOGY_MESSAGE_FIELDS,
      logger,
      metrics,
    }),
  )
  .handler((event, context) => {
    remainingMs = () => context.getRemainingTimeInMillis();
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  });
