import type { DirectoryHistory } from '../directory/ports/directory-history';

/**
 * Whether an imported send-log row is about an erased customer, so it is kept without its
 * address (docs/data-model.md, "Erasure"): the address was an erased customer's when the row
 * says it was sent (their facts keep the hash, flagged `erased`), or the other system named an
 * erased customer as its recipient (`claimedRecipientCustomerId`), whatever address it used.
 */
export type ErasedRecipientCheck = (addressHash: string, sentAt: string, claimedCustomerId?: string) => Promise<boolean>;

/**
 * {@link ErasedRecipientCheck} over the directory history: one index query for the address,
 * and one timeline query when the row names a customer.
 *
 * @example
 * const erased = erasedRecipientCheck(history);
 * await erased(addressHash('erin@example.com'), '2026-07-01T10:00:00Z') // true once Erin is erased
 */
export function erasedRecipientCheck(history: Pick<DirectoryHistory, 'customersWithAddressHashAt' | 'customerTimeline'>): ErasedRecipientCheck {
  return async (addressHash, sentAt, claimedCustomerId) => {
    if ((await history.customersWithAddressHashAt(addressHash, sentAt)).some((customer) => customer.erased)) return true;
    if (claimedCustomerId === undefined) return false;
    return (await history.customerTimeline(claimedCustomerId)).some((fact) => fact.erased);
  };
}
