import { addressHashes } from '../../directory/address-hash';
import { ResendState, type LedgerEntry } from '../ledger-entry';
import type { PurchaseMessage } from '../purchase-message';
import type { NoticeLedger } from '../ports/notice-ledger';
import type { Mailer } from '../../mail/ports/mailer';
import { prepareNotice, type NoticeSources, type PreparedNotice } from './prepare-notice';
import { sendNotice } from './send-notice';

/** Why an approved re-send was not sent though no guard said no. */
export const RECIPIENT_CHANGED = 'RECIPIENT_CHANGED';

/** What an approved re-send came to. */
export type ResendResult =
  | { readonly kind: 'RESENT'; readonly eventId: string; readonly sesMessageId: string }
  | { readonly kind: 'RESEND_REFUSED'; readonly eventId: string; readonly reason: string }
  | { readonly kind: 'RESEND_FAILED'; readonly eventId: string; readonly code: string }
  | { readonly kind: 'RESEND_UNCERTAIN'; readonly eventId: string }
  /** Not approved (any more): another delivery claimed it, or it was never approved. */
  | { readonly kind: 'DUPLICATE'; readonly eventId: string };

/** What a re-send needs of the notify pipeline. */
export interface ResendDeps extends NoticeSources {
  readonly ledger: NoticeLedger;
  readonly mailer: Mailer;
  readonly now: () => Date;
}

/**
 * Sends again, once, a notice whose first send is in doubt and whose re-send an operator
 * approved (`notice resolve` puts its purchase message back on the queue). It is decided
 * afresh with today's data: if a guard says no now (suppressed, opted out since), or the
 * owner is no longer the person first mailed, nothing is sent. The claim `APPROVED →
 * SENDING` is conditional, so however often the message comes, at most one re-send goes.
 * `decided` is the decision the caller already made with today's data, if it made one.
 *
 * @throws MailNotAcceptedError after giving the claim back, so the record is retried.
 */
export async function resendApproved(
  row: LedgerEntry,
  message: PurchaseMessage,
  p: ResendDeps,
  decided?: PreparedNotice,
): Promise<ResendResult> {
  const { noticeId, eventId } = row;
  const at = (): string => p.now().toISOString();
  const prepared = decided ?? (await prepareNotice(message, p, p.now()));
  const refuse = async (reason: string): Promise<ResendResult> => {
    await p.ledger.settleResend(noticeId, { state: ResendState.REFUSED, reason, at: at() });
    return { kind: 'RESEND_REFUSED', eventId, reason };
  };
  if (prepared.kind === 'blocked') return refuse(prepared.reason);
  const samePerson =
    prepared.owner.customerId === row.recipientCustomerId && row.recipientAddressHash !== undefined && addressHashes(prepared.owner.email).includes(row.recipientAddressHash);
  if (!samePerson) return refuse(RECIPIENT_CHANGED);

  if (!(await p.ledger.claimResend(noticeId, at()))) return { kind: 'DUPLICATE', eventId };
  const outcome = await sendNotice(p.mailer, { noticeId, ...prepared });
  switch (outcome.kind) {
    case 'sent':
      await p.ledger.settleResend(noticeId, { state: ResendState.SENT, sesMessageId: outcome.sesMessageId, at: at() });
      return { kind: 'RESENT', eventId, sesMessageId: outcome.sesMessageId };
    case 'not-accepted':
      await p.ledger.settleResend(noticeId, { state: ResendState.APPROVED });
      throw outcome.error;
    case 'rejected':
      await p.ledger.settleResend(noticeId, { state: ResendState.FAILED, reason: outcome.error.reason, at: at() });
      return { kind: 'RESEND_FAILED', eventId, code: outcome.error.code };
    case 'unknown':
      await p.ledger.settleResend(noticeId, { state: ResendState.UNCERTAIN, reason: 'SES_OUTCOME_UNKNOWN', at: at() });
      return { kind: 'RESEND_UNCERTAIN', eventId };
  }
}
