import type { HeldOver } from './fact-at';

/**
 * The address hashes whose notices a customer's correction may have made right or wrong:
 * the hash the customer had just before the corrected interval (what we believed there
 * until the correction arrived: it now ends where the correction starts) and every hash
 * they had inside it, as we now know it. Notices mailed to any of them in the interval are
 * judged again.
 *
 * @example
 * hashesTouched(
 *   [{ validFrom: jan, validUntil: mar, emailHash: 'aa' }, { validFrom: mar, emailHash: 'bb' }],
 *   { effectiveFrom: mar },
 * ) // ['aa', 'bb']
 */
export function hashesTouched(
  timeline: readonly (HeldOver & { readonly emailHash?: string })[],
  window: { readonly effectiveFrom: string; readonly effectiveUntil?: string },
): string[] {
  const from = Date.parse(window.effectiveFrom);
  const until = window.effectiveUntil === undefined ? Number.POSITIVE_INFINITY : Date.parse(window.effectiveUntil);
  const hashes = new Set<string>();
  for (const fact of timeline) {
    const start = Date.parse(fact.validFrom);
    const end = fact.validUntil === undefined ? Number.POSITIVE_INFINITY : Date.parse(fact.validUntil);
    const overlaps = start < until && end > from;
    const endsWhereItStarts = end === from;
    if ((overlaps || endsWhereItStarts) && fact.emailHash) hashes.add(fact.emailHash);
  }
  return [...hashes].sort();
}
