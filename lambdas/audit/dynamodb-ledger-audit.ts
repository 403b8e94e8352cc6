import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditedNotice } from './audited-notice';
import type { Judgement } from './judge-notice';
import type { AddressQuery, AuditLedger, LedgerPage } from './ports/audit-ledger';
import { AUDIT_PENDING } from '../notices/ledger-table/notice-ledger';
import { DAY_SHARD_ATTRIBUTE, dayShardKeys, LEGACY_DAY_ATTRIBUTE } from '../notices/ledger-table/day-shards';
import { decodeCursor, encodeCursor } from '../platform/dynamodb/cursor';
import { queryAll } from '../platform/dynamodb/document';
import { conditionHeld } from '../platform/dynamodb/helpers';

/** Index names of docs/data-model.md. */
export const LEDGER_INDEXES = {
  byAuditState: 'byAuditState',
  byDecidedDay: 'byDecidedDay',
  byDecidedDayShard: 'byDecidedDayShard',
  byAddress: 'byAddress',
} as const;

/** One partition of a day's rows: the one of rows written before the day shards, or one shard. */
interface DayPartition {
  /** Its name in a cursor. */
  readonly name: string;
  readonly index: string;
  readonly attribute: string;
  readonly value: string;
}

/** The 33 partitions that hold a day's rows: the old `decidedDay` one, then `decidedDayShard` 00-31. */
function dayPartitions(day: string): DayPartition[] {
  return [
    { name: 'legacy', index: LEDGER_INDEXES.byDecidedDay, attribute: LEGACY_DAY_ATTRIBUTE, value: day },
    ...dayShardKeys(day).map((value, shard) => ({ name: String(shard), index: LEDGER_INDEXES.byDecidedDayShard, attribute: DAY_SHARD_ATTRIBUTE, value })),
  ];
}

/**
 * Where a day's read stands in each partition: the last row read (its `noticeId` and `decidedAt`: with the
 * partition, the index's start key), or `null` once read to the end; absent: not begun.
 */
type DayPositions = Record<string, readonly [noticeId: string, decidedAt: string] | null>;

/** Marks a day cursor of the sharded read, told apart from one saved before it. */
const DAY_CURSOR_VERSION = 2;

function decodeDayCursor(cursor: string | undefined): DayPositions {
  const decoded = decodeCursor(cursor);
  if (decoded === undefined) return {};
  // Saved by a sweep before the day shards: its key in the one index it read; the shards are not begun.
  if (decoded.v !== DAY_CURSOR_VERSION) return { legacy: [String(decoded.noticeId), String(decoded.decidedAt)] };
  return decoded.at as DayPositions;
}

function startKey(partition: DayPartition, position: DayPositions[string] | undefined): Record<string, unknown> | undefined {
  return position ? { noticeId: position[0], [partition.attribute]: partition.value, decidedAt: position[1] } : undefined;
}

/**
 * The ledger as the audit sees it: pending rows from the sparse `byAuditState` index
 * (cost grows with new rows, not with the ledger), an incident's days from
 * `byDecidedDayShard` (and `byDecidedDay` for rows written before it), and the audit's marks.
 * Never a table scan.
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

  /**
   * A page of a day is the next rows of each of its partitions not yet read to the end, asked side
   * by side (at most `limit` / those partitions each, or 1 from each of the first `limit` when
   * more are open: a page is at most `limit` rows, in one round trip's time), in `decidedAt`
   * order. Each partition is read in order, and the rows that could be duplicates of one another
   * share one (lambdas/notices/ledger-table/day-shards.ts). The cursor holds each partition's
   * position; one saved before the shards resumes the old index's read.
   */
  async rowsOfDay(
    query: { readonly day: string; readonly from?: string; readonly to?: string; readonly sender?: string },
    limit: number,
    cursor?: string,
  ): Promise<LedgerPage> {
    const positions = decodeDayCursor(cursor);
    const partitions = dayPartitions(query.day);
    const open = partitions.filter((p) => positions[p.name] !== null);
    if (open.length === 0) return { rows: [], scanned: 0 };
    const values: Record<string, unknown> = {};
    let range = '';
    if (query.from !== undefined && query.to !== undefined) {
      range = ' AND decidedAt BETWEEN :from AND :to';
      values[':from'] = query.from;
      values[':to'] = query.to;
    }
    if (query.sender !== undefined) values[':sender'] = query.sender;
    const asked = open.slice(0, Math.max(1, limit));
    const each = Math.max(1, Math.floor(limit / asked.length));
    const outs = await Promise.all(
      asked.map((p) =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: p.index,
            KeyConditionExpression: `${p.attribute} = :day${range}`,
            ...(query.sender !== undefined ? { FilterExpression: 'sender = :sender' } : {}),
            ExpressionAttributeValues: { ...values, ':day': p.value },
            Limit: each,
            ExclusiveStartKey: startKey(p, positions[p.name]),
          }),
        ),
      ),
    );
    const next: DayPositions = { ...positions };
    asked.forEach((p, i) => {
      const last = outs[i]!.LastEvaluatedKey;
      next[p.name] = last ? [String(last.noticeId), String(last.decidedAt)] : null;
    });
    // Stable: rows of one partition with the same instant keep the index's order.
    const rows = outs.flatMap((out) => (out.Items ?? []).map(toNotice)).sort((a, b) => (a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0));
    const done = partitions.every((p) => next[p.name] === null);
    return {
      rows,
      cursor: done ? undefined : encodeCursor({ v: DAY_CURSOR_VERSION, at: next }),
      scanned: outs.reduce((sum, out) => sum + (out.ScannedCount ?? 0), 0),
    };
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
    ...(str(item.importedBy) ? { importedBy: str(item.importedBy)! } : {}),
  };
}
