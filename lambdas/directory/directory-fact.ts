import { InvalidArgumentError } from '../platform/function-errors';
import { addressHash } from './address-hash';
import type { DirectoryEvent } from './directory-event';
import { DirectoryEventType } from './directory-event-type';

/**
 * One fact of the directory's history: what one event says about one thing (a registry's
 * own settings, one item's place on a registry, a customer), from its `effectiveAt` on.
 * An event about a registry's items gives one fact per item.
 */
export type DirectoryFact = RegistryFact | ItemFact | CustomerFact;

/** Where a fact sits on the time axis, and which event stated it. */
export interface FactStamp {
  /** The event's `effectiveAt`, normalized to UTC with milliseconds (see {@link normalizeInstant}). */
  readonly effectiveAt: string;
  readonly version: number;
  readonly eventId: string;
}

export interface RegistryFact extends FactStamp {
  readonly kind: 'registry';
  readonly registryId: string;
  readonly ownerCustomerId: string;
  readonly status: string;
  readonly purchaseNotifications: boolean;
  readonly title: string;
}

export interface ItemFact extends FactStamp {
  readonly kind: 'item';
  readonly registryId: string;
  readonly itemId: string;
  readonly onRegistry: boolean;
  /** Present while the item is on the registry. */
  readonly title?: string;
}

/**
 * A customer fact. `email` and `firstName` are personal data. A `customer.erased` event
 * gives the erasure fact (`erasure: true`: no address, no hash, opted out); every other fact
 * of an erased customer is kept without `email` and `firstName` (`erased: true`).
 */
export interface CustomerFact extends FactStamp {
  readonly kind: 'customer';
  readonly customerId: string;
  readonly email?: string;
  readonly emailHash?: string;
  readonly locale: string;
  readonly firstName?: string;
  readonly notificationsOptOut: boolean;
  readonly erased: boolean;
  readonly erasure: boolean;
}

/** What a fact is about: facts of one key form one timeline. */
export type FactKey =
  | { readonly kind: 'registry'; readonly registryId: string }
  | { readonly kind: 'item'; readonly registryId: string; readonly itemId: string }
  | { readonly kind: 'customer'; readonly customerId: string };

/**
 * An instant as the history compares them: UTC, millisecond precision.
 *
 * @example
 * normalizeInstant('2026-03-01T10:00:00+01:00') // '2026-03-01T09:00:00.000Z'
 */
export function normalizeInstant(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not an instant: ${instant}`);
  return new Date(ms).toISOString();
}

/**
 * The facts one directory event states, one per thing it is about.
 *
 * @example
 * factsOf(itemsRemovedEvent) // [{ kind: 'item', itemId: 'i-1', onRegistry: false, ... }, ...]
 */
export function factsOf(event: DirectoryEvent): DirectoryFact[] {
  const stamp: FactStamp = { effectiveAt: normalizeInstant(event.effectiveAt), version: event.version, eventId: event.eventId };
  switch (event.type) {
    case DirectoryEventType.REGISTRY_UPSERTED:
      return [
        {
          ...stamp,
          kind: 'registry',
          registryId: event.registryId,
          ownerCustomerId: event.ownerCustomerId,
          status: event.status,
          purchaseNotifications: event.purchaseNotifications,
          title: event.title,
        },
      ];
    case DirectoryEventType.REGISTRY_ITEMS_ADDED:
      return event.items.map((item) => ({
        ...stamp,
        kind: 'item',
        registryId: event.registryId,
        itemId: item.itemId,
        onRegistry: true,
        title: item.title,
      }));
    case DirectoryEventType.REGISTRY_ITEMS_REMOVED:
      return event.itemIds.map((itemId) => ({ ...stamp, kind: 'item', registryId: event.registryId, itemId, onRegistry: false }));
    case DirectoryEventType.CUSTOMER_UPSERTED:
      return [
        {
          ...stamp,
          kind: 'customer',
          customerId: event.customerId,
          email: event.email,
          emailHash: addressHash(event.email),
          locale: event.locale,
          ...(event.firstName === undefined ? {} : { firstName: event.firstName }),
          notificationsOptOut: event.notificationsOptOut,
          erased: false,
          erasure: false,
        },
      ];
    case DirectoryEventType.CUSTOMER_ERASED:
      return [
        { ...stamp, kind: 'customer', customerId: event.customerId, locale: 'en', notificationsOptOut: true, erased: true, erasure: true },
      ];
  }
}

/** The key of a fact's timeline. */
export function keyOf(fact: DirectoryFact): FactKey {
  switch (fact.kind) {
    case 'registry':
      return { kind: 'registry', registryId: fact.registryId };
    case 'item':
      return { kind: 'item', registryId: fact.registryId, itemId: fact.itemId };
    case 'customer':
      return { kind: 'customer', customerId: fact.customerId };
  }
}

const VERSION_DIGITS = String(Number.MAX_SAFE_INTEGER).length;

/** The version, zero-padded so versions sort as strings. */
export function paddedVersion(version: number): string {
  return String(version).padStart(VERSION_DIGITS, '0');
}

/**
 * A fact's place in its timeline as one string that sorts like the tuple (`effectiveAt`,
 * `version`, `eventId`): the first two are fixed-width. The greater order wins.
 *
 * @example
 * factOrder({ effectiveAt: '2026-03-01T09:00:00.000Z', version: 7, eventId: 'e-9' })
 * // '2026-03-01T09:00:00.000Z#0000000000000007#e-9'
 */
export function factOrder(stamp: FactStamp): string {
  return `${stamp.effectiveAt}#${paddedVersion(stamp.version)}#${stamp.eventId}`;
}

/** The fact without its address and first name: what is kept of an erased customer. */
export function scrubbed(fact: CustomerFact): CustomerFact {
  const { email: _email, firstName: _firstName, ...rest } = fact;
  return { ...rest, erased: true };
}

/**
 * Whether two facts of one key say the same in every field the audit judges a notice by:
 * owner, status and purchase notifications of a registry; whether an item is on it; a
 * customer's address (by hash), opt-out and erasure. A title, a first name or a locale
 * change makes no notice right or wrong.
 */
export function sameJudgedFacts(a: DirectoryFact, b: DirectoryFact): boolean {
  if (a.kind === 'registry' && b.kind === 'registry') {
    return a.ownerCustomerId === b.ownerCustomerId && a.status === b.status && a.purchaseNotifications === b.purchaseNotifications;
  }
  if (a.kind === 'item' && b.kind === 'item') return a.onRegistry === b.onRegistry;
  if (a.kind === 'customer' && b.kind === 'customer') {
    return a.emailHash === b.emailHash && a.notificationsOptOut === b.notificationsOptOut && a.erasure === b.erasure;
  }
  return false;
}
