import { DynamoDbApologyMailEvents } from '../audit/audit-table/apology-mail-events';
import { DynamoDbNoticeMailEvents } from '../notices/ledger-table/notice-mail-events';
import { DynamoDbSuppressionRegister } from '../mail/tables/suppressions-table';
import { documentClientOf } from '../platform/dynamodb/document';
import { dynamoDb } from '../platform/clients/dynamodb';
import { positiveIntFromEnv, requireEnv } from '../platform/env';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../mail/suppression-policy';
import type { FeedbackPipeline } from './process-ses-event';

/** Environment variables the feedback function reads (the construct sets them). */
export const FEEDBACK_ENV = ['LEDGER_TABLE', 'SUPPRESSIONS_TABLE', 'AUDIT_TABLE'] as const;

/**
 * Wires the feedback function's adapters from its environment, once at cold start; a
 * missing setting fails the first invocation loudly. `SOFT_BOUNCE_LIMIT` and
 * `SOFT_BOUNCE_WINDOW_DAYS` set the soft-bounce policy (default 3 within 7 days).
 */
export function feedbackPipelineFromEnv(env: NodeJS.ProcessEnv = process.env): FeedbackPipeline {
  const e = requireEnv(FEEDBACK_ENV, env);
  const now = (): Date => new Date();
  const db = documentClientOf(dynamoDb);
  return {
    notices: new DynamoDbNoticeMailEvents(db, e.LEDGER_TABLE),
    apologies: new DynamoDbApologyMailEvents(db, e.AUDIT_TABLE),
    suppressions: new DynamoDbSuppressionRegister(db, e.SUPPRESSIONS_TABLE, now),
    softBounces: {
      limit: positiveIntFromEnv('SOFT_BOUNCE_LIMIT', DEFAULT_SOFT_BOUNCE_POLICY.limit, env),
      windowDays: positiveIntFromEnv('SOFT_BOUNCE_WINDOW_DAYS', DEFAULT_SOFT_BOUNCE_POLICY.windowDays, env),
    },
    now,
  };
}
