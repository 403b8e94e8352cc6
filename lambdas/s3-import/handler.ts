import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { sqs } from '../commons/clients/sqs';
import { logger, metrics } from '../commons/observability';
import { describeError } from '../commons/redact';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { importMessageSchema, type ImportMessage } from './import-message';
import { importDepsFromEnv } from './pipeline';
import { processImportMessage } from './process-import';

const deps = importDepsFromEnv();
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);
let remainingMs: () => number = () => Number.POSITIVE_INFINITY;

/** One message: a chunk of one import; a throw (a throttled write) retries just this message. */
async function recordHandler(record: ValidSqsRecord<ImportMessage>): Promise<void> {
  try {
    for (const result of await processImportMessage(record.data, deps, remainingMs)) {
      // Ids and counts only: the lines carry addresses and names.
      logger.info('import message processed', { messageId: record.messageId, ...result });
    }
  } catch (error) {
    logger.warn('import message will be retried', { messageId: record.messageId, error: describeError(error) });
    throw error;
  }
}

/**
 * The S3 import function: S3 event notifications of new objects in the import bucket (and its
 * own continuations) in, JSON Lines handled chunk by chunk by the line handler of the key's
 * prefix (`routes.ts`), a report written beside each object at the end (docs/directory-events.md, "Backfill").
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(sqsRecordValidationMiddleware({ schema: importMessageSchema, quarantine, logger, metrics, now: deps.now }))
  .handler((event, context) => {
    remainingMs = () => context.getRemainingTimeInMillis();
    return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
  });
