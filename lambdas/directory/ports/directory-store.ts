import type { Correction } from '../correction';
import type { CustomerFact, DirectoryFact, FactKey, ItemFact, RegistryFact } from '../directory-fact';

/** Whether a conditional write took effect (`written`) or found something at least as new (`stale`). */
export type Projection = 'written' | 'stale';

/**
 * Where the directory function keeps what the shop tells it: the history (every fact, see
 * `directory-history.ts`) and the current state the notify function reads (registries, their
 * items, customers; docs/data-model.md). Every write is conditional on the facts' order
 * (`factOrder`), so a duplicate or an older fact never overwrites a newer one.
 */
export interface DirectoryStore {
  /** The facts just before and just after this one's place in its timeline, as known now (strongly consistent). */
  neighbours(fact: DirectoryFact): Promise<{ readonly before?: DirectoryFact; readonly after?: DirectoryFact }>;
  /** The newest fact of a timeline, as known now (strongly consistent). */
  latest(key: FactKey): Promise<DirectoryFact | undefined>;
  /**
   * Records a fact in the history: `written`, or `exists` when the timeline already holds a
   * fact of this `effectiveAt` and `version` with an `eventId` not smaller (a duplicate). A
   * correction is marked on the same item.
   */
  record(fact: DirectoryFact, appliedAt: string, correction?: Correction): Promise<'written' | 'exists'>;
  /** The registry's current row becomes this fact, unless the row holds a newer one. */
  putRegistry(fact: RegistryFact, appliedAt: string): Promise<Projection>;
  /** The item's current row is put (on the registry) or deleted (off it), unless the row holds a newer fact. */
  putItem(fact: ItemFact, appliedAt: string): Promise<Projection>;
  /** The customer's current row becomes this fact, unless it holds a newer one or the customer is erased (`erased`). */
  putCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection | 'erased'>;
  /** The customer's current row becomes the erased row (no address, no name, opted out), unless a newer erasure is there. */
  putErasedCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection>;
  /**
   * Removes address and first name from every fact of the customer's timeline (hashes,
   * locale and opt-out stay) and returns every address hash the customer ever had.
   */
  scrubCustomerHistory(customerId: string): Promise<string[]>;
  /** Every address the customer's timeline still holds (none once scrubbed): read before the scrub, for what keeps addresses elsewhere. */
  addressesOf(customerId: string): Promise<string[]>;
}

/**
 * SES's account-level suppression list, which holds plain addresses (SES adds the ones that
 * bounce or complain). An erased customer's addresses are taken off it; our own suppressions
 * table, keyed by hash, still says "never mail".
 */
export interface AccountSuppressionList {
  /** Takes the address off the list; an address not on it is no error. Throws when SES cannot answer (the erasure is retried). */
  forget(address: string): Promise<void>;
}

/** Removes an erased customer's address from where notices and apologies keep it. */
export interface RecipientErasure {
  /**
   * Removes the recipient address from every ledger row to one of these hashes that is this
   * customer's or nobody's (a row of another customer sharing the address keeps it); the
   * hash stays, so duplicates and suppressions are still recognised. Returns the rows changed.
   */
  eraseRecipient(customerId: string, addressHashes: readonly string[]): Promise<number>;
}
