import { DynamoDbApologyMailEvents } from '../adapters/dynamodb-apology-mail-events';
import { DynamoDbNoticeMailEvents } from '../adapters/dynamodb-notice-mail-events';
import { DynamoDbSuppressionRegister } from '../adapters/dynamodb-suppression-register';
import { documentClientOf } from '../adapters/dynamodb-document';
import { dynamoDb } from '../commons/clients/dynamodb';
import { positiveIntFromEnv, requireEnv } from '../commons/env';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../domain/suppression-policy';
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
