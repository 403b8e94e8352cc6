/**
 * Whether we ever mailed an address: the unsubscribe endpoint's cheap check before it asks the
 * key, since every genuine link went out in an email recorded in the ledger.
 */
export interface MailedAddresses {
  /** True when some ledger row (a claim, a sent notice, an imported one) names this address hash. */
  wasMailed(addressHash: string): Promise<boolean>;
}
