import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbApologyRecords } from '../../audit/audit-table/apology-records';
import { documentClientOf } from '../../platform/dynamodb/document';
import { DynamoDbNoticeRecords } from '../../notices/ledger-table/notice-records';
import { SqsDeferral } from '../../platform/queues/sqs-deferral';
import { SqsMessageMover } from '../../platform/queues/sqs-message-mover';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { readEnv } from '../../platform/env';
import type { Deferral } from '../../platform/queues/deferral';
import type { MessageMover } from '../../platform/queues/message-mover';
import type { NoticeRecords } from '../../notices/ports/notice-records';
import type { ApologyRecords } from '../../audit/ports/apology-records';
import { NOTICE_OPERATIONS_ENV } from '../env';
import { DynamoDbRevealRecords, type RevealRecords } from './reveal-records';
import type { RevealerRoles } from './reveal-permission';
import { parsePersonRoles } from '../../audit/person';

/** The dead-letter queues `dlq redrive` empties, each back into the queue it serves. */
export const RedriveQueue = {
  /** Purchase messages, back to the purchase queue. */
  PURCHASES: 'purchases',
  /** SES events, back to the feedback queue. */
  SES_EVENTS: 'ses-events',
} as const;
export type RedriveQueue = (typeof RedriveQueue)[keyof typeof RedriveQueue];

/** What the notice commands (show, uncertain, resolve, dlq redrive) work with. */
export interface NoticeOperations {
  readonly notices: NoticeRecords;
  readonly apologies: ApologyRecords;
  /** Who revealed which notices' addresses, and when (`notice show --reveal`). */
  readonly reveals: RevealRecords;
  /** Who may reveal (`OPERATOR_REVEALER_ROLES`: roles, and IAM users as `user/<name>`). */
  readonly revealers: RevealerRoles;
  /** The purchase queue, where a resolved notice's message goes back. */
  readonly purchases: Deferral;
  readonly redrive: Readonly<Record<RedriveQueue, MessageMover>>;
  /** Seconds a send in doubt waits for its SES events before it is listed and may be resolved. */
  readonly settleSeconds: number;
  readonly now: () => Date;
}

/**
 * Wires the notice commands from the environment (`NOTICE_OPERATIONS_ENV` in ../env.ts);
 * a missing setting fails loudly at cold start.
 *
 * @example
 * const operations = noticeOperationsFromEnv({ dynamoDb, sqs });
 */
export function noticeOperationsFromEnv(
  clients: { readonly dynamoDb: DynamoDBClient; readonly sqs: Pick<SQSClient, 'send'> },
  env: NodeJS.ProcessEnv = process.env,
): NoticeOperations {
  const e = readEnv(NOTICE_OPERATIONS_ENV, env);
  const db = documentClientOf(clients.dynamoDb);
  const mover = (fromQueueUrl: string, toQueueUrl: string): MessageMover => new SqsMessageMover({ client: clients.sqs, fromQueueUrl, toQueueUrl });
  return {
    notices: new DynamoDbNoticeRecords(db, e.LEDGER_TABLE),
    apologies: new DynamoDbApologyRecords(db, e.AUDIT_TABLE),
    reveals: new DynamoDbRevealRecords(db, e.AUDIT_TABLE),
    revealers: parsePersonRoles(e.OPERATOR_REVEALER_ROLES),
    purchases: new SqsDeferral(clients.sqs, e.PURCHASE_QUEUE_URL),
    redrive: {
      [RedriveQueue.PURCHASES]: mover(e.DEAD_LETTER_QUEUE_URL, e.PURCHASE_QUEUE_URL),
      [RedriveQueue.SES_EVENTS]: mover(e.FEEDBACK_DEAD_LETTER_QUEUE_URL, e.FEEDBACK_QUEUE_URL),
    },
    settleSeconds: e.UNCERTAIN_SETTLE_SECONDS,
    now: () => new Date(),
  };
}
