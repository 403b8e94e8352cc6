import { PENDING_STATES } from '../notices/ledger-table/audit-shards';
import type { AuditShardQueue } from './ports/audit-shard-queue';

/**
 * The scheduled run's share of the audit of new rows: one message per shard onto the audit
 * queue, each audited by a row-audit worker of its own (`auditOneShard`), side by side. So the
 * audit keeps pace with notify whatever its rate: more shards in parallel, not a longer loop.
 * Returns how many shards were queued.
 *
 * @example
 * await dispatchRowAudit(queue); // 17: PENDING (legacy) and PENDING#00 … PENDING#15
 */
export async function dispatchRowAudit(queue: AuditShardQueue): Promise<number> {
  await queue.enqueue(PENDING_STATES);
  return PENDING_STATES.length;
}
