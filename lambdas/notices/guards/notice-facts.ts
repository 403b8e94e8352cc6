import type { Customer, Registry } from '../../directory/facts';
import type { PurchaseMessage } from '../purchase-message';

/** Everything the guards need, loaded from our own data for one purchase message. */
export interface NoticeFacts {
  readonly message: PurchaseMessage;
  readonly registry: Registry | undefined;
  readonly itemOnRegistry: boolean;
  /** The registry's owner per our data (never the message's `recipientCustomerId`). */
  readonly owner: Customer | undefined;
  readonly ownerAddressSuppressed: boolean;
  /** The owner unsubscribed (one-click link) from this registry's notices or from all our mail. */
  readonly ownerUnsubscribed: boolean;
}
