import type { HeldOver } from './fact-at';

/** The span of time a correction changed: [`effectiveFrom`, `effectiveUntil`), open-ended without an end. */
export interface CorrectedWindow {
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string;
}

/**
 * The values a timeline's facts took in a corrected window, as we now know it, and the value
 * of the fact just before it (what we believed for the window until the correction arrived:
 * that fact now ends where the correction starts). Applied to a registry's owners or a
 * customer's address hashes, these are whose notices the correction may have made right or
 * wrong. Sorted, each once.
 *
 * @example
 * valuesTouched(
 *   [{ validFrom: jan, validUntil: mar, ownerCustomerId: 'c-5' }, { validFrom: mar, ownerCustomerId: 'c-7' }],
 *   { effectiveFrom: mar },
 *   (f) => f.ownerCustomerId,
 * ) // ['c-5', 'c-7']
 */
export function valuesTouched<T extends HeldOver>(timeline: readonly T[], window: CorrectedWindow, pick: (fact: T) => string | undefined): string[] {
  const from = Date.parse(window.effectiveFrom);
  const until = window.effectiveUntil === undefined ? Number.POSITIVE_INFINITY : Date.parse(window.effectiveUntil);
  const values = new Set<string>();
  for (const fact of timeline) {
    const start = Date.parse(fact.validFrom);
    const end = fact.validUntil === undefined ? Number.POSITIVE_INFINITY : Date.parse(fact.validUntil);
    const value = pick(fact);
    if (value !== undefined && ((start < until && end > from) || end === from)) values.add(value);
  }
  return [...values].sort();
}
