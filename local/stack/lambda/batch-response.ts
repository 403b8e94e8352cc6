/** What the event source mapping does with a batch after the handler returned. */
export type BatchOutcome =
  | { readonly kind: 'all-succeeded' }
  | { readonly kind: 'partial'; readonly failedMessageIds: readonly string[] }
  | { readonly kind: 'batch-failed'; readonly reason: string };

/**
 * Reads a handler's response to an SQS batch the way Lambda does.
 *
 * Without `ReportBatchItemFailures`, any response means the whole batch succeeded.
 * With it: `null`, `{}` or an empty `batchItemFailures` → all succeeded; a list of
 * `{ itemIdentifier }` naming messages of the batch → only those failed; an identifier
 * that is empty, missing or not in the batch, or a malformed response → the whole batch
 * failed (Lambda retries all of it).
 *
 * @example
 * batchOutcome({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ['m1', 'm2'], true)
 * // { kind: 'partial', failedMessageIds: ['m2'] }
 */
export function batchOutcome(response: unknown, messageIds: readonly string[], reportBatchItemFailures: boolean): BatchOutcome {
  if (!reportBatchItemFailures || response === null || response === undefined) return { kind: 'all-succeeded' };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'batch-failed', reason: 'the response is not a batch response object' };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'all-succeeded' };
  if (!Array.isArray(failures)) return { kind: 'batch-failed', reason: 'batchItemFailures is not a list' };
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'batch-failed', reason: 'a batch item failure has an empty or missing itemIdentifier' };
    }
    if (!known.has(id)) return { kind: 'batch-failed', reason: `itemIdentifier ${id} is not a message of this batch` };
    failed.add(id);
  }
  return failed.size === 0 ? { kind: 'all-succeeded' } : { kind: 'partial', failedMessageIds: [...failed] };
}
