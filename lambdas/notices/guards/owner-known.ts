import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** The owner must be a customer we know, with an address on file, and the right one. */
export function ownerKnown(facts: NoticeFacts): BlockReason | undefined {
  const { owner, registry } = facts;
  if (!owner || !registry || owner.customerId !== registry.ownerCustomerId || owner.email.trim() === '') {
    return BlockReason.OWNER_NOT_FOUND;
  }
  return undefined;
}
