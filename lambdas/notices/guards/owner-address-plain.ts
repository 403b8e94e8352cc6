import type { NoticeFacts } from './notice-facts';
import { isPlainAddress } from '../../directory/plain-address';
import { BlockReason } from '../reasons';

/**
 * Our own data is checked before we send from it: the owner's address must be one plain
 * address as stored (see `../plain-address.ts`), never a list, a display name or a string
 * with CR/LF that SES could read as more recipients or a header.
 */
export function ownerAddressPlain(facts: NoticeFacts): BlockReason | undefined {
  const email = facts.owner?.email;
  return email !== undefined && !isPlainAddress(email) ? BlockReason.OWNER_ADDRESS_INVALID : undefined;
}
