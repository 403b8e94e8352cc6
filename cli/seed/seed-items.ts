import { addressHash } from '../../lambdas/domain/address-hash';
import type { SeedData } from './seed-file';

/** The DynamoDB items a seed becomes, per table (docs/data-model.md). */
export interface SeedItems {
  readonly registries: Record<string, unknown>[];
  readonly customers: Record<string, unknown>[];
  readonly suppressions: Record<string, unknown>[];
}

/**
 * Turns seed data into table items: a `REGISTRY` item and one `ITEM#<itemId>` per item for
 * each registry; customers with `emailHash`; suppressions keyed by the address's hash
 * (the suppression table never holds an address in the clear).
 *
 * @example
 * seedItems(seed, '2025-01-01T00:00:00Z').registries[0] // { pk: 'r-1', sk: 'REGISTRY', ... }
 */
export function seedItems(seed: SeedData, now: string): SeedItems {
  return {
    registries: seed.registries.flatMap((registry) => [
      {
        pk: registry.registryId,
        sk: 'REGISTRY',
        registryId: registry.registryId,
        ownerCustomerId: registry.ownerCustomerId,
        status: registry.status,
        purchaseNotifications: registry.purchaseNotifications,
        title: registry.title,
        updatedAt: now,
      },
      ...registry.items.map((item) => ({
        pk: registry.registryId,
        sk: `ITEM#${item.itemId}`,
        registryId: registry.registryId,
        itemId: item.itemId,
        title: item.title,
      })),
    ]),
    customers: seed.customers.map((customer) => ({
      customerId: customer.customerId,
      email: customer.email,
      emailHash: addressHash(customer.email),
      locale: customer.locale,
      ...(customer.firstName === undefined ? {} : { firstName: customer.firstName }),
      notificationsOptOut: customer.notificationsOptOut,
      updatedAt: now,
    })),
    suppressions: seed.suppressions.map((suppression) => ({
      emailHash: addressHash(suppression.email),
      reason: suppression.reason,
      createdAt: now,
    })),
  };
}
