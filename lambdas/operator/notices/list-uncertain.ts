import { maskAddress } from '../../directory/mask-address';
import type { Resend } from '../../notices/ledger-entry';
import type { NoticeRecords } from '../../notices/ports/notice-records';
import type { ApologyRecords } from '../../audit/ports/apology-records';
import { apologyIdOf } from './resolve-uncertain';

/** One email still in doubt after the settle window, as `notice uncertain` lists it. */
export interface UncertainItem {
  readonly kind: 'notice' | 'apology';
  /** The notice id, or `<incidentId>/<addressHash>` for an apology. */
  readonly id: string;
  /** Since when it is in doubt, and for how many seconds now. */
  readonly inDoubtSince: string;
  readonly ageSeconds: number;
  readonly reason?: string;
  /** The SES event types seen for it (a Reject, say; anything else would have settled it). */
  readonly sesEvents: readonly string[];
  /** The recipient, masked. */
  readonly recipient?: string;
  /** The operator's re-send, once one was approved. */
  readonly resend?: Resend;
  /** Whether `notice resolve` may re-send it now: no SES event, no re-send yet (and for a notice, its purchase message kept). */
  readonly resolvable: boolean;
}

/** What `notice uncertain` answers. */
export interface UncertainList {
  readonly settleSeconds: number;
  /** In doubt for longer than the settle window, longest first. */
  readonly items: readonly UncertainItem[];
  /** In doubt for less than the window: their SES events may still come. */
  readonly stillSettling: number;
}

/**
 * The notices and apologies whose send is still in doubt once `settleSeconds` have passed
 * (SES publishes its events within seconds, so what has heard nothing by then most likely
 * did not go), with their age, the SES events seen and whether they may be re-sent.
 *
 * @example
 * const { items } = await listUncertain({ notices, apologies }, { now: new Date(), settleSeconds: 900 });
 */
export async function listUncertain(
  deps: { readonly notices: NoticeRecords; readonly apologies: ApologyRecords },
  options: { readonly now: Date; readonly settleSeconds: number },
): Promise<UncertainList> {
  const now = options.now.getTime();
  const ageSeconds = (since: string): number => Math.floor((now - Date.parse(since)) / 1000);
  const all: UncertainItem[] = [];
  for (const row of await deps.notices.inDoubt()) {
    const sesEvents = Object.keys(row.sesEvents ?? {});
    const since = row.settledAt ?? row.decidedAt;
    all.push({
      kind: 'notice',
      id: row.noticeId,
      inDoubtSince: since,
      ageSeconds: ageSeconds(since),
      ...(typeof row.reason === 'string' ? { reason: row.reason } : {}),
      sesEvents,
      ...(row.recipientAddress ? { recipient: maskAddress(row.recipientAddress) } : {}),
      ...(row.resend ? { resend: row.resend } : {}),
      resolvable: sesEvents.length === 0 && row.resend === undefined && row.purchaseMessage !== undefined,
    });
  }
  for (const claim of await deps.apologies.inDoubt()) {
    const since = claim.settledAt ?? claim.claimedAt ?? '';
    const sesEvents = Object.keys(claim.sesEvents ?? {});
    all.push({
      kind: 'apology',
      id: apologyIdOf(claim),
      inDoubtSince: since,
      ageSeconds: ageSeconds(since),
      ...(claim.reason ? { reason: claim.reason } : {}),
      sesEvents,
      ...(claim.resend ? { resend: claim.resend } : {}),
      resolvable: sesEvents.length === 0 && claim.resend === undefined,
    });
  }
  const settled = all.filter((item) => item.ageSeconds >= options.settleSeconds).sort((a, b) => b.ageSeconds - a.ageSeconds);
  return { settleSeconds: options.settleSeconds, items: settled, stillSettling: all.length - settled.length };
}
