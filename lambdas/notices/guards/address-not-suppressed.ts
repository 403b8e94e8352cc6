import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** Bounced, complained or manually suppressed addresses are never mailed. */
export function addressNotSuppressed(facts: NoticeFacts): BlockReason | undefined {
  return facts.ownerAddressSuppressed ? BlockReason.ADDRESS_SUPPRESSED : undefined;
}
