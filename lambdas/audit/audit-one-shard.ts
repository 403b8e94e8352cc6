import { newTally, type AuditTally } from './audit-tally';
import type { AuditDeps } from './audit-deps';
import { auditPendingState } from './audit-pending';
import { memoizedDirectories } from './memoized-directories';
import type { RunLease } from './ports/run-lease';

/** What auditing one shard needs: the audit's reads and marks, and a lease per shard. */
export interface ShardAuditDeps extends AuditDeps {
  /** The lease of one shard (audit table `LEASE` / `audit-shard#<state>`). */
  readonly shardLease: (state: string) => RunLease;
  readonly newRunId: () => string;
}

/** Settings of one shard's pass. */
export interface ShardAuditSettings {
  /** How long the shard's lease lasts: longer than the function's timeout, so a live worker keeps it. */
  readonly leaseMs: number;
  /** The pass stops when this little time is left. */
  readonly safetyMarginMs: number;
  /** How old a row must be before it is audited (docs/audit-and-apology.md, the settle time). */
  readonly settleMs: number;
  /** Rows one pass reads at most. */
  readonly maxRows: number;
  /** Addresses judged side by side. */
  readonly concurrency: number;
}

/** What one pass over one shard did. No personal data. */
export interface ShardAuditReport extends AuditTally {
  readonly state: string;
  readonly runId: string;
  /** `HELD`: another worker audits this shard now, so this one did nothing. */
  readonly lease: 'ACQUIRED' | 'HELD';
  /** Every row of the shard old enough to audit was audited. */
  readonly done: boolean;
  /** How long the oldest row this pass found waiting had been decided when the pass began: how far behind the audit is. */
  readonly oldestAgeSeconds?: number;
}

/**
 * One row-audit worker's pass over one shard of new rows: take the shard's lease (a second
 * message for the same shard, from an overlapping tick or a redelivery, finds it held and does
 * nothing), audit its rows at least the settle time old, oldest first, `concurrency` addresses
 * at a time, until none is left or time runs short, and give the lease back. What is left
 * waits for the next tick's message. Each row is judged once: one worker per shard at a time,
 * and a finding counts only for the pass whose mark took the row out of the index.
 *
 * @example
 * const report = await auditOneShard('PENDING#07', deps, settings, () => context.getRemainingTimeInMillis());
 */
export async function auditOneShard(
  state: string,
  deps: ShardAuditDeps,
  settings: ShardAuditSettings,
  remainingMs: () => number,
): Promise<ShardAuditReport> {
  const runId = deps.newRunId();
  const now = deps.now();
  const lease = deps.shardLease(state);
  if (!(await lease.acquire(runId, now, new Date(now.getTime() + settings.leaseMs)))) {
    return { ...newTally(), state, runId, lease: 'HELD', done: false };
  }
  try {
    // Directory reads repeat across the rows of a pass: once each per pass.
    const run: AuditDeps = { ...deps, ...memoizedDirectories(deps) };
    const incidents = await deps.incidents.list();
    const { read: _read, oldestDecidedAt, ...result } = await auditPendingState(state, run, incidents, {
      maxRows: settings.maxRows,
      hasTime: () => remainingMs() > settings.safetyMarginMs,
      decidedBy: new Date(now.getTime() - settings.settleMs).toISOString(),
      concurrency: settings.concurrency,
    });
    const oldestAgeSeconds = oldestDecidedAt === undefined ? undefined : Math.max(0, Math.round((now.getTime() - Date.parse(oldestDecidedAt)) / 1000));
    return { ...result, state, runId, lease: 'ACQUIRED', ...(oldestAgeSeconds === undefined ? {} : { oldestAgeSeconds }) };
  } finally {
    await lease.release(runId);
  }
}
