import type { Customer, Registry } from '../directory/facts';
import type { CustomerDirectory, RegistryDirectory, RegistryOwners } from '../directory/ports/directories';
import type { DirectoryHistory } from '../directory/ports/directory-history';

/** The directory reads an audit run repeats across rows: the current tables, and their history. */
export interface Directories {
  readonly registries: RegistryDirectory;
  readonly customers: CustomerDirectory;
  readonly registryOwners: RegistryOwners;
  readonly history: DirectoryHistory;
}

/**
 * Directories that read each registry (with item), customer and "does this customer own a
 * registry" once per run, and each registry's and customer's timeline once per run (the
 * facts at any instant are then found in memory): an incident of many notices about one
 * registry, or to one customer, costs one read, not one per row. Made fresh for each run,
 * so nothing is older than the run.
 *
 * @example
 * const { registries, customers, registryOwners, history } = memoizedDirectories(deps);
 */
export function memoizedDirectories({ registries, customers, registryOwners, history }: Directories): Directories {
  const caches = new Map<string, Map<string, Promise<unknown>>>();
  const once = <T>(cacheName: string, key: string, read: () => Promise<T>): Promise<T> => {
    let cache = caches.get(cacheName);
    if (!cache) caches.set(cacheName, (cache = new Map()));
    let hit = cache.get(key) as Promise<T> | undefined;
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
  const k = (...parts: string[]): string => parts.join('\u0000');
  return {
    registries: {
      getRegistryWithItem: (registryId, itemId) =>
        once<{ registry: Registry | undefined; itemOnRegistry: boolean }>('registry', k(registryId, itemId), () =>
          registries.getRegistryWithItem(registryId, itemId),
        ),
    },
    customers: { getCustomer: (customerId) => once<Customer | undefined>('customer', customerId, () => customers.getCustomer(customerId)) },
    registryOwners: {
      ownsARegistry: (customerId) => once('owns', customerId, () => registryOwners.ownsARegistry(customerId)),
    },
    history: {
      registryAt: (registryId, at) => history.registryAt(registryId, at),
      customerAt: (customerId, at) => history.customerAt(customerId, at),
      corrections: (query) => history.corrections(query),
      registryTimeline: (registryId) => once('registryTimeline', registryId, () => history.registryTimeline(registryId)),
      customerTimeline: (customerId) => once('customerTimeline', customerId, () => history.customerTimeline(customerId)),
      itemOnRegistryAt: (registryId, itemId, at) =>
        once('itemAt', k(registryId, itemId, at), () => history.itemOnRegistryAt(registryId, itemId, at)),
      customersWithAddressHashAt: (hash, at) => once('addressAt', k(hash, at), () => history.customersWithAddressHashAt(hash, at)),
      ownedARegistryAt: (customerId, at) => once('ownedAt', k(customerId, at), () => history.ownedARegistryAt(customerId, at)),
    },
  };
}
