import type { NoticeFacts } from '../facts';
import { BlockReason } from '../reasons';

/** An owner who opted out of email hears nothing from us. */
export function addressNotOptedOut(facts: NoticeFacts): BlockReason | undefined {
  return facts.owner?.notificationsOptOut === false ? undefined : BlockReason.ADDRESS_OPTED_OUT;
}
