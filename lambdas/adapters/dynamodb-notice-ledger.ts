import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RegistryNoticesError } from '../commons/errors';
import { NoticeOutcome, type LedgerEntry } from '../domain/ledger-entry';
import type { LedgerWrite, NoticeLedger } from '../ports/notice-ledger';
import { conditionHeld, conditionalWrite, expiresAfterDays, toAttributes } from './dynamodb-helpers';

/** Marks rows the audit has not looked at yet (the sparse `byAuditState` index). */
export const AUDIT_PENDING = 'PENDING';

export interface DynamoDbNoticeLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** How long rows are kept before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
}

/**
 * The notice ledger in DynamoDB. Every write is conditional on `noticeId`, which is
 * what makes a redelivered or concurrent message a no-op rather than a second email.
 * A decision or claim that finds the row there gets it back in the same request
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), so the ledger is never read first.
 */
export class DynamoDbNoticeLedger implements NoticeLedger {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #retentionDays: number;

  constructor(options: DynamoDbNoticeLedgerOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#retentionDays = options.retentionDays;
  }

  recordDecision(entry: LedgerEntry): Promise<LedgerWrite> {
    return this.#putIfAbsent(entry);
  }

  claim(entry: LedgerEntry): Promise<LedgerWrite> {
    return this.#putIfAbsent({ ...entry, outcome: NoticeOutcome.SENDING });
  }

  async markSent(noticeId: string, sesMessageId: string, sentAt: string): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: toAttributes({ noticeId }),
        UpdateExpression: 'SET outcome = :sent, sesMessageId = :id, sentAt = :at, auditState = :pending',
        ConditionExpression: 'outcome = :sending',
        ExpressionAttributeValues: toAttributes({
          ':sent': NoticeOutcome.SENT,
          ':sending': NoticeOutcome.SENDING,
          ':id': sesMessageId,
          ':at': sentAt,
          ':pending': AUDIT_PENDING,
        }),
      }),
    );
  }

  async release(noticeId: string): Promise<void> {
    // A conditional settle that finds the row already settled lost a race it need not win.
    await conditionHeld(
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          ConditionExpression: 'outcome = :sending',
          ExpressionAttributeValues: toAttributes({ ':sending': NoticeOutcome.SENDING }),
        }),
      ),
    );
  }

  async markFailed(noticeId: string, reason: string, at: string): Promise<void> {
    await this.#settleClaim(noticeId, NoticeOutcome.FAILED, at, reason);
  }

  async markUncertain(noticeId: string, at: string): Promise<void> {
    await this.#settleClaim(noticeId, NoticeOutcome.UNCERTAIN, at, 'CLAIM_ABANDONED');
  }

  async #settleClaim(noticeId: string, outcome: NoticeOutcome, at: string, reason: string): Promise<void> {
    // Uncertain rows may have reached someone, so the audit must look at them too.
    // A row found already settled lost a race it need not win.
    await conditionHeld(
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          UpdateExpression: 'SET outcome = :outcome, reason = :reason, settledAt = :at, auditState = :pending',
          ConditionExpression: 'outcome = :sending',
          ExpressionAttributeValues: toAttributes({
            ':outcome': outcome,
            ':reason': reason,
            ':at': at,
            ':sending': NoticeOutcome.SENDING,
            ':pending': AUDIT_PENDING,
          }),
        }),
      ),
    );
  }

  async #putIfAbsent(entry: LedgerEntry): Promise<LedgerWrite> {
    const item = {
      ...entry,
      decidedDay: entry.decidedAt.slice(0, 10),
      expiresAt: expiresAfterDays(Date.parse(entry.decidedAt), this.#retentionDays),
    };
    const write = await conditionalWrite(
      this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: toAttributes(item),
          ConditionExpression: 'attribute_not_exists(noticeId)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (write.written) return write;
    // attribute_not_exists failed, so the row exists: DynamoDB returns it unless the API lacks the option.
    if (!write.existing) throw new RegistryNoticesError(`the ledger write of ${entry.noticeId} found a row but DynamoDB returned none`);
    return { written: false, existing: write.existing as unknown as LedgerEntry };
  }
}
