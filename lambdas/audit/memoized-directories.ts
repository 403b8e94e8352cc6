import type { Customer, Registry } from '../domain/facts';
import type { CustomerDirectory, RegistryDirectory, RegistryOwners } from '../ports/directories';

/** The directory reads an audit run repeats across rows. */
export interface Directories {
  readonly registries: RegistryDirectory;
  readonly customers: CustomerDirectory;
  readonly registryOwners: RegistryOwners;
}

/**
 * Directories that read each registry (with item), customer and "does this customer own a
 * registry" once per run: an incident of many notices about one registry, or to one
 * customer, costs one read, not one per row. Made fresh for each run, so nothing is older
 * than the run.
 *
 * @example
 * const { registries, customers, registryOwners } = memoizedDirectories(deps);
 */
export function memoizedDirectories({ registries, customers, registryOwners }: Directories): Directories {
  const registryReads = new Map<string, Promise<{ registry: Registry | undefined; itemOnRegistry: boolean }>>();
  const customerReads = new Map<string, Promise<Customer | undefined>>();
  const ownerReads = new Map<string, Promise<boolean>>();
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
    registryOwners: {
      ownsARegistry: (customerId) => once(ownerReads, customerId, () => registryOwners.ownsARegistry(customerId)),
    },
  };
}
