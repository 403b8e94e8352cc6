import { sameJudgedFacts, type DirectoryFact } from './directory-fact';

/**
 * How late an event may arrive (its `effectiveAt` before the moment we apply it) and still
 * count as the normal feed rather than a correction of the past: feed lag, retries, a shop
 * clock slightly behind ours. The audit waits as long before judging a notice (see
 * {@link Correction}).
 */
export const CORRECTION_ALLOWANCE_MS = 5 * 60 * 1000;

/** The kind of entity a correction touches: what the audit looks notices up by. */
export const CorrectedEntity = { REGISTRY: 'registry', CUSTOMER: 'customer' } as const;
export type CorrectedEntity = (typeof CorrectedEntity)[keyof typeof CorrectedEntity];

/**
 * A late event that changed the past: one whose `effectiveAt` lies more than
 * {@link CORRECTION_ALLOWANCE_MS} before the moment we applied it, **and** that changed what
 * we knew about some instant: its fact differs, in a field the audit judges by
 * (`sameJudgedFacts`), from the fact that held at its `effectiveAt` before it arrived (or none
 * was known), and no fact with the same `effectiveAt` and a higher version supersedes it. A
 * registry's own facts and its items' are `registry` corrections; a customer's are `customer`
 * corrections. Duplicates and erasures never are.
 *
 * Contract with the audit: a notice decided at `d` and judged at or after
 * `d + CORRECTION_ALLOWANCE_MS` saw every event effective before `d`, except those later
 * recorded as corrections. So the audit judges a row only once it is that old, and re-judges
 * the notices each correction touches: about registry `id` (or to customer `id`) decided in
 * [`effectiveFrom`, `effectiveUntil`).
 *
 * Corrections are a log of what we learned when: unlike the facts, which the same events give
 * in any order, which events count as corrections depends on what had arrived before them.
 */
export interface Correction {
  readonly entity: CorrectedEntity;
  /** The registry id or the customer id. */
  readonly id: string;
  /** Which fact changed: the registry's own, one of its items (`itemId`), or the customer's. */
  readonly fact: 'registry' | 'item' | 'customer';
  readonly itemId?: string;
  /** First instant whose facts changed (inclusive): the event's `effectiveAt`. */
  readonly effectiveFrom: string;
  /**
   * End of the changed interval (exclusive): the next fact known when it was applied. A fact
   * that arrives later can only end it sooner. Absent: open-ended.
   */
  readonly effectiveUntil?: string;
  /** When we applied it. */
  readonly appliedAt: string;
  readonly eventId: string;
  /**
   * Who applied it, when an import did: the snapshot's uploader as S3 names them (`AWS:AIDA…`,
   * `AWS:AROA…:<session>`). That person may not approve the corrections campaign it leads to.
   */
  readonly appliedBy?: string;
}

/**
 * Whether a fact arrives too late to be the normal feed: only such facts can be corrections,
 * so only they need their neighbours read.
 *
 * @example
 * isLate({ effectiveAt: '2026-03-01T09:00:00.000Z', ... }, '2026-03-01T09:04:00.000Z') // false
 */
export function isLate(fact: DirectoryFact, appliedAt: string): boolean {
  return Date.parse(fact.effectiveAt) < Date.parse(appliedAt) - CORRECTION_ALLOWANCE_MS;
}

/**
 * The correction a late fact makes, given the facts just before and after it in its timeline
 * as known before it was recorded; `undefined` when it changes nothing the audit judges by.
 *
 * @example
 * correctionOf(ownerIsC7SinceMarch, { before: ownerWasC5SinceJanuary }, now)
 * // { entity: 'registry', id: 'r-1', fact: 'registry', effectiveFrom: '2026-03-01T…', appliedAt: now, eventId: 'e-9' }
 */
export function correctionOf(
  fact: DirectoryFact,
  neighbours: { readonly before?: DirectoryFact; readonly after?: DirectoryFact },
  appliedAt: string,
): Correction | undefined {
  if (!isLate(fact, appliedAt) || (fact.kind === 'customer' && fact.erasure)) return undefined;
  const { before, after } = neighbours;
  // A fact of the same instant with a higher version holds instead: this one never did.
  if (after && after.effectiveAt === fact.effectiveAt) return undefined;
  if (before && sameJudgedFacts(before, fact)) return undefined;
  const base = {
    effectiveFrom: fact.effectiveAt,
    ...(after ? { effectiveUntil: after.effectiveAt } : {}),
    appliedAt,
    eventId: fact.eventId,
  };
  switch (fact.kind) {
    case 'registry':
      return { entity: CorrectedEntity.REGISTRY, id: fact.registryId, fact: 'registry', ...base };
    case 'item':
      return { entity: CorrectedEntity.REGISTRY, id: fact.registryId, fact: 'item', itemId: fact.itemId, ...base };
    case 'customer':
      return { entity: CorrectedEntity.CUSTOMER, id: fact.customerId, fact: 'customer', ...base };
  }
}
