import { DynamoDbApologyMailEvents } from '../audit/audit-table/apology-mail-events';
import { DynamoDbNoticeMailEvents } from '../notices/ledger-table/notice-mail-events';
import { DynamoDbSuppressionRegister } from '../mail/tables/suppressions-table';
import { documentClientOf } from '../platform/dynamodb/document';
import { dynamoDb } from '../platform/clients/dynamodb';
import { readEnv } from '../platform/env';
import type { FeedbackPipeline } from './process-ses-event';
import { FEEDBACK_PIPELINE_ENV } from './env';

/**
 * Wires the feedback function's adapters from its environment, once at cold start; a
 * missing setting fails the first invocation loudly. `SOFT_BOUNCE_LIMIT` and
 * `SOFT_BOUNCE_WINDOW_DAYS` set the soft-bounce policy (./env.ts).
 */
export function feedbackPipelineFromEnv(env: NodeJS.ProcessEnv = process.env): FeedbackPipeline {
  const e = readEnv(FEEDBACK_PIPELINE_ENV, env);
  const now = (): Date => new Date();
  const db = documentClientOf(dynamoDb);
  return {
    notices: new DynamoDbNoticeMailEvents(db, e.LEDGER_TABLE),
    apologies: new DynamoDbApologyMailEvents(db, e.AUDIT_TABLE),
    suppressions: new DynamoDbSuppressionRegister(db, e.SUPPRESSIONS_TABLE, now),
    softBounces: {
      limit: e.SOFT_BOUNCE_LIMIT,
      windowDays: e.SOFT_BOUNCE_WINDOW_DAYS,
    },
    now,
  };
}
