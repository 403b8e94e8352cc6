import type { Customer, Registry } from '../facts';
import { NoticeOutcome } from '../ledger-entry';

/**
 * A ledger row as the audit reads it: ours (`evt#…`) or imported (`imp#…`).
 * `recipientAddress` is personal data: never log it.
 */
export interface AuditedNotice {
  readonly noticeId: string;
  readonly eventId?: string;
  readonly purchaseId?: string;
  readonly registryId?: string;
  readonly itemId?: string;
  readonly recipientAddress?: string;
  readonly recipientAddressHash?: string;
  readonly locale?: string;
  /** `SENT`, `SENDING`, `UNCERTAIN`, `BLOCKED`, `FAILED`. */
  readonly outcome: string;
  readonly decidedAt: string;
  /** `registry-notices` or `import:<source>`. */
  readonly sender: string;
}

/** What our data says about one row, loaded by the audit before it judges. */
export interface AuditFacts {
  /** The registry the notice was about, if we have it. */
  readonly registry: Registry | undefined;
  /** Whether the row's item is on that registry; `undefined` when the row names no item. */
  readonly itemOnRegistry: boolean | undefined;
  /** The registry owner's address hash per our customer data. */
  readonly ownerAddressHash: string | undefined;
  /** The customer whose address was mailed, found by address hash. */
  readonly addressCustomer: Customer | undefined;
  /**
   * Whether that customer owns any registry (registries' `byOwner` index). `false` turns
   * NOT_THE_OWNER into NOT_A_PARTICIPANT; `undefined` (not looked up: the address is the
   * owner's, or no customer's) leaves the verdict to the other facts.
   */
  readonly addressCustomerOwnsARegistry?: boolean;
  /** The first notice recorded for (address, purchase event); see `duplicateKey`. */
  readonly firstNoticeForKey: string | undefined;
}

/**
 * The key two notices share when they tell one address about one purchase event:
 * the event id when the row has one, else the purchase id. `undefined` when the row has
 * neither or no address (then it cannot be a duplicate).
 *
 * @example
 * duplicateKey({ recipientAddressHash: 'ab12', eventId: 'e-1', ... }) // 'ab12#evt:e-1'
 */
export function duplicateKey(notice: AuditedNotice): string | undefined {
  if (!notice.recipientAddressHash) return undefined;
  if (notice.eventId) return `${notice.recipientAddressHash}#evt:${notice.eventId}`;
  if (notice.purchaseId) return `${notice.recipientAddressHash}#pur:${notice.purchaseId}`;
  return undefined;
}

/** Outcomes under which an email may have reached someone. */
export const MAY_HAVE_REACHED: ReadonlySet<string> = new Set([NoticeOutcome.SENT, NoticeOutcome.SENDING, NoticeOutcome.UNCERTAIN]);
