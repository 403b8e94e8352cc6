import type { LedgerEntry, ResendState } from '../ledger-entry';

/** Why a notice's send is in doubt (the `reason` of an `UNCERTAIN` row). */
export const UncertainReason = {
  /** The claim outlived its sender (a crash or timeout between SES and the ledger write). */
  CLAIM_ABANDONED: 'CLAIM_ABANDONED',
  /** The request reached SES and no answer came back (a timeout or reset after it was written). */
  SES_OUTCOME_UNKNOWN: 'SES_OUTCOME_UNKNOWN',
} as const;
export type UncertainReason = (typeof UncertainReason)[keyof typeof UncertainReason];

/** What is kept with a notice in doubt. */
export interface UncertainSend {
  /** @default UncertainReason.CLAIM_ABANDONED */
  readonly reason?: UncertainReason;
  /** The purchase message (SQS body), so that an operator's resolve can have it re-sent. */
  readonly purchaseMessage?: string;
}

/** How an approved re-send ended, or that its claim is given back. */
export type ResendSettlement =
  | { readonly state: typeof ResendState.SENT; readonly sesMessageId: string; readonly at: string }
  | { readonly state: typeof ResendState.APPROVED }
  | { readonly state: typeof ResendState.FAILED | typeof ResendState.UNCERTAIN | typeof ResendState.REFUSED; readonly reason: string; readonly at: string };

/**
 * Whether a conditional ledger write took effect, or found the notice already there; then
 * `existing` is its row as the write found it (in the same request: no read first).
 */
export type LedgerWrite = { readonly written: true } | { readonly written: false; readonly existing: LedgerEntry };

/**
 * What a claim did: took effect, found the event's row (`existing`), or found the purchase
 * and item held by another event's notice (`duplicateOf`, its notice id): nothing written.
 */
/** `recipientErased`: the recipient's customer row was erased when the claim was made; nothing was written. */
export type ClaimWrite = LedgerWrite | { readonly written: false; readonly duplicateOf: string } | { readonly written: false; readonly recipientErased: true };

/**
 * The notice ledger. Its conditional writes on `noticeId` are also the idempotency
 * record: a notice is decided, claimed and sent at most once.
 */
export interface NoticeLedger {
  /** Records a final decision (blocked) unless the notice is already there. */
  recordDecision(entry: LedgerEntry): Promise<LedgerWrite>;
  /**
   * Claims the notice for sending (outcome SENDING), and its purchase and item with it, in one
   * atomic write: unless the notice is already there, or another event's notice holds the
   * purchase and item.
   */
  claim(entry: LedgerEntry): Promise<ClaimWrite>;
  /** SENDING → SENT with SES's message id. */
  markSent(noticeId: string, sesMessageId: string, sentAt: string): Promise<void>;
  /** Drops a SENDING claim when SES certainly did not take the email, so a retry may send. */
  release(noticeId: string): Promise<void>;
  /** SENDING → FAILED, when SES refused the email for good. */
  markFailed(noticeId: string, reason: string, at: string): Promise<void>;
  /** SENDING → UNCERTAIN (listed for an operator), for a send whose outcome is unknown; only if still SENDING. */
  markUncertain(noticeId: string, at: string, doubt?: UncertainSend): Promise<void>;
  /** An approved re-send of an UNCERTAIN notice: APPROVED → SENDING. `false` when it is not (any more) approved. */
  claimResend(noticeId: string, at: string): Promise<boolean>;
  /**
   * Settles the re-send: `SENT` makes the notice SENT (and no longer in doubt); `APPROVED`
   * gives the claim back (SES certainly took nothing); the rest leave the notice UNCERTAIN.
   */
  settleResend(noticeId: string, settlement: ResendSettlement): Promise<void>;
}
