import { NoticeOutcome, ResendState, type Resend } from '../../notices/ledger-entry';
import type { ApologyQueue } from '../../audit/ports/apology-queue';
import { ApologyState } from '../../audit/ports/campaigns';
import type { Deferral } from '../../platform/queues/deferral';
import type { NoticeRecords, ResendApproval } from '../../notices/ports/notice-records';
import type { ApologyId, ApologyRecords } from '../../audit/ports/apology-records';

/** What `notice resolve` did with one notice or apology. */
export const ResolveResult = {
  /** The re-send is approved and the message is back on its queue: the notify function (or the apology sender) sends it once. */
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
  /** Nothing is kept to send again: a notice's purchase message, an apology's planned recipient. */
  NO_MESSAGE: 'NO_MESSAGE',
} as const;
export type ResolveResult = (typeof ResolveResult)[keyof typeof ResolveResult];

/** What `notice resolve` answers for one notice or apology. */
export interface ResolveOutcome {
  readonly kind: 'notice' | 'apology';
  /** The notice id, or `<incidentId>/<addressHash>` for an apology (as `notice uncertain` lists them). */
  readonly id: string;
  readonly result: ResolveResult;
  /** E.g. the outcome it has, or who approved its re-send and when. */
  readonly detail?: string;
}

/** What `notice resolve` works with. */
export interface ResolveDeps {
  readonly notices: NoticeRecords;
  /** The purchase queue: the notify function re-sends from there, with its guards. */
  readonly purchases: Deferral;
  readonly apologies: ApologyRecords;
  /** The apology queue: the apology sender re-sends from there, with its guards and inside the rate bound. */
  readonly apologyQueue: ApologyQueue;
}

/** How an apology in doubt is named: `<incidentId>/<addressHash>`. */
export function apologyIdOf(id: ApologyId): string {
  return `${id.incidentId}/${id.addressHash}`;
}

/** The reverse of {@link apologyIdOf}; the operator endpoint has checked the shape. */
export function parseApologyId(id: string): ApologyId {
  const [incidentId = '', addressHash = ''] = id.split('/');
  return { incidentId, addressHash };
}

/** The options of one `notice resolve`: who asks, when, and the settle window. */
export interface ResolveOptions {
  /** The caller's identity (IAM ARN through the operator endpoint). */
  readonly by: string;
  readonly now: Date;
  readonly settleSeconds: number;
}

/**
 * Re-sends notices and apologies in doubt that SES has said nothing about, explicitly and at
 * most once each: the approval (who, when) is a conditional write on the ledger row or the
 * apology claim, then the kept message goes back on its queue, where the function that sends
 * it decides it afresh (today's guards) and claims the one re-send (`APPROVED → SENDING`).
 * The operator endpoint sends no mail itself.
 *
 * @example
 * await resolveUncertain({ noticeIds: ['evt#demo-1'], apologyIds: ['inc-1/3f…'] }, deps, { by: 'arn:aws:iam::123456789012:user/ann', now: new Date(), settleSeconds: 900 });
 */
export async function resolveUncertain(
  ids: { readonly noticeIds?: readonly string[]; readonly apologyIds?: readonly string[] },
  deps: ResolveDeps,
  options: ResolveOptions,
): Promise<ResolveOutcome[]> {
  const approval: ResendApproval = {
    by: options.by,
    at: options.now.toISOString(),
    inDoubtBefore: new Date(options.now.getTime() - options.settleSeconds * 1000).toISOString(),
  };
  const outcomes: ResolveOutcome[] = [];
  for (const noticeId of ids.noticeIds ?? []) outcomes.push({ kind: 'notice', id: noticeId, ...(await resolveNotice(noticeId, deps, approval)) });
  for (const id of ids.apologyIds ?? []) outcomes.push({ kind: 'apology', id, ...(await resolveApology(parseApologyId(id), deps, approval)) });
  return outcomes;
}

type Resolution = Pick<ResolveOutcome, 'result' | 'detail'>;

async function resolveNotice(noticeId: string, deps: ResolveDeps, approval: ResendApproval): Promise<Resolution> {
  const approved = await deps.notices.approveResend(noticeId, approval);
  const row = await deps.notices.get(noticeId);
  if (approved && row?.purchaseMessage) {
    await deps.purchases.defer(row.purchaseMessage, 0);
    return { result: ResolveResult.QUEUED };
  }
  // Not approved now: say why, from the row as it is.
  if (!row) return { result: ResolveResult.NOT_FOUND };
  if (row.resend?.state === ResendState.APPROVED && row.purchaseMessage) {
    await deps.purchases.defer(row.purchaseMessage, 0);
    return { result: ResolveResult.QUEUED_AGAIN, detail: approvedBy(row.resend) };
  }
  return whyNot({
    resend: row.resend,
    inDoubt: row.outcome === NoticeOutcome.UNCERTAIN,
    state: row.outcome,
    sesEvents: Object.keys(row.sesEvents ?? {}),
    hasMessage: row.purchaseMessage !== undefined,
    since: row.settledAt,
  });
}

async function resolveApology(id: ApologyId, deps: ResolveDeps, approval: ResendApproval): Promise<Resolution> {
  // The message first: an approval with nothing to send would only block a later one.
  const message = await deps.apologies.plannedMessage(id);
  const approved = message !== undefined && (await deps.apologies.approveResend(id, approval));
  if (approved) {
    await deps.apologyQueue.defer(message, 0);
    return { result: ResolveResult.QUEUED };
  }
  const claim = await deps.apologies.get(id);
  if (!claim) return { result: ResolveResult.NOT_FOUND };
  const inDoubt = claim.state === ApologyState.UNCERTAIN;
  const sesEvents = Object.keys(claim.sesEvents ?? {});
  // Approved, not yet claimed by the sender, and still nothing from SES: the message may not have reached the queue.
  if (inDoubt && claim.resend?.state === ResendState.APPROVED && sesEvents.length === 0 && message) {
    await deps.apologyQueue.defer(message, 0);
    return { result: ResolveResult.QUEUED_AGAIN, detail: approvedBy(claim.resend) };
  }
  return whyNot({ resend: claim.resend, inDoubt, state: claim.state, sesEvents, hasMessage: message !== undefined, since: claim.settledAt });
}

function whyNot(found: {
  readonly resend: Resend | undefined;
  readonly inDoubt: boolean;
  readonly state: string;
  readonly sesEvents: readonly string[];
  readonly hasMessage: boolean;
  readonly since: string | undefined;
}): Resolution {
  if (found.resend) return { result: ResolveResult.ALREADY_RESENT, detail: `${found.resend.state}, ${approvedBy(found.resend)}` };
  if (!found.inDoubt) return { result: ResolveResult.NOT_IN_DOUBT, detail: found.state };
  if (found.sesEvents.length > 0) return { result: ResolveResult.SES_HEARD, detail: found.sesEvents.join(', ') };
  if (!found.hasMessage) return { result: ResolveResult.NO_MESSAGE };
  return { result: ResolveResult.TOO_RECENT, detail: `in doubt since ${found.since}` };
}

function approvedBy(resend: Resend): string {
  return `approved by ${resend.by} at ${resend.at}`;
}
