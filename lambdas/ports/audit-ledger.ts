import type { AuditedNotice } from '../domain/audit/audited-notice';
import type { Judgement } from '../domain/audit/judge-notice';

/** One page of ledger rows; `cursor` is opaque and absent on the last page. */
export interface LedgerPage {
  readonly rows: readonly AuditedNotice[];
  readonly cursor?: string;
  /** Index items DynamoDB read for this page: the audit's cost. */
  readonly scanned: number;
}

/** The notice ledger as the audit reads and marks it. */
export interface AuditLedger {
  /** Rows not audited yet (the sparse `byAuditState` index), oldest first. */
  pendingRows(limit: number, cursor?: string): Promise<LedgerPage>;
  /**
   * Rows decided on one UTC day (the `byDecidedDay` index) between `from` and `to`
   * (inclusive), optionally only those of one `sender`.
   */
  rowsOfDay(
    query: { readonly day: string; readonly from?: string; readonly to?: string; readonly sender?: string },
    limit: number,
    cursor?: string,
  ): Promise<LedgerPage>;
  /** One row, read strongly consistent; `undefined` when gone (e.g. expired). */
  getRow(noticeId: string): Promise<AuditedNotice | undefined>;
  /** Records the audit's finding and takes the row out of the pending index. */
  markAudited(noticeId: string, judgement: Judgement, at: string): Promise<void>;
}
