import type { Customer, Registry } from '../domain/facts';

/** Registries and their items, as our data knows them. */
export interface RegistryDirectory {
  /** The registry, and whether `itemId` is on it, in one read. */
  getRegistryWithItem(registryId: string, itemId: string): Promise<{ registry: Registry | undefined; itemOnRegistry: boolean }>;
}

/** Who owns registries: the registries table's sparse `byOwner` index. */
export interface RegistryOwners {
  /** Whether the customer owns at least one registry, whatever its status. */
  ownsARegistry(customerId: string): Promise<boolean>;
}

/** Customers: address, language, opt-out. */
export interface CustomerDirectory {
  getCustomer(customerId: string): Promise<Customer | undefined>;
}

/** Addresses never to be mailed (bounces, complaints, unsubscribes, manual). */
export interface SuppressionList {
  isSuppressed(address: string): Promise<boolean>;
}
