import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../domain/address-hash';
import { noticeIdForImport, senderForSource, type SendLogLine } from '../domain/audit/send-log-line';
import { NoticeOutcome } from '../domain/ledger-entry';
import type { ImportedNoticeStore } from '../ports/imported-notices';
import { AuditKeys } from './audit-table-keys';
import { AUDIT_PENDING } from './dynamodb-notice-ledger';

export interface DynamoDbImportedNoticesOptions {
  readonly client: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly auditTable: string;
  /** How long rows are kept before DynamoDB's TTL removes them (as for our own rows). */
  readonly retentionDays: number;
}

/**
 * Writes imported notices into the ledger as `imp#<source>#<sourceNoticeId>` rows,
 * `outcome=SENT`, `sender=import:<source>`, `auditState=PENDING`; conditional on the key,
 * so importing the same log again changes nothing.
 */
export class DynamoDbImportedNotices implements ImportedNoticeStore {
  constructor(private readonly options: DynamoDbImportedNoticesOptions) {}

  async putIfAbsent(line: SendLogLine, importedAt: string): Promise<'written' | 'exists'> {
    // Normalised to UTC so the day partition and the sort order agree with our own rows.
    const decidedAt = new Date(line.sentAt).toISOString();
    const item = {
      noticeId: noticeIdForImport(line.source, line.sourceNoticeId),
      eventId: line.eventId,
      purchaseId: line.purchaseId,
      registryId: line.registryId,
      itemId: line.itemId,
      recipientCustomerId: line.recipientCustomerId,
      recipientAddress: line.recipientAddress.trim(),
      recipientAddressHash: addressHash(line.recipientAddress),
      template: line.template,
      locale: line.locale,
      outcome: NoticeOutcome.SENT,
      decidedAt,
      sentAt: decidedAt,
      decidedDay: decidedAt.slice(0, 10),
      sender: senderForSource(line.source),
      sourceNoticeId: line.sourceNoticeId,
      importedAt,
      auditState: AUDIT_PENDING,
      // Retention counts from the import: an old send log is evidence from the day it arrives,
      // and a TTL already in the past would let DynamoDB delete the rows at once.
      expiresAt: Math.floor(Date.parse(importedAt) / 1000) + this.options.retentionDays * 86_400,
    };
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.ledgerTable,
          Item: Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)),
          ConditionExpression: 'attribute_not_exists(noticeId)',
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async recordSourceDays(source: string, days: readonly string[]): Promise<void> {
    for (let i = 0; i < days.length; i += 25) {
      let requests = days.slice(i, i + 25).map((day) => ({ PutRequest: { Item: { ...AuditKeys.sourceDay(source, day), source, day } } }));
      // BatchWriteItem may hand back throttled items: retry them with a little backoff.
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const out = await this.options.client.send(
          new BatchWriteCommand({ RequestItems: { [this.options.auditTable]: requests } }),
        );
        requests = (out.UnprocessedItems?.[this.options.auditTable] ?? []) as typeof requests;
      }
    }
  }
}
