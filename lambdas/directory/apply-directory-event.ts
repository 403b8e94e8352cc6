import { correctionOf, isLate } from './correction';
import { DirectoryEventType, type DirectoryEvent } from './directory-event';
import { factOrder, factsOf, keyOf, type DirectoryFact, type ItemFact } from './directory-fact';
import type { AccountSuppressionList, DirectoryStore, RecipientErasure } from './ports/directory-store';
import type { ErasureDrainRequests } from './erasure-drain-request';

/** What applying one event did. */
export const ApplyOutcome = {
  /** At least one of its facts was new to the history. */
  APPLIED: 'APPLIED',
  /** Every fact was known already (a duplicate, or a replayed snapshot line). */
  UNCHANGED: 'UNCHANGED',
} as const;
export type ApplyOutcome = (typeof ApplyOutcome)[keyof typeof ApplyOutcome];

export interface ApplyResult {
  readonly outcome: ApplyOutcome;
  /** Facts the event states (one per item for items events). */
  readonly facts: number;
  /** Of those, new to the history. */
  readonly recorded: number;
  /** Of those, marked as corrections of the past. */
  readonly corrections: number;
}

/** What applying needs. */
export interface ApplyDeps {
  readonly store: DirectoryStore;
  readonly erasure: RecipientErasure;
  /**
   * SES's account suppression list, to take an erased customer's addresses off it.
   *
   * @default - left alone (dev tools and tests that apply events outside the functions)
   */
  readonly accountSuppressions?: AccountSuppressionList;
  /**
   * Where an erasure asks for the evidence queues and the import bucket to lose what names the
   * customer (lambdas/directory/erasure-drain/), once the tables are scrubbed.
   *
   * @default - not asked (dev tools and tests that apply events outside the functions)
   */
  readonly evidenceDrain?: ErasureDrainRequests;
  readonly now: () => Date;
  /** Who applies these events, when an import does (its uploader, as S3 names them): recorded on each correction. */
  readonly appliedBy?: string;
}

/** Facts of one event applied at once (an items event has up to 100). */
const FACT_CONCURRENCY = 8;

/**
 * Applies one directory event: records each of its facts in the history, then brings the
 * current state up to the newest fact. Idempotent and order-safe: any number of deliveries,
 * in any order, of the same events leave the same history and the same current state.
 *
 * Per fact, each step conditional and safe to repeat after a crash:
 *
 *   late? ── neighbours (is it a correction?) ── record in history ── project onto current state
 *                                                                      │
 *   registries, customers: a put conditional on the fact order; their rows are never deleted.
 *   items: put (on) or delete (off), then read the timeline's newest fact; if a newer fact was
 *   recorded meanwhile, project that one too, until the newest is what was projected. A delete
 *   cannot be guarded by the row it removes, so without this re-check an older "added" that
 *   raced a newer "removed" could put the item back:
 *
 *     older add:   record ─────────────────────── put(row gone: allowed) ── newest? removed → delete
 *     newer remove:        record ── delete ──────────────────────────────────────────────
 *
 * An erased customer stays erased: their later (and earlier) facts are kept without address
 * and name, and the erasure also removes the address from the ledger rows mailed to them.
 *
 * @example
 * await applyDirectoryEvent(event, { store, erasure, now: () => new Date() }) // { outcome: 'APPLIED', facts: 1, recorded: 1, corrections: 0 }
 */
export async function applyDirectoryEvent(event: DirectoryEvent, deps: ApplyDeps): Promise<ApplyResult> {
  const appliedAt = deps.now().toISOString();
  const facts = factsOf(event);
  const results = await mapConcurrently(facts, FACT_CONCURRENCY, (fact) => applyFact(fact, appliedAt, deps));
  if (event.type === DirectoryEventType.CUSTOMER_ERASED) await eraseCustomer(event.customerId, deps);
  const recorded = results.filter((r) => r.recorded).length;
  return {
    outcome: recorded > 0 ? ApplyOutcome.APPLIED : ApplyOutcome.UNCHANGED,
    facts: facts.length,
    recorded,
    corrections: results.filter((r) => r.correction).length,
  };
}

async function applyFact(fact: DirectoryFact, appliedAt: string, deps: ApplyDeps): Promise<{ recorded: boolean; correction: boolean }> {
  const { store } = deps;
  // Only a late fact can correct the past, so only it pays for reading its neighbours.
  const found = isLate(fact, appliedAt) ? correctionOf(fact, await store.neighbours(fact), appliedAt) : undefined;
  const correction = found && deps.appliedBy ? { ...found, appliedBy: deps.appliedBy } : found;
  const recorded = (await store.record(fact, appliedAt, correction)) === 'written';
  switch (fact.kind) {
    case 'registry':
      await store.putRegistry(fact, appliedAt);
      break;
    case 'item':
      await projectItem(fact, appliedAt, store);
      break;
    case 'customer':
      if (fact.erasure) await store.putErasedCustomer(fact, appliedAt);
      // An erasure got there first (or meanwhile): what was just recorded must lose the address too.
      else if ((await store.putCustomer(fact, appliedAt)) === 'erased') await eraseCustomer(fact.customerId, deps);
      break;
  }
  return { recorded, correction: recorded && correction !== undefined };
}

/**
 * Address and name out of SES's account suppression list, the customer's history and the ledger
 * rows mailed to them; hashes stay. SES first, while the history still holds the addresses: a
 * failure there throws before the scrub, so the retry still knows what to take off. Last, the
 * drain of the evidence queues and the bucket is asked for, by id and hashes (never the address).
 */
async function eraseCustomer(customerId: string, { store, erasure, accountSuppressions, evidenceDrain }: ApplyDeps): Promise<void> {
  if (accountSuppressions) for (const address of await store.addressesOf(customerId)) await accountSuppressions.forget(address);
  const hashes = await store.scrubCustomerHistory(customerId);
  await erasure.eraseRecipient(customerId, hashes);
  await evidenceDrain?.request(customerId, hashes);
}

async function projectItem(fact: ItemFact, appliedAt: string, store: DirectoryStore): Promise<void> {
  let projected: ItemFact = fact;
  for (;;) {
    await store.putItem(projected, appliedAt);
    const newest = await store.latest(keyOf(fact));
    // Each round follows a fact recorded after the previous one: it ends once the feed is quiet.
    if (newest?.kind !== 'item' || factOrder(newest) <= factOrder(projected)) return;
    projected = newest;
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
