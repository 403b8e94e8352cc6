import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { RegistryNoticesError } from '../../platform/function-errors';
import { LEGACY_PENDING_STATE, pendingStateFor } from './audit-shards';
import { DAY_SHARD_ATTRIBUTE, dayShardFor } from './day-shards';
import { NoticeOutcome, purchaseItemMarkerId, ResendState, SETTLED_BY_RESEND, type LedgerEntry } from '../ledger-entry';
import { UncertainReason, type ClaimWrite, type LedgerWrite, type NoticeLedger, type ResendSettlement, type UncertainSend } from '../ports/notice-ledger';
import { conditionHeld, conditionalWrite, expiresAfterDays, fromAttributes, toAttributes } from '../../platform/dynamodb/helpers';


/**
 * Marks rows the audit has not looked at yet (the sparse `byAuditState` index): the legacy
 * value, used when a claim carries no shard (`auditPendingAs`, written before shards existed).
 */
export const AUDIT_PENDING = LEGACY_PENDING_STATE;

/**
 * The claim remembers the audit shard of its address (lambdas/notices/ledger-table/audit-shards.ts),
 * so that settling it, which knows only the notice id, files the row under that shard.
 */
const PENDING_AS = 'auditPendingAs';
const PENDING_STATE = `auditState = if_not_exists(${PENDING_AS}, :pending)`;

/**
 * Marks rows whose email is in doubt (`UNCERTAIN`, not settled by an SES event nor resolved
 * by an operator): the sparse `byDoubt` index, which `notice uncertain` reads.
 */
export const IN_DOUBT_ATTRIBUTE = 'inDoubt';
const IN_DOUBT = 'UNCERTAIN';

/** `settledBy` of a notice an operator's re-send settled. */
export { SETTLED_BY_RESEND };

export interface DynamoDbNoticeLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** How long rows are kept before DynamoDB's TTL removes them. */
  readonly retentionDays: number;
  /**
   * The customers table: a claim then also checks, in its transaction, that the recipient's row
   * is not erased (`erased`), so a notice claimed while an erasure runs is refused, and keeps no
   * address (docs/data-model.md, "Erasure").
   *
   * @default - no erasure check (tests of the ledger alone)
   */
  readonly customersTable?: string;
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
  readonly #customersTable: string | undefined;

  constructor(options: DynamoDbNoticeLedgerOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#retentionDays = options.retentionDays;
    this.#customersTable = options.customersTable;
  }

  recordDecision(entry: LedgerEntry): Promise<LedgerWrite> {
    return this.#putIfAbsent(entry);
  }

  /**
   * One `TransactWriteItems`, so still one round trip: the claim row, conditional on the event
   * having no row, and the purchase-and-item marker (`pi#<purchaseId>#<itemId>`, no attribute
   * any index is keyed on), conditional on being absent or this notice's (a retry after a
   * released claim passes). Either condition failing writes neither; each failed item comes
   * back with its old item, so which one failed needs no read:
   *
   *   [0] claim  failed ─► the event's own row (redelivery, copy, abandoned claim): `existing`
   *   [1] marker failed ─► another event claimed this purchase and item: `duplicateOf`
   *   [2] check  failed ─► the recipient's customer row is erased: `recipientErased` (with
   *                        `customersTable`; the erasure marks that row before it scrubs the
   *                        ledger, so a claim either sees the mark or is scrubbed after it)
   *
   * Without a purchase and item (no marker), the claim and the check alone.
   *
   * The marker stays when a claim is released or fails: the notice's own retry passes, and
   * another event for the purchase and item is blocked.
   */
  async claim(entry: LedgerEntry): Promise<ClaimWrite> {
    const pendingAs = { [PENDING_AS]: pendingStateFor(entry.recipientAddressHash) };
    const hasMarker = entry.purchaseId !== undefined && entry.itemId !== undefined;
    const erasureCheck = this.#customersTable !== undefined && entry.recipientCustomerId !== undefined;
    if (!hasMarker && !erasureCheck) return this.#putIfAbsent({ ...entry, outcome: NoticeOutcome.SENDING }, pendingAs);
    const row = this.#row({ ...entry, outcome: NoticeOutcome.SENDING }, pendingAs);
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.#table, Item: toAttributes(row), ConditionExpression: 'attribute_not_exists(noticeId)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ];
    if (hasMarker) {
      const marker = { noticeId: purchaseItemMarkerId(entry.purchaseId!, entry.itemId!), firstNoticeId: entry.noticeId, expiresAt: row.expiresAt };
      items.push({
        Put: {
          TableName: this.#table,
          Item: toAttributes(marker),
          ConditionExpression: 'attribute_not_exists(noticeId) OR firstNoticeId = :me',
          ExpressionAttributeValues: toAttributes({ ':me': entry.noticeId }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    if (erasureCheck) {
      items.push({
        ConditionCheck: { TableName: this.#customersTable!, Key: toAttributes({ customerId: entry.recipientCustomerId }), ConditionExpression: 'attribute_not_exists(erased)' },
      });
    }
    try {
      await this.#client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { written: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
      const claimed = failed(0) ? reasons[0]!.Item : undefined;
      if (claimed) return { written: false, existing: fromAttributes(claimed) as unknown as LedgerEntry };
      const held = hasMarker && failed(1) ? reasons[1]!.Item : undefined;
      const first = held && fromAttributes(held).firstNoticeId;
      if (typeof first === 'string') return { written: false, duplicateOf: first };
      if (erasureCheck && failed(items.length - 1)) return { written: false, recipientErased: true };
      // Cancelled for another reason (a concurrent transaction on the same item, throttling): retried by SQS.
      throw error;
    }
  }

  async markSent(noticeId: string, sesMessageId: string, sentAt: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          UpdateExpression: `SET outcome = :sent, sesMessageId = :id, sentAt = :at, ${PENDING_STATE}`,
          ConditionExpression: 'outcome = :sending',
          ExpressionAttributeValues: toAttributes({
            ':sent': NoticeOutcome.SENT,
            ':sending': NoticeOutcome.SENDING,
            ':id': sesMessageId,
            ':at': sentAt,
            ':pending': AUDIT_PENDING,
          }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      // This very update, applied by an attempt whose answer was lost (a timeout), found by the SDK's retry.
      const old = error instanceof ConditionalCheckFailedException && error.Item ? fromAttributes(error.Item) : undefined;
      if (old?.outcome === NoticeOutcome.SENT && old.sesMessageId === sesMessageId) return;
      throw error;
    }
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

  async markUncertain(noticeId: string, at: string, doubt: UncertainSend = {}): Promise<void> {
    // Listed for an operator until an SES event settles it; the purchase message is kept so
    // that an operator's resolve can have it re-sent.
    await this.#settleClaim(noticeId, NoticeOutcome.UNCERTAIN, at, doubt.reason ?? UncertainReason.CLAIM_ABANDONED, {
      [IN_DOUBT_ATTRIBUTE]: IN_DOUBT,
      ...(doubt.purchaseMessage === undefined ? {} : { purchaseMessage: doubt.purchaseMessage }),
    });
  }

  claimResend(noticeId: string, at: string): Promise<boolean> {
    return conditionHeld(
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          UpdateExpression: 'SET resend.#state = :sending, resend.claimedAt = :at',
          ConditionExpression: 'outcome = :uncertain AND resend.#state = :approved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: toAttributes({
            ':sending': ResendState.SENDING,
            ':approved': ResendState.APPROVED,
            ':uncertain': NoticeOutcome.UNCERTAIN,
            ':at': at,
          }),
        }),
      ),
    );
  }

  async settleResend(noticeId: string, settlement: ResendSettlement): Promise<void> {
    const names = { '#state': 'state' };
    let update: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> };
    if (settlement.state === ResendState.SENT) {
      // The operator's re-send went: the notice is SENT, with this email's message id.
      update = {
        UpdateExpression:
          'SET outcome = :sent, sesMessageId = :id, sentAt = :at, settledBy = :by, resend.#state = :sent, resend.sesMessageId = :id, resend.settledAt = :at ' +
          `REMOVE ${IN_DOUBT_ATTRIBUTE}, purchaseMessage`,
        ConditionExpression: 'resend.#state = :sending',
        ExpressionAttributeValues: {
          ':sent': NoticeOutcome.SENT,
          ':id': settlement.sesMessageId,
          ':at': settlement.at,
          ':by': SETTLED_BY_RESEND,
          ':sending': ResendState.SENDING,
        },
      };
    } else if (settlement.state === ResendState.APPROVED) {
      update = {
        UpdateExpression: 'SET resend.#state = :approved REMOVE resend.claimedAt',
        ConditionExpression: 'resend.#state = :sending',
        ExpressionAttributeValues: { ':approved': ResendState.APPROVED, ':sending': ResendState.SENDING },
      };
    } else {
      // Still in doubt, and listed as such, but never re-sent again: `resend` is there.
      update = {
        UpdateExpression: 'SET resend.#state = :state, resend.reason = :reason, resend.settledAt = :at',
        ConditionExpression: 'resend.#state IN (:sending, :approved)',
        ExpressionAttributeValues: {
          ':state': settlement.state,
          ':reason': settlement.reason,
          ':at': settlement.at,
          ':sending': ResendState.SENDING,
          ':approved': ResendState.APPROVED,
        },
      };
    }
    const { ExpressionAttributeValues, ...expressions } = update;
    await conditionHeld(
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: toAttributes(ExpressionAttributeValues),
          ...expressions,
        }),
      ),
    );
  }

  async #settleClaim(
    noticeId: string,
    outcome: NoticeOutcome,
    at: string,
    reason: string,
    extra: Record<string, string> = {},
  ): Promise<void> {
    // Uncertain rows may have reached someone, so the audit must look at them too.
    // A row found already settled lost a race it need not win.
    const extraSet = Object.keys(extra)
      .map((_, i) => `, #x${i} = :x${i}`)
      .join('');
    await conditionHeld(
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: toAttributes({ noticeId }),
          UpdateExpression: `SET outcome = :outcome, reason = :reason, settledAt = :at, ${PENDING_STATE}${extraSet}`,
          ConditionExpression: 'outcome = :sending',
          ...(extraSet ? { ExpressionAttributeNames: Object.fromEntries(Object.keys(extra).map((name, i) => [`#x${i}`, name])) } : {}),
          ExpressionAttributeValues: toAttributes({
            ':outcome': outcome,
            ':reason': reason,
            ':at': at,
            ':sending': NoticeOutcome.SENDING,
            ':pending': AUDIT_PENDING,
            ...Object.fromEntries(Object.values(extra).map((value, i) => [`:x${i}`, value])),
          }),
        }),
      ),
    );
  }

  /**
   * The row as stored: with its day's shard (`decidedDayShard`, the `byDecidedDayShard` key, in the
   * same put: no request more) and its expiry. No `decidedDay`: that would write the old one-key-a-day index.
   */
  #row(entry: LedgerEntry, extra: Record<string, string> = {}): Record<string, unknown> & { readonly expiresAt: number } {
    return {
      ...entry,
      ...extra,
      [DAY_SHARD_ATTRIBUTE]: dayShardFor(entry.decidedAt, entry.recipientAddressHash, entry.noticeId),
      expiresAt: expiresAfterDays(Date.parse(entry.decidedAt), this.#retentionDays),
    };
  }

  async #putIfAbsent(entry: LedgerEntry, extra: Record<string, string> = {}): Promise<LedgerWrite> {
    const item = this.#row(entry, extra);
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
