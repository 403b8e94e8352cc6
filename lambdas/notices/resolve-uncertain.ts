import { NoticeOutcome, ResendState } from '../domain/ledger-entry';
import type { Deferral } from '../ports/deferral';
import type { NoticeRecords } from '../ports/notice-records';

/** What `notice resolve` did with one notice. */
export const ResolveResult = {
  /** The re-send is approved and the purchase message is back on the queue: the notify function sends it once. */
  QUEUED: 'QUEUED',
  /** Approved before, but still not sent (the message may not have reached the queue): put back again, still at most one re-send. */
  QUEUED_AGAIN: 'QUEUED_AGAIN',
  NOT_FOUND: 'NOT_FOUND',
  /** Not UNCERTAIN (any more): sent, failed, blocked, or settled by its SES events. */
  NOT_IN_DOUBT: 'NOT_IN_DOUBT',
  /** SES has reported on it (a Reject, say): not re-sent blindly. */
  SES_HEARD: 'SES_HEARD',
  /** In doubt for less than the settle window: its SES events may still come. */
  TOO_RECENT: 'TOO_RECENT',
  /** It has had its one re-send. */
  ALREADY_RESENT: 'ALREADY_RESENT',
  /** The row keeps no purchase message to send again. */
  NO_MESSAGE: 'NO_MESSAGE',
} as const;
export type ResolveResult = (typeof ResolveResult)[keyof typeof ResolveResult];

/** What `notice resolve` answers for one notice. */
export interface ResolveOutcome {
  readonly noticeId: string;
  readonly result: ResolveResult;
  /** E.g. the outcome it has, or who approved its re-send and when. */
  readonly detail?: string;
}

/** What `notice resolve` works with. */
export interface ResolveDeps {
  readonly notices: NoticeRecords;
  /** The purchase queue: the notify function re-sends from there, with its guards. */
  readonly purchases: Deferral;
}

/**
 * Re-sends notices in doubt that SES has said nothing about, explicitly and at most once
 * each: the approval (who, when) is a conditional write on the ledger row, then the kept
 * purchase message goes back on the purchase queue, where the notify function decides it
 * afresh (today's guards) and claims the one re-send.
 *
 * @example
 * await resolveUncertain(['evt#demo-1'], deps, { by: 'arn:aws:iam::123456789012:user/ann', now: new Date(), settleMinutes: 15 });
 */
export async function resolveUncertain(
  noticeIds: readonly string[],
  deps: ResolveDeps,
  options: { readonly by: string; readonly now: Date; readonly settleMinutes: number },
): Promise<ResolveOutcome[]> {
  const inDoubtBefore = new Date(options.now.getTime() - options.settleMinutes * 60_000).toISOString();
  const outcomes: ResolveOutcome[] = [];
  for (const noticeId of noticeIds) {
    const approved = await deps.notices.approveResend(noticeId, { by: options.by, at: options.now.toISOString(), inDoubtBefore });
    const row = await deps.notices.get(noticeId);
    if (approved && row?.purchaseMessage) {
      await deps.purchases.defer(row.purchaseMessage, 0);
      outcomes.push({ noticeId, result: ResolveResult.QUEUED });
      continue;
    }
    // Not approved now: say why, from the row as it is.
    if (!row) outcomes.push({ noticeId, result: ResolveResult.NOT_FOUND });
    else if (row.resend?.state === ResendState.APPROVED && row.purchaseMessage) {
      await deps.purchases.defer(row.purchaseMessage, 0);
      outcomes.push({ noticeId, result: ResolveResult.QUEUED_AGAIN, detail: `approved by ${row.resend.by} at ${row.resend.at}` });
    } else if (row.resend) {
      outcomes.push({ noticeId, result: ResolveResult.ALREADY_RESENT, detail: `${row.resend.state}, approved by ${row.resend.by} at ${row.resend.at}` });
    } else if (row.outcome !== NoticeOutcome.UNCERTAIN) outcomes.push({ noticeId, result: ResolveResult.NOT_IN_DOUBT, detail: row.outcome });
    else if (Object.keys(row.sesEvents ?? {}).length > 0) {
      outcomes.push({ noticeId, result: ResolveResult.SES_HEARD, detail: Object.keys(row.sesEvents ?? {}).join(', ') });
    } else if (!row.purchaseMessage) outcomes.push({ noticeId, result: ResolveResult.NO_MESSAGE });
    else outcomes.push({ noticeId, result: ResolveResult.TOO_RECENT, detail: `in doubt since ${row.settledAt}` });
  }
  return outcomes;
}
