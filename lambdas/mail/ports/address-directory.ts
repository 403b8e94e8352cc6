import type { Customer } from '../../directory/facts';

/** Customers, suppressions and unsubscribes looked up by address hash (for mail other systems sent, and apologies). */
export interface AddressDirectory {
  /** The customer with this address (`byEmailHash`), if any. */
  customerByAddressHash(addressHash: string): Promise<Customer | undefined>;
  isSuppressed(addressHash: string): Promise<boolean>;
  /** Whether the address's owner unsubscribed from all mail from us (an apology's own link, or a notice page's second button). */
  unsubscribedFromAll(addressHash: string): Promise<boolean>;
}
