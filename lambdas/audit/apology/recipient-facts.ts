import type { Customer } from '../../directory/facts';
import type { AuditedNotice } from '../audited-notice';

/** What the apology sender reads again about a recipient just before sending. */
export interface RecipientFacts {
  /** The ledger row the apology is about (its address), if it still exists. */
  readonly row: AuditedNotice | undefined;
  readonly suppressed: boolean;
  /** Unsubscribed from all mail from us. */
  readonly unsubscribedFromAll: boolean;
  /** The customer with this address (`byEmailHash`), if any. */
  readonly customer: Customer | undefined;
}

/** Reads a recipient's facts at send time, together (as few round trips as the store allows). */
export interface RecipientFactsReader {
  read(noticeId: string, addressHash: string): Promise<RecipientFacts>;
}
