import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { quarantineFromEnv } from '../adapters/sqs-quarantine';
import { auditOneShard } from '../audit/audit-one-shard';
import { dynamoDb } from '../commons/clients/dynamodb';
import { sqs } from '../commons/clients/sqs';
import { logger, metrics } from '../commons/observability';
import { describeError } from '../commons/redact';
import { AUDIT_SHARD_MESSAGE_FIELDS, auditShardMessageSchema, type AuditShardMessage } from '../domain/audit/audit-shard-message';
import { sqsRecordValidationMiddleware, type ValidSqsRecord } from '../middleware/sqs-record-validation';
import { rowAuditPipelineFromEnv } from './pipeline';
import { reportShard } from './report-shard';

const { deps, settings } = rowAuditPipelineFromEnv({ dynamoDb });
const quarantine = quarantineFromEnv(sqs);
const processor = new BatchProcessor(EventType.SQS);

/** One shard: a throw (a throttled read or write) retries just this message. */
async function recordHandler(record: ValidSqsRecord<AuditShardMessage>, context: Context): Promise<void> {
  try {
    reportShard(await auditOneShard(record.data.state, deps, settings, () => context.getRemainingTimeInMillis()), logger, metrics);
  } catch (error) {
    logger.warn('shard message will be retried', { messageId: record.messageId, state: record.data.state, error: describeError(error) });
    throw error;
  }
}

/**
 * The row-audit worker: the audit queue's shard messages in (the scheduled run sends one per
 * shard), each shard's new rows judged by the facts of their moment and marked, one worker per
 * shard at a time, side by side across shards (docs/audit-and-apology.md, "Keeping pace").
 * Partial batch responses: a failed shard alone comes back.
 */
export const handler = middy<unknown, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(
    sqsRecordValidationMiddleware({
      schema: auditShardMessageSchema,
      quarantine,
      maxBodyBytes: 1024,
      knownFields: AUDIT_SHARD_MESSAGE_FIELDS,
      logger,
      metrics,
    }),
  )
  .handler((event, context) =>
    processPartialResponse(event, (record: ValidSqsRecord<AuditShardMessage>) => recordHandler(record, context), processor, {
      context,
      throwOnFullBatchFailure: false,
    }),
  );
