import type { LedgerEntry } from '../domain/ledger-entry';

/**
 * Whether a conditional ledger write took effect, or found the notice already there; then
 * `existing` is its row as the write found it (in the same request: no read first).
 */
export type LedgerWrite = { readonly written: true } | { readonly written: false; readonly existing: LedgerEntry };

/**
 * What a claim did: took effect, found the event's row (`existing`), or found the purchase
 * and item held by another event's notice (`duplicateOf`, its notice id): nothing written.
 */
export type ClaimWrite = LedgerWrite | { readonly written: false; readonly duplicateOf: string };

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
  /** SENDING → UNCERTAIN, for a claim whose sender died; only if still SENDING. */
  markUncertain(noticeId: string, at: string): Promise<void>;
}
