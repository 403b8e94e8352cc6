import type { Correction } from '../correction';

export type { Correction, CorrectedEntity } from '../correction';

/**
 * What was true when: the shop's directory (registries, their items, customers) on the shop's
 * own time axis, **as we now know it**. Read by the audit, which judges every notice by the
 * facts of its moment; written only by the directory function (docs/data-model.md,
 * "DirectoryHistoryTable"; the events: docs/directory-events.md).
 *
 * ## Time
 *
 * Every directory event says when its facts became true in the shop (`effectiveAt`, the
 * *valid time*) and carries the producer's `version` of the entity. A fact holds over the
 * half-open interval **[its `effectiveAt`, the `effectiveAt` of the next fact about the same
 * thing)**: inclusive at its start, exclusive at its end, open-ended when nothing later is
 * known. "The state at `t`" is therefore the fact with the greatest (`effectiveAt`,
 * `version`) among those with `effectiveAt <= t`.
 *
 * - Instants are ISO 8601 strings; they are compared at millisecond precision in UTC
 *   (`new Date(t).toISOString()`), so `2026-03-01T10:00:00+01:00` and
 *   `2026-03-01T09:00:00.000Z` are one instant.
 * - Two facts with the same `effectiveAt`: the producer's **higher `version` decides**; the
 *   lower one's interval is empty (it never held). Same `effectiveAt` and same `version`
 *   (a producer that reused a version): the greater `eventId` decides, so the answer never
 *   depends on arrival order.
 * - "As we now know it": the answer reflects every event applied so far, whenever it arrived.
 *   An event that arrives late with an earlier `effectiveAt` (a **correction**) changes the
 *   answer for the instants it covers, from its `effectiveAt` up to the next known fact; it
 *   never changes the answer for instants before its `effectiveAt`. Facts are never
 *   deleted, only superseded (erasure removes address and name from them, see below).
 * - `undefined` means no fact about it was effective at `t`: it did not exist yet in the
 *   shop, or the shop never told us.
 *
 * ## Erasure
 *
 * Once a customer is erased, every fact about them, before and after, keeps its address
 * hash, locale and opt-out but has no address and no first name (`erased: true`), and from the
 * erasure's `effectiveAt` on the customer has no address hash either.
 *
 * Reads are eventually consistent (an event applied a second ago may not show yet).
 */
export interface DirectoryHistory {
  /**
   * The registry as it stood at `at`: status, owner, title, purchase notifications.
   *
   * @example
   * await history.registryAt('r-anna', '2026-04-02T10:00:00Z') // { status: 'ACTIVE', ownerCustomerId: 'c-anna', ... }
   */
  registryAt(registryId: string, at: string): Promise<RegistryAt | undefined>;

  /**
   * Whether item `itemId` was on registry `registryId` at `at` (`false` also when nothing is
   * known about it at `at`).
   */
  itemOnRegistryAt(registryId: string, itemId: string, at: string): Promise<boolean>;

  /** The customer as they stood at `at`: address hash, address (unless erased), locale, first name, opt-out. */
  customerAt(customerId: string, at: string): Promise<CustomerAt | undefined>;

  /**
   * Every customer whose address, at `at`, had this hash (normally one; two customers may
   * share an address). An erased customer is found by the hashes of their facts before the
   * erasure, with `erased: true` and no address.
   */
  customersWithAddressHashAt(addressHash: string, at: string): Promise<CustomerAt[]>;

  /** Whether the customer owned at least one registry at `at`, whatever its status then. */
  ownedARegistryAt(customerId: string, at: string): Promise<boolean>;

  /**
   * Every fact ever known about one registry (its own facts, not its items'), oldest
   * `effectiveAt` first, each with the interval it held over as we now know it. Facts
   * superseded at the same `effectiveAt` are left out (their interval is empty).
   */
  registryTimeline(registryId: string): Promise<Valid<RegistryAt>[]>;

  /** The same for one customer. */
  customerTimeline(customerId: string): Promise<Valid<CustomerAt>[]>;

  /**
   * The corrections applied in [`appliedFrom`, `appliedBefore`), oldest `appliedAt` first, a
   * page at a time (pass the returned `cursor` back for the next page; none means done).
   * See {@link Correction} for which events are corrections.
   */
  corrections(query: CorrectionQuery): Promise<CorrectionPage>;
}

/** When a fact became true in the shop, and how we learned it. */
export interface FactOrigin {
  /** Start of the fact's validity interval (inclusive): the event's `effectiveAt`, normalized to UTC ms. */
  readonly validFrom: string;
  /** The producer's version of the entity in that event. */
  readonly version: number;
  /** The directory event that stated it. */
  readonly eventId: string;
  /** When we applied that event (our clock): what we knew when. */
  readonly appliedAt: string;
}

/** A registry's own facts at an instant. */
export interface RegistryAt extends FactOrigin {
  readonly registryId: string;
  readonly ownerCustomerId: string;
  /** `ACTIVE` | `CLOSED` | `SUSPENDED` */
  readonly status: string;
  /** `false` is surprise mode. */
  readonly purchaseNotifications: boolean;
  readonly title: string;
}

/** A customer at an instant. `email` and `firstName` are personal data: never log them. */
export interface CustomerAt extends FactOrigin {
  readonly customerId: string;
  /** `addressHash` of the address they had then; absent from the erasure's `effectiveAt` on. */
  readonly emailHash?: string;
  /** The address they had then; absent once the customer is erased. */
  readonly email?: string;
  /** The language tag they had then (`en` when unknown). */
  readonly locale: string;
  readonly firstName?: string;
  /** Anything but an explicit opt-in reads as opted out; always `true` for an erased customer's erasure fact. */
  readonly notificationsOptOut: boolean;
  /** The customer has been erased (address and name removed from every fact). */
  readonly erased: boolean;
}

/** A fact with the interval it held over: [`validFrom`, `validUntil`), `validUntil` absent while it still holds. */
export type Valid<T extends FactOrigin> = T & { readonly validUntil?: string };

/** Which corrections to list. */
export interface CorrectionQuery {
  /** Inclusive, ISO 8601. */
  readonly appliedFrom: string;
  /** Exclusive, ISO 8601; at most 400 days after `appliedFrom`. */
  readonly appliedBefore: string;
  /** From a previous page. */
  readonly cursor?: string;
  /** Most corrections per page. @default 500 */
  readonly limit?: number;
}

/** One page of corrections. */
export interface CorrectionPage {
  readonly corrections: readonly Correction[];
  /** Pass back for the next page; absent when there is none. */
  readonly cursor?: string;
}
