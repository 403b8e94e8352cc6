import type { NoticeFacts } from './notice-facts';
import { BlockReason } from '../reasons';

/** Owners may keep gifts a surprise; only an explicit `true` means "tell me". */
export function notificationsOn(facts: NoticeFacts): BlockReason | undefined {
  return facts.registry?.purchaseNotifications === true ? undefined : BlockReason.NOTIFICATIONS_OFF;
}
