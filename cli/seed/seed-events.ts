import { createHash } from 'node:crypto';
import { addressHash } from '../../lambdas/directory/address-hash';
import { MAX_ITEMS_PER_EVENT, type DirectoryEvent } from '../../lambdas/directory/directory-event';
import type { SeedData } from './seed-file';

/** When and as which producer version a seed's facts are stated. */
export interface SeedStamp {
  /** The facts' `effectiveAt`. */
  readonly effectiveAt: string;
  /** The producer version of every entity; a later seed of the same file must use a greater one. */
  readonly version: number;
}

/**
 * A seed as the directory events the shop would have sent for it (contract v1): a
 * `customer.upserted` per customer, a `registry.upserted` per registry and its items in
 * `registry.items.added` events of at most 100. The event ids follow from the stamp and the
 * entity, so seeding the same file with the same stamp twice is one set of events.
 *
 * @example
 * seedDirectoryEvents(seed, { effectiveAt: '2026-01-01T00:00:00Z', version: 1 })[0].type // 'customer.upserted'
 */
export function seedDirectoryEvents(seed: SeedData, stamp: SeedStamp): DirectoryEvent[] {
  const base = (what: string) => ({ schemaVersion: 1 as const, eventId: seedEventId(stamp, what), version: stamp.version, effectiveAt: stamp.effectiveAt });
  const customers: DirectoryEvent[] = seed.customers.map((c) => ({
    ...base(`customer\u0000${c.customerId}`),
    type: 'customer.upserted',
    customerId: c.customerId,
    email: c.email,
    locale: c.locale,
    ...(c.firstName === undefined ? {} : { firstName: c.firstName }),
    notificationsOptOut: c.notificationsOptOut,
  }));
  const registries: DirectoryEvent[] = seed.registries.flatMap((r) => [
    {
      ...base(`registry\u0000${r.registryId}`),
      type: 'registry.upserted' as const,
      registryId: r.registryId,
      ownerCustomerId: r.ownerCustomerId,
      status: r.status,
      title: r.title,
      purchaseNotifications: r.purchaseNotifications,
    },
    ...chunks(r.items, MAX_ITEMS_PER_EVENT).map((items, i) => ({
      ...base(`items\u0000${r.registryId}\u0000${i}`),
      type: 'registry.items.added' as const,
      registryId: r.registryId,
      items,
    })),
  ]);
  return [...customers, ...registries];
}

/** The suppressions table's items of a seed: keyed by the address's hash, never the address. */
export function seedSuppressionItems(seed: SeedData, now: string): Record<string, unknown>[] {
  return seed.suppressions.map((s) => ({ emailHash: addressHash(s.email), reason: s.reason, createdAt: now }));
}

/** `seed:<32 hex>`: fits the identifier alphabet and length, whatever the entity's id. */
function seedEventId(stamp: SeedStamp, what: string): string {
  return `seed:${createHash('sha256').update(`${stamp.effectiveAt}\u0000${stamp.version}\u0000${what}`).digest('hex').slice(0, 32)}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
