import { PENDING_STATES } from '../notices/ledger-table/audit-shards';
import type { AuditedNotice } from './audited-notice';
import type { Incident } from './incident';
import type { AuditLedger } from './ports/audit-ledger';
import type { AuditDeps } from './audit-deps';
import { auditRow } from './audit-row';
import { addTally, countJudgement, newTally, type AuditTally } from './audit-tally';

/** Limits of one pass over the pending rows. */
export interface AuditPassBudget {
  /** Rows read at most (judged or not). */
  readonly maxRows: number;
  readonly pageSize?: number;
  /** False once the run must stop to finish in time. */
  readonly hasTime: () => boolean;
  /** Only rows decided at or before this instant (ISO 8601) are audited; younger ones wait. */
  readonly decidedBy?: string;
  /**
   * Addresses judged side by side; the rows of one address are judged one after the other,
   * oldest first, so the first notice to an address stays the first in time.
   *
   * @default 1
   */
  readonly concurrency?: number;
}

/**
 * Audits rows the audit has not seen, every pending state in turn (the legacy `PENDING`, then
 * each shard: lambdas/notices/ledger-table/audit-shards.ts), until none is left, `maxRows` is reached
 * or time runs short. The scheduled run does this itself only when no audit queue is wired;
 * otherwise the shards are fanned out to the row-audit workers (`auditOneShard`).
 *
 * @example
 * const tally = await auditPending(deps, incidents, { maxRows: 5000, hasTime: () => true });
 */
export async function auditPending(
  deps: AuditDeps,
  incidents: readonly Incident[],
  budget: AuditPassBudget,
): Promise<AuditTally & { done: boolean }> {
  const tally = newTally();
  let read = 0;
  for (const state of PENDING_STATES) {
    const part = await auditPendingState(state, deps, incidents, { ...budget, maxRows: budget.maxRows - read });
    addTally(tally, part);
    read += part.read;
    if (!part.done) return { ...tally, done: false };
  }
  return { ...tally, done: true };
}

/**
 * Audits the rows of one pending state (one shard of the sparse `byAuditState` index), oldest
 * first. Each audited row leaves the index, so the next pass reads only rows added since: the
 * cost grows with new rows, never with the size of the ledger.
 *
 * A row is counted (rows, verdicts, wrong notices by reason) only by the pass whose mark took
 * it out of the index: if two passes judge one row side by side, its finding counts once.
 *
 * @example
 * const tally = await auditPendingState('PENDING#07', deps, incidents, { maxRows: 5000, hasTime, concurrency: 8 });
 */
export async function auditPendingState(
  state: string,
  deps: AuditDeps,
  incidents: readonly Incident[],
  budget: AuditPassBudget,
): Promise<AuditTally & { done: boolean; read: number; oldestDecidedAt?: string }> {
  const tally = newTally();
  let oldestDecidedAt: string | undefined;
  const taken = new Set<string>();
  const marking: AuditDeps = { ...deps, ledger: takenMarks(deps.ledger, taken) };
  let read = 0;
  let cursor: string | undefined;
  const finish = (done: boolean) => ({ ...tally, done, read, ...(oldestDecidedAt ? { oldestDecidedAt } : {}) });
  for (;;) {
    if (read >= budget.maxRows || !budget.hasTime()) return finish(false);
    const page = await deps.ledger.pendingRows(Math.min(budget.pageSize ?? 100, budget.maxRows - read), cursor, budget.decidedBy, state);
    tally.scanned += page.scanned;
    read += page.rows.length;
    // Oldest first: the first row read tells how far behind the audit is.
    oldestDecidedAt ??= page.rows[0]?.decidedAt;
    await forEachAddress(page.rows, budget.concurrency ?? 1, async (row) => {
      const judgement = await auditRow(row, incidents, marking);
      if (taken.delete(row.noticeId)) countJudgement(tally, judgement);
    });
    if (!page.cursor) return finish(true);
    cursor = page.cursor;
  }
}

/** The ledger, noting the rows whose mark took them out of the pending index. */
function takenMarks(ledger: AuditLedger, taken: Set<string>): AuditLedger {
  return {
    pendingRows: (...args) => ledger.pendingRows(...args),
    noticesToAddress: (query) => ledger.noticesToAddress(query),
    rowsOfDay: (...args) => ledger.rowsOfDay(...args),
    getRow: (noticeId) => ledger.getRow(noticeId),
    markAudited: async (noticeId, judgement, at) => {
      const took = await ledger.markAudited(noticeId, judgement, at);
      if (took) taken.add(noticeId);
      return took;
    },
  };
}

/**
 * Runs `work` for every row, `concurrency` addresses at a time, the rows of one address one
 * after the other in the order given. Hand-written (a dozen lines) rather than a pool library:
 * the grouping by address is the point, and no pool does that.
 */
async function forEachAddress(rows: readonly AuditedNotice[], concurrency: number, work: (row: AuditedNotice) => Promise<void>): Promise<void> {
  const groups = new Map<string, AuditedNotice[]>();
  for (const row of rows) {
    // A row that names no address shares no duplicate key with any other: a group of its own.
    const key = row.recipientAddressHash ?? `\u0000${row.noticeId}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const queue = [...groups.values()];
  let failed = false;
  const runner = async (): Promise<void> => {
    for (let group = queue.shift(); group && !failed; group = queue.shift()) {
      try {
        for (const row of group) await work(row);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Every runner finishes before this returns (nothing runs on after a failure); the first failure is thrown.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, runner));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}
