import type { SeedData } from '../cli/seed/seed-file';

/** Owners (and registries) the benchmark mails: many, so no single address dominates. */
export const BENCH_OWNERS = 50;

/**
 * The benchmark's seed: one active registry with one item per owner, owners alternating
 * English and German. Addresses are `bench-owner-<n>@example.com`.
 *
 * @example
 * benchSeed().registries.length // 50
 */
export function benchSeed(): SeedData {
  const owners = Array.from({ length: BENCH_OWNERS }, (_, n) => n);
  return {
    customers: owners.map((n) => ({
      customerId: `bench-c-${n}`,
      email: `bench-owner-${n}@example.com`,
      locale: n % 2 === 0 ? 'en' : 'de',
      firstName: `Owner${n}`,
      notificationsOptOut: false,
    })),
    registries: owners.map((n) => ({
      registryId: `bench-r-${n}`,
      ownerCustomerId: `bench-c-${n}`,
      title: `Bench registry ${n}`,
      status: 'ACTIVE' as const,
      purchaseNotifications: true,
      items: [{ itemId: 'bench-item', title: 'Bench gift' }],
    })),
    suppressions: [],
  };
}

/**
 * `count` valid purchase events that each must produce one notice, with event ids
 * `<prefix>-<n>`, spread over the bench registries.
 *
 * @example
 * benchEvents('run1', 3).length // 3
 */
export function benchEvents(prefix: string, count: number): string[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      schemaVersion: 1,
      eventId: `${prefix}-${n}`,
      purchaseId: `${prefix}-p-${n}`,
      registryId: `bench-r-${n % BENCH_OWNERS}`,
      item: { itemId: 'bench-item', title: 'Bench gift', quantity: 1 },
      purchasedAt: now,
      purchaser: { displayName: 'Bench' },
      recipientCustomerId: `bench-c-${n % BENCH_OWNERS}`,
    }),
  );
}
