import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/**
 * The producer's idea of the recipient is only ever checked: if it disagrees with
 * our registry data, something upstream is wrong and nobody is mailed.
 */
export function recipientIsOwner(facts: NoticeFacts): BlockReason | undefined {
  const claimed = facts.message.recipientCustomerId;
  if (claimed === undefined) return undefined;
  return claimed === facts.registry?.ownerCustomerId ? undefined : BlockReason.RECIPIENT_MISMATCH;
}
