import type { AuditedNotice } from '../audited-notice';
import type { Judgement } from '../judge-notice';

/** One page of ledger rows; `cursor` is opaque and absent on the last page. */
export interface LedgerPage {
  readonly rows: readonly AuditedNotice[];
  readonly cursor?: string;
  /** Index items DynamoDB read for this page: the audit's cost. */
  readonly scanned: number;
}

/** Which notices to one address `noticesToAddress` lists. */
export interface AddressQuery {
  readonly addressHash: string;
  /** ISO 8601, inclusive. */
  readonly from: string;
  /** ISO 8601, exclusive; absent: up to now. */
  readonly until?: string;
  readonly registryId?: string;
  readonly itemId?: string;
}

/** The notice ledger as the audit reads and marks it. */
export interface AuditLedger {
  /**
   * Rows not audited yet (the sparse `byAuditState` index) of one pending state (a shard:
   * lambdas/notices/ledger-table/audit-shards.ts; default the legacy `PENDING`), oldest first; only
   * those decided at or before `decidedBy` when given (younger ones wait: see the audit's settle time).
   */
  pendingRows(limit: number, cursor?: string, decidedBy?: string, state?: string): Promise<LedgerPage>;
  /**
   * The ids of the rows mailed to `addressHash` and decided in [`from`, `until`) (open-ended
   * without `until`), optionally only those about one registry (and item): the `byAddress` index.
   */
  noticesToAddress(query: AddressQuery): Promise<string[]>;
  /**
   * Rows decided on one UTC day (its 32 shards of the `byDecidedDayShard` index, and the
   * `byDecidedDay` index for rows written before them) between `from` and `to` (inclusive),
   * optionally only those of one `sender`; each page in `decidedAt` order.
   */
  rowsOfDay(
    query: { readonly day: string; readonly from?: string; readonly to?: string; readonly sender?: string },
    limit: number,
    cursor?: string,
  ): Promise<LedgerPage>;
  /** One row, read strongly consistent; `undefined` when gone (e.g. expired). */
  getRow(noticeId: string): Promise<AuditedNotice | undefined>;
  /**
   * Records the audit's finding and takes the row out of the pending index. True when this
   * mark is the one that took it out (the row was pending until now): the finding is new and
   * counted by this caller alone, however many judged it side by side.
   */
  markAudited(noticeId: string, judgement: Judgement, at: string): Promise<boolean>;
}
