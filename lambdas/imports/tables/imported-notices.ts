import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../directory/address-hash';
import { pendingStateFor } from '../../notices/ledger-table/audit-shards';
import { DAY_SHARD_ATTRIBUTE, dayShardFor } from '../../notices/ledger-table/day-shards';
import { noticeIdForImport, senderForSource, type SendLogLine } from '../../audit/send-log-line';
import { NoticeOutcome } from '../../notices/ledger-entry';
import type { ImportedNoticePut, ImportedNoticeStore } from '../ports/imported-notices';
import type { ErasedRecipientCheck } from '../erased-recipients';
import { AuditKeys } from '../../audit/audit-table/keys';
import { batchWriteAll } from '../../platform/dynamodb/document';
import { conditionHeld, expiresAfterDays, stripUndefined } from '../../platform/dynamodb/helpers';

export interface DynamoDbImportedNoticesOptions {
  readonly client: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly auditTable: string;
  /** How long rows are kept before DynamoDB's TTL removes them (as for our own rows). */
  readonly retentionDays: number;
  /**
   * Whether the row is about an erased customer: it is then written without `recipientAddress`
   * (`recipientErased: true`), as the erasure leaves the rows it finds.
   *
   * @default - every row keeps its address (tests of the store alone)
   */
  readonly erasedRecipients?: ErasedRecipientCheck;
}

/**
 * Writes imported notices into the ledger as `imp#<source>#<sourceNoticeId>` rows,
 * `outcome=SENT`, `sender=import:<source>`, `auditState=PENDING#<shard>`; conditional on the key,
 * so importing the same log again changes nothing.
 */
export class DynamoDbImportedNotices implements ImportedNoticeStore {
  constructor(private readonly options: DynamoDbImportedNoticesOptions) {}

  async putIfAbsent(line: SendLogLine, importedAt: string, importedBy?: string): Promise<ImportedNoticePut> {
    // Normalised to UTC so the day partition and the sort order agree with our own rows.
    const decidedAt = new Date(line.sentAt).toISOString();
    const recipientAddressHash = addressHash(line.recipientAddress);
    const erasedRecipient = await this.options.erasedRecipients?.(recipientAddressHash, decidedAt, line.recipientCustomerId);
    const erased = erasedRecipient !== undefined;
    const noticeId = noticeIdForImport(line.source, line.sourceNoticeId);
    const item = {
      noticeId,
      eventId: line.eventId,
      purchaseId: line.purchaseId,
      registryId: line.registryId,
      itemId: line.itemId,
      // The other system's guess at who it wrote to: only ever checked. `recipientCustomerId`
      // means "per our data" on every ledger row, and an import has none of ours.
      claimedRecipientCustomerId: line.recipientCustomerId,
      // An erased customer's row keeps the hash, not the address (docs/data-model.md, "Erasure").
      recipientAddress: erased ? undefined : line.recipientAddress,
      ...(erased ? { recipientErased: true } : {}),
      recipientAddressHash,
      template: line.template,
      locale: line.locale,
      outcome: NoticeOutcome.SENT,
      decidedAt,
      sentAt: decidedAt,
      // Its day's shard (lambdas/notices/ledger-table/day-shards.ts), as for our own rows.
      [DAY_SHARD_ATTRIBUTE]: dayShardFor(decidedAt, recipientAddressHash, noticeId),
      sender: senderForSource(line.source),
      sourceNoticeId: line.sourceNoticeId,
      importedAt,
      // Who put the send log (the two-person rule: they may not approve the apologies it causes).
      importedBy,
      // Filed under its address's audit shard (lambdas/notices/ledger-table/audit-shards.ts).
      auditState: pendingStateFor(recipientAddressHash),
      // Retention counts from the import: an old send log is evidence from the day it arrives,
      // and a TTL already in the past would let DynamoDB delete the rows at once.
      expiresAt: expiresAfterDays(Date.parse(importedAt), this.options.retentionDays),
    };
    const written = await conditionHeld(
      this.options.client.send(
        new PutCommand({
          TableName: this.options.ledgerTable,
          Item: stripUndefined(item),
          ConditionExpression: 'attribute_not_exists(noticeId)',
        }),
      ),
    );
    return { outcome: written ? 'written' : 'exists', ...(erasedRecipient ? { erased: erasedRecipient } : {}) };
  }

  async recordSourceDays(source: string, days: readonly string[]): Promise<void> {
    await batchWriteAll(
      this.options.client,
      this.options.auditTable,
      days.map((day) => ({ PutRequest: { Item: { ...AuditKeys.sourceDay(source, day), source, day } } })),
    );
  }
}
