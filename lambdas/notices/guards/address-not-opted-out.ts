import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/**
 * An owner who opted out of email (the shop's setting) or unsubscribed (our link: from this
 * registry's notices, or from all mail) hears nothing from us.
 */
export function addressNotOptedOut(facts: NoticeFacts): BlockReason | undefined {
  return facts.owner?.notificationsOptOut === false && !facts.ownerUnsubscribed ? undefined : BlockReason.ADDRESS_OPTED_OUT;
}
