import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditedNotice } from './audited-notice';
import type { Judgement } from './judge-notice';
import type { AddressQuery, AuditLedger, LedgerPage } from './ports/audit-ledger';
import { AUDIT_PENDING } from '../notices/ledger-table/notice-ledger';
import { decodeCursor, encodeCursor } from '../platform/dynamodb/cursor';
import { queryAll } from '../platform/dynamodb/document';
import { conditionHeld } from '../platform/dynamodb/helpers';

/** Index names of docs/data-model.md. */
export const LEDGER_INDEXES = { byAuditState: 'byAuditState', byDecidedDay: 'byDecidedDay', byAddress: 'byAddress' } as const;

/**
 * The ledger as the audit sees it: pending rows from the sparse `byAuditState` index
 * (cost grows with new rows, not with the ledger), an incident's days from
 * `byDecidedDay`, and the audit's marks. Never a table scan.
 */
export class DynamoDbLedgerAudit implements AuditLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  pendingRows(limit: number, cursor?: string, decidedBy?: string, state: string = AUDIT_PENDING): Promise<LedgerPage> {
    return this.#query({
      TableName: this.tableName,
      IndexName: LEDGER_INDEXES.byAuditState,
      KeyConditionExpression: `auditState = :pending${decidedBy === undefined ? '' : ' AND decidedAt <= :by'}`,
      ExpressionAttributeValues: { ':pending': state, ...(decidedBy === undefined ? {} : { ':by': decidedBy }) },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    });
  }

  async noticesToAddress(query: AddressQuery): Promise<string[]> {
    const values: Record<string, unknown> = { ':hash': query.addressHash, ':from': query.from };
    // The sort key is an ISO instant: BETWEEN is inclusive, so the exclusive end is the millisecond before.
    const range = query.until === undefined ? 'decidedAt >= :from' : 'decidedAt BETWEEN :from AND :last';
    if (query.until !== undefined) values[':last'] = new Date(Date.parse(query.until) - 1).toISOString();
    const filters: string[] = [];
    if (query.registryId !== undefined) {
      filters.push('registryId = :registry');
      values[':registry'] = query.registryId;
    }
    if (query.itemId !== undefined) {
      filters.push('itemId = :item');
      values[':item'] = query.itemId;
    }
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: LEDGER_INDEXES.byAddress,
      KeyConditionExpression: `recipientAddressHash = :hash AND ${range}`,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeValues: values,
    });
    return items.map((item) => String(item.noticeId));
  }

  rowsOfDay(
    query: { readonly day: string; readonly from?: string; readonly to?: string; readonly sender?: string },
    limit: number,
    cursor?: string,
  ): Promise<LedgerPage> {
    const values: Record<string, unknown> = { ':day': query.day };
    let key = 'decidedDay = :day';
    if (query.from !== undefined && query.to !== undefined) {
      key += ' AND decidedAt BETWEEN :from AND :to';
      values[':from'] = query.from;
      values[':to'] = query.to;
    }
    if (query.sender !== undefined) values[':sender'] = query.sender;
    return this.#query({
      TableName: this.tableName,
      IndexName: LEDGER_INDEXES.byDecidedDay,
      KeyConditionExpression: key,
      ...(query.sender !== undefined ? { FilterExpression: 'sender = :sender' } : {}),
      ExpressionAttributeValues: values,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    });
  }

  async getRow(noticeId: string): Promise<AuditedNotice | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { noticeId }, ConsistentRead: true }));
    return Item ? toNotice(Item) : undefined;
  }

  async markAudited(noticeId: string, judgement: Judgement, at: string): Promise<boolean> {
    // REMOVE auditState takes the row out of the sparse index: the next run does not read it again.
    // The old auditState (returned at no extra cost) tells whether this mark took it out.
    const update = this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { noticeId },
        UpdateExpression: `SET auditVerdict = :verdict, auditedAt = :at${judgement.reason ? ', auditReason = :reason' : ''} REMOVE auditState${judgement.reason ? '' : ', auditReason'}`,
        ConditionExpression: 'attribute_exists(noticeId)',
        ExpressionAttributeValues: {
          ':verdict': judgement.verdict,
          ':at': at,
          ...(judgement.reason ? { ':reason': judgement.reason } : {}),
        },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    // A failed condition means the row expired (TTL) since it was read: nothing left to mark.
    return (await conditionHeld(update)) && typeof (await update).Attributes?.auditState === 'string';
  }

  async #query(input: QueryCommandInput): Promise<LedgerPage> {
    const out = await this.client.send(new QueryCommand(input));
    return {
      rows: (out.Items ?? []).map(toNotice),
      cursor: encodeCursor(out.LastEvaluatedKey),
      scanned: out.ScannedCount ?? 0,
    };
  }
}

/** A ledger item as the audit reads it. */
export function toNotice(item: Record<string, unknown>): AuditedNotice {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    noticeId: String(item.noticeId),
    eventId: str(item.eventId),
    purchaseId: str(item.purchaseId),
    registryId: str(item.registryId),
    itemId: str(item.itemId),
    recipientAddress: str(item.recipientAddress),
    recipientAddressHash: str(item.recipientAddressHash),
    locale: str(item.locale),
    outcome: String(item.outcome ?? ''),
    decidedAt: String(item.decidedAt ?? ''),
    sender: String(item.sender ?? ''),
  };
}
