import type { Customer } from '../domain/facts';

/** Customers and suppressions looked up by address hash (for mail other systems sent). */
export interface AddressDirectory {
  /** The customer with this address (`byEmailHash`), if any. */
  customerByAddressHash(addressHash: string): Promise<Customer | undefined>;
  isSuppressed(addressHash: string): Promise<boolean>;
}
