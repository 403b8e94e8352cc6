import type { NoticeFacts } from './notice-facts';
import type { BlockReason } from '../reasons';
import { addressNotOptedOut } from './address-not-opted-out';
import { addressNotSuppressed } from './address-not-suppressed';
import { itemOnRegistry } from './item-on-registry';
import { notificationsOn } from './notifications-on';
import { ownerAddressPlain } from './owner-address-plain';
import { ownerKnown } from './owner-known';
import { recipientIsOwner } from './recipient-is-owner';
import { registryActive } from './registry-active';
import { registryExists } from './registry-exists';

/** A guard says why a notice must not be sent, or nothing when it may. */
export type Guard = (facts: NoticeFacts) => BlockReason | undefined;

/**
 * The data guards, in the order they are asked. The first "no" is the ledger's reason;
 * the recipient check comes early so a mismatch is always reported as such, and a
 * malformed owner address right after the owner is known, so bad data is reported as bad
 * data whatever the owner's settings.
 * The link guard runs on the rendered email (see `../links.ts`); duplicates and the
 * kill switch are the pipeline's (see `lambdas/notices/notify/`).
 */
export const DATA_GUARDS: readonly Guard[] = [
  registryExists,
  recipientIsOwner,
  registryActive,
  ownerKnown,
  ownerAddressPlain,
  notificationsOn,
  itemOnRegistry,
  addressNotOptedOut,
  addressNotSuppressed,
];

/**
 * Asks every data guard in turn.
 *
 * @example
 * const reason = firstBlockReason(facts); // undefined, or e.g. 'NOTIFICATIONS_OFF'
 */
export function firstBlockReason(facts: NoticeFacts, guards: readonly Guard[] = DATA_GUARDS): BlockReason | undefined {
  for (const guard of guards) {
    const reason = guard(facts);
    if (reason) return reason;
  }
  return undefined;
}
