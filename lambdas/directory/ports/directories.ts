import type { Customer, Registry } from '../facts';

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

/** What our own lists say about mailing one address. */
export interface AddressStanding {
  /** On the suppression list (bounce, complaint, manual): never mail it. */
  readonly suppressed: boolean;
  /** Its owner unsubscribed from this registry's notices, or from all mail from us. */
  readonly unsubscribed: boolean;
}

/**
 * The do-not-mail lists of a notice: the suppressions (what SES told us) and the unsubscribes
 * (what the recipient told us), read together in one request.
 */
export interface DoNotMailList {
  /** By every hash the address may be stored under (`addressHashes`: keyed and legacy); any one listed counts. */
  standing(addressHash: string | readonly string[], registryId: string): Promise<AddressStanding>;
}
