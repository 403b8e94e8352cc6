/**
 * Why a purchase event did not become an email. Each is a ledger `reason` and a
 * metric dimension, so "why was this email not sent" has one vocabulary.
 */
export const BlockReason = {
  REGISTRY_NOT_FOUND: 'REGISTRY_NOT_FOUND',
  REGISTRY_NOT_ACTIVE: 'REGISTRY_NOT_ACTIVE',
  RECIPIENT_MISMATCH: 'RECIPIENT_MISMATCH',
  OWNER_NOT_FOUND: 'OWNER_NOT_FOUND',
  /** The owner's address in our data is not one plain address (a list, a display name, CR/LF, ...). */
  OWNER_ADDRESS_INVALID: 'OWNER_ADDRESS_INVALID',
  NOTIFICATIONS_OFF: 'NOTIFICATIONS_OFF',
  ITEM_NOT_ON_REGISTRY: 'ITEM_NOT_ON_REGISTRY',
  ADDRESS_OPTED_OUT: 'ADDRESS_OPTED_OUT',
  ADDRESS_SUPPRESSED: 'ADDRESS_SUPPRESSED',
  LINK_NOT_ALLOWED: 'LINK_NOT_ALLOWED',
  /** A notice for this purchase and item was already claimed under another event id: one per purchase and item. */
  DUPLICATE_PURCHASE_ITEM: 'DUPLICATE_PURCHASE_ITEM',
  /** The owner was erased between reading their row and claiming the notice: nothing sent, no address kept. */
  RECIPIENT_ERASED: 'RECIPIENT_ERASED',
} as const;
export type BlockReason = (typeof BlockReason)[keyof typeof BlockReason];
