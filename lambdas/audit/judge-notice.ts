import { RegistryStatus } from '../directory/facts';
import { AuditReason, AuditVerdict, NotJudgedReason } from './audit-reasons';
import { MAY_HAVE_REACHED, type AuditFacts, type AuditedNotice } from './audited-notice';

/** The audit's finding on one row; `reason` is an `AuditReason` for WRONG rows. */
export interface Judgement {
  readonly verdict: AuditVerdict;
  readonly reason?: AuditReason | NotJudgedReason;
}

/**
 * Re-checks one ledger row against our data: was the address mailed the owner of an
 * ACTIVE registry this purchase was for, who wanted to hear, and was it the first
 * notice to that address for that purchase and item (whatever the event ids)? Pure: the facts are loaded by the caller.
 *
 * Order matters: who was mailed comes first (a stranger is NOT_A_PARTICIPANT whatever
 * the registry), then the registry, then the owner's own settings, then duplicates.
 *
 * @example
 * judgeNotice(row, facts) // { verdict: 'WRONG', reason: 'NOT_THE_OWNER' }
 */
export function judgeNotice(notice: AuditedNotice, facts: AuditFacts): Judgement {
  if (!MAY_HAVE_REACHED.has(notice.outcome)) return { verdict: AuditVerdict.NOT_SENT, reason: NotJudgedReason.NOTHING_SENT };
  const address = notice.recipientAddressHash;
  if (!address) return { verdict: AuditVerdict.UNVERIFIABLE, reason: NotJudgedReason.NO_ADDRESS };

  const wrong = (reason: AuditReason): Judgement => ({ verdict: AuditVerdict.WRONG, reason });
  const isOwner = facts.registry !== undefined && facts.ownerAddressHash !== undefined && facts.ownerAddressHash === address;

  if (!isOwner) {
    if (!facts.addressCustomer || facts.addressCustomerOwnsARegistry === false) return wrong(AuditReason.NOT_A_PARTICIPANT);
    if (!facts.registry) return wrong(AuditReason.REGISTRY_NOT_FOUND);
    return wrong(AuditReason.NOT_THE_OWNER);
  }
  // The owner, per our data, of a registry we have.
  const registry = facts.registry!;
  if (registry.status !== RegistryStatus.ACTIVE) return wrong(AuditReason.REGISTRY_CLOSED);
  if (!registry.purchaseNotifications) return wrong(AuditReason.NOTIFICATIONS_OFF);
  if (facts.itemOnRegistry === false) return wrong(AuditReason.ITEM_NOT_ON_REGISTRY);
  if (facts.firstNotices.some((first) => first !== notice.noticeId)) return wrong(AuditReason.DUPLICATE);
  return { verdict: AuditVerdict.OK };
}
