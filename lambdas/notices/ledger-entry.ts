import type { MailEvents } from '../mail/mail-fate';
import type { BlockReason } from './reasons';

/** What became of a purchase event (or an imported notice). */
export const NoticeOutcome = {
  /** Claimed: the email is being sent right now, or the sender died mid-send. */
  SENDING: 'SENDING',
  SENT: 'SENT',
  BLOCKED: 'BLOCKED',
  /** SES refused the email for good (e.g. MessageRejected); not retried. */
  FAILED: 'FAILED',
  /** A claim outlived its sender: the email may or may not have gone. Never re-sent. */
  UNCERTAIN: 'UNCERTAIN',
} as const;
export type NoticeOutcome = (typeof NoticeOutcome)[keyof typeof NoticeOutcome];

/** Where an operator's re-send of an `UNCERTAIN` notice is (`resend.state` on its row). */
export const ResendState = {
  /** Approved by an operator (`notice resolve`); the purchase message is back on the queue. */
  APPROVED: 'APPROVED',
  /** The notify function has claimed it and is sending. */
  SENDING: 'SENDING',
  SENT: 'SENT',
  /** SES refused it for good. */
  FAILED: 'FAILED',
  /** Its outcome is unknown too; never re-sent again. */
  UNCERTAIN: 'UNCERTAIN',
  /** Not sent: a guard says no now, or the owner is another person than the one first mailed. */
  REFUSED: 'REFUSED',
} as const;
export type ResendState = (typeof ResendState)[keyof typeof ResendState];

/** `settledBy` of a notice or apology in doubt that an operator's re-send settled. */
export const SETTLED_BY_RESEND = 'OPERATOR_RESEND';

/** An operator's re-send of a notice in doubt: who approved it, when, and how it went. At most one per notice. */
export interface Resend {
  readonly state: ResendState;
  /** The operator's identity (their IAM identity through the operator endpoint). */
  readonly by: string;
  readonly at: string;
  readonly claimedAt?: string;
  readonly settledAt?: string;
  readonly sesMessageId?: string;
  /** Why it was refused or failed. */
  readonly reason?: string;
}

/** Who sent a notice: this service, or another system whose send log was imported. */
export const OUR_SENDER = 'registry-notices';

/** One row of the notice ledger. `recipientAddress` is personal data: never log it. */
export interface LedgerEntry {
  readonly noticeId: string;
  readonly eventId: string;
  readonly purchaseId?: string;
  readonly registryId: string;
  readonly itemId?: string;
  readonly claimedRecipientCustomerId?: string;
  readonly recipientCustomerId?: string;
  readonly recipientAddress?: string;
  readonly recipientAddressHash?: string;
  readonly template?: string;
  readonly locale?: string;
  readonly outcome: NoticeOutcome;
  readonly reason?: BlockReason | string;
  /** ISO 8601; when the decision was taken (or the claim made). */
  readonly decidedAt: string;
  readonly sentAt?: string;
  readonly sesMessageId?: string;
  readonly sender: string;
  /** On a `DUPLICATE_PURCHASE_ITEM` row: the notice that holds the purchase and item. */
  readonly duplicateOf?: string;
  /** What SES reported about the email, by event type (written by the feedback function). */
  readonly sesEvents?: MailEvents;
  /** An operator's re-send, if the notice was in doubt and one was approved. */
  readonly resend?: Resend;
}

/**
 * The ledger key of a purchase event of ours.
 *
 * @example
 * noticeIdForEvent('evt-1') // 'evt#evt-1'
 */
export function noticeIdForEvent(eventId: string): string {
  return `evt#${eventId}`;
}

/**
 * The ledger key of the marker that holds a purchase and item for the first notice claimed
 * for it, whatever its event id: one notice per purchase and item. Ids never contain `#`.
 *
 * @example
 * purchaseItemMarkerId('pur-1', 'item-stroller') // 'pi#pur-1#item-stroller'
 */
export function purchaseItemMarkerId(purchaseId: string, itemId: string): string {
  return `pi#${purchaseId}#${itemId}`;
}
