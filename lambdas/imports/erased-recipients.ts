import type { DirectoryHistory } from '../directory/ports/directory-history';
import type { ErasedCustomer } from '../platform/line-import/line-handler';

/**
 * Who, of the erased customers, an imported send-log row is about, so it is kept without its
 * address (docs/data-model.md, "Erasure"), or `undefined`: the address was an erased customer's
 * when the row says it was sent (their facts keep the hash, flagged `erased`: that customer, with
 * that hash), or the other system named an erased customer as its recipient
 * (`claimedRecipientCustomerId`), whatever address it used (that customer, with the hashes their
 * facts keep, not the row's address: it may be someone else's). The S3 import asks the erasure
 * drain for them once the upload is imported.
 */
export type ErasedRecipientCheck = (addressHash: string, sentAt: string, claimedCustomerId?: string) => Promise<ErasedCustomer | undefined>;

/**
 * {@link ErasedRecipientCheck} over the directory history: one index query for the address,
 * and one timeline query when the row names a customer.
 *
 * @example
 * const erased = erasedRecipientCheck(history);
 * await erased(addressHash('erin@example.com'), '2026-07-01T10:00:00Z') // { customerId: 'c-erin', addressHashes: [that hash] } once Erin is erased
 */
export function erasedRecipientCheck(history: Pick<DirectoryHistory, 'customersWithAddressHashAt' | 'customerTimeline'>): ErasedRecipientCheck {
  return async (addressHash, sentAt, claimedCustomerId) => {
    const holder = (await history.customersWithAddressHashAt(addressHash, sentAt)).find((customer) => customer.erased);
    if (holder) return { customerId: holder.customerId, addressHashes: [addressHash] };
    if (claimedCustomerId === undefined) return undefined;
    const facts = await history.customerTimeline(claimedCustomerId);
    if (!facts.some((fact) => fact.erased)) return undefined;
    return { customerId: claimedCustomerId, addressHashes: [...new Set(facts.flatMap((fact) => (fact.emailHash ? [fact.emailHash] : [])))] };
  };
}
