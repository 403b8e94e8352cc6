import type { Registry } from '../directory/facts';
import { NoticeOutcome } from '../notices/ledger-entry';

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
  /**
   * An imported row: who imported it (`AWS:AIDA…`, `AWS:AROA…:<session>`: the S3 uploader of its
   * send log as S3 names them, or the operator endpoint's caller in the same form); they may not
   * approve a campaign that apologises for it. Absent on our own rows and older imports.
   */
  readonly importedBy?: string;
}

/**
 * What our data said about one row at its moment (`decidedAt`), as we now know it, loaded
 * by the audit before it judges (lambdas/audit/audit-facts.ts).
 */
export interface AuditFacts {
  /** The registry the notice was about, as it stood then, if it existed. */
  readonly registry: Registry | undefined;
  /** Whether the row's item is on that registry; `undefined` when the row names no item. */
  readonly itemOnRegistry: boolean | undefined;
  /** The hash of the address the registry's owner had then. */
  readonly ownerAddressHash: string | undefined;
  /** A customer whose address was mailed (then), found by address hash. */
  readonly addressCustomer: { readonly customerId: string } | undefined;
  /**
   * Whether that customer owns any registry (registries' `byOwner` index). `false` turns
   * NOT_THE_OWNER into NOT_A_PARTICIPANT; `undefined` (not looked up: the address is the
   * owner's, or no customer's) leaves the verdict to the other facts.
   */
  readonly addressCustomerOwnsARegistry?: boolean;
  /**
   * The first notice recorded under each of the row's duplicate keys (see `duplicateKeys`);
   * empty when not looked up. Any that is not this row makes it a DUPLICATE.
   */
  readonly firstNotices: readonly string[];
}

/**
 * The keys two notices share when they tell one address about one purchase and item,
 * whatever their event ids: `<hash>#pur:<purchaseId>#item:<itemId>` (`#pur:<purchaseId>`
 * for an imported row that names no item), and `<hash>#evt:<eventId>` too when the row
 * has an event id, so an imported row that knew only the event still meets our notice of
 * it. Sorted, so every caller registers them in one order. None without an address.
 *
 * @example
 * duplicateKeys({ recipientAddressHash: 'ab12', eventId: 'e-1', purchaseId: 'p-1', itemId: 'i-1', ... })
 * // ['ab12#evt:e-1', 'ab12#pur:p-1#item:i-1']
 */
export function duplicateKeys(notice: AuditedNotice): string[] {
  const hash = notice.recipientAddressHash;
  if (!hash) return [];
  const keys: string[] = [];
  if (notice.purchaseId) keys.push(notice.itemId ? `${hash}#pur:${notice.purchaseId}#item:${notice.itemId}` : `${hash}#pur:${notice.purchaseId}`);
  if (notice.eventId) keys.push(`${hash}#evt:${notice.eventId}`);
  return keys.sort();
}

/** Outcomes under which an email may have reached someone. */
export const MAY_HAVE_REACHED: ReadonlySet<string> = new Set([NoticeOutcome.SENT, NoticeOutcome.SENDING, NoticeOutcome.UNCERTAIN]);
