import type { Incident } from '../domain/audit/incident';
import type { AuditDeps } from './audit-deps';
import { auditRow } from './audit-row';
import { countJudgement, newTally, type AuditTally } from './audit-tally';

/** Limits of one pass over the pending rows. */
export interface AuditPassBudget {
  readonly maxRows: number;
  readonly pageSize?: number;
  /** False once the run must stop to finish in time. */
  readonly hasTime: () => boolean;
  /** Only rows decided at or before this instant (ISO 8601) are audited; younger ones wait. */
  readonly decidedBy?: string;
}

/**
 * Audits rows the audit has not seen (the sparse `byAuditState` index), oldest first,
 * until none is left, `maxRows` is reached or time runs short. Each audited row leaves
 * the index, so the next run reads only rows added since: the cost of a run grows with
 * new rows, never with the size of the ledger.
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
  let cursor: string | undefined;
  for (;;) {
    if (tally.rows >= budget.maxRows || !budget.hasTime()) return { ...tally, done: false };
    const page = await deps.ledger.pendingRows(Math.min(budget.pageSize ?? 100, budget.maxRows - tally.rows), cursor, budget.decidedBy);
    tally.scanned += page.scanned;
    for (const row of page.rows) countJudgement(tally, await auditRow(row, incidents, deps));
    if (!page.cursor) return { ...tally, done: true };
    cursor = page.cursor;
  }
}
