import type { ApologyMessage } from '../apology-message';
import type { ApologyQueue } from '../ports/apology-queue';
import { CampaignState, type CampaignStore, type EnqueueProgress } from '../ports/campaigns';

/** What enqueueing needs: the plan and the queue. */
export interface EnqueueDeps {
  readonly campaigns: CampaignStore;
  readonly apologyQueue: ApologyQueue;
}

/** What one call enqueued, and how far the campaign's enqueueing is. */
export interface EnqueueReport {
  readonly enqueuedNow: number;
  readonly progress?: EnqueueProgress;
}

/**
 * Puts an approved campaign's recipients on the apology queue, a page at a time, saving the
 * cursor and the count after each page (only forward). A crash between a page's enqueue and
 * its save enqueues that page again on resume: the sender's claims keep those to one apology
 * each. Stops when `hasTime` says so; the next call resumes.
 *
 * @example
 * const { enqueuedNow } = await enqueueApologies('inc-…', deps, () => remaining() > 20_000);
 */
export async function enqueueApologies(incidentId: string, deps: EnqueueDeps, hasTime: () => boolean, pageSize = 100): Promise<EnqueueReport> {
  let campaign = await deps.campaigns.get(incidentId);
  if (campaign?.state !== CampaignState.APPROVED) return { enqueuedNow: 0, ...(campaign?.enqueue ? { progress: campaign.enqueue } : {}) };
  let progress = campaign.enqueue;
  let enqueuedNow = 0;
  while (!progress?.done && hasTime()) {
    const page = await deps.campaigns.recipients(incidentId, progress?.cursor, pageSize);
    const messages: ApologyMessage[] = [];
    for (const r of page.recipients) {
      if (r.decision === 'APOLOGISE') messages.push({ v: 1, incidentId, addressHash: r.addressHash, noticeId: r.noticeId, reason: r.reason, locale: r.locale });
    }
    await deps.apologyQueue.enqueue(messages);
    const next: EnqueueProgress = { ...(page.cursor ? { cursor: page.cursor } : {}), enqueued: (progress?.enqueued ?? 0) + messages.length, done: !page.cursor };
    if (await deps.campaigns.saveEnqueue(incidentId, progress, next)) {
      enqueuedNow += messages.length;
      progress = next;
    } else {
      // Another run moved it on (its page and ours were the same: the claims dedupe them).
      campaign = await deps.campaigns.get(incidentId);
      progress = campaign?.enqueue;
    }
  }
  return { enqueuedNow, ...(progress ? { progress } : {}) };
}

/** Apologies settled (sent, skipped, failed or uncertain) out of the counters. */
export function settledCount(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Marks an approved campaign COMPLETE once it is all enqueued and every recipient's claim is
 * settled (the counters reach the plan's size); returns the counters.
 *
 * @example
 * const counts = await completeIfSettled('inc-…', deps.campaigns, new Date());
 */
export async function completeIfSettled(incidentId: string, campaigns: CampaignStore, now: Date): Promise<Record<string, number>> {
  const campaign = await campaigns.get(incidentId);
  const counts = await campaigns.claimCounts(incidentId);
  if (campaign?.state === CampaignState.APPROVED && campaign.enqueue?.done && settledCount(counts) >= campaign.summary.toApologise) {
    await campaigns.complete(incidentId, now.toISOString());
  }
  return counts;
}
