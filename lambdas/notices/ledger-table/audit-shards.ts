/**
 * The audit of new rows is fanned out by shard: a row waiting for the audit carries
 * `auditState = PENDING#<nn>` (the sparse `byAuditState` index's partition), chosen from the
 * hash of the address it went to, and one worker audits one shard at a time.
 *
 * By address, so that every row that could be a duplicate of another (the duplicate keys all
 * start with the address hash: docs/audit-and-apology.md, "Duplicates") is in the same shard
 * and judged in `decidedAt` order, as a single loop judged them: "the first notice" stays the
 * first in time. Sixteen index partitions also keep the index's write rate per partition far
 * under DynamoDB's per-partition limit (1,000 writes/s) at any rate notify sustains.
 *
 * Rows marked plain `PENDING` (written before the shards, or by a writer that does not know
 * them) are the legacy shard, audited like the others.
 */

/** How many shards the pending rows are spread over. Writers and the audit must agree: changing it strands rows. */
export const AUDIT_SHARD_COUNT = 16;

/** The `auditState` of rows written before shards existed; still audited. */
export const LEGACY_PENDING_STATE = 'PENDING';

/** Every `auditState` a row waiting for the audit may carry: the legacy one, then the shards. */
export const PENDING_STATES: readonly string[] = [
  LEGACY_PENDING_STATE,
  ...Array.from({ length: AUDIT_SHARD_COUNT }, (_, shard) => `${LEGACY_PENDING_STATE}#${String(shard).padStart(2, '0')}`),
];

/**
 * The `auditState` of a row mailed to the address with this hash (SHA-256 hex). A row that
 * names no address goes to the first shard.
 *
 * @example
 * pendingStateFor('0a3f…') // 'PENDING#10' (0x0a3f… mod 16)
 */
export function pendingStateFor(addressHash: string | undefined): string {
  const lead = addressHash && /^[0-9a-f]{8}/i.test(addressHash) ? Number.parseInt(addressHash.slice(0, 8), 16) : 0;
  return PENDING_STATES[1 + (lead % AUDIT_SHARD_COUNT)]!;
}

/** Whether `state` is one of {@link PENDING_STATES}. */
export function isPendingState(state: string): boolean {
  return PENDING_STATES.includes(state);
}
