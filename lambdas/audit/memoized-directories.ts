import type { Customer, Registry } from '../domain/facts';
import type { CustomerDirectory, RegistryDirectory } from '../ports/directories';

/**
 * Directories that read each registry (with item) and customer once per run: an incident
 * of many notices about one registry costs one read, not one per row. Made fresh for each
 * run, so nothing is older than the run.
 *
 * @example
 * const { registries, customers } = memoizedDirectories(deps.registries, deps.customers);
 */
export function memoizedDirectories(
  registries: RegistryDirectory,
  customers: CustomerDirectory,
): { registries: RegistryDirectory; customers: CustomerDirectory } {
  const registryReads = new Map<string, Promise<{ registry: Registry | undefined; itemOnRegistry: boolean }>>();
  const customerReads = new Map<string, Promise<Customer | undefined>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key);
    if (!hit) {
      // A failed read is not kept: the next row tries again.
      hit = read().catch((error: unknown) => {
        cache.delete(key);
        throw error;
      });
      cache.set(key, hit);
    }
    return hit;
  };
  return {
    registries: {
      getRegistryWithItem: (registryId, itemId) =>
        once(registryReads, `${registryId}\u0000${itemId}`, () => registries.getRegistryWithItem(registryId, itemId)),
    },
    customers: { getCustomer: (customerId) => once(customerReads, customerId, () => customers.getCustomer(customerId)) },
  };
}
