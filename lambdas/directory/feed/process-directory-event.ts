import { effectiveAheadDelaySeconds, type DirectoryEvent } from '../directory-event';
import type { Deferral } from '../../platform/queues/deferral';
import { applyDirectoryEvent, type ApplyDeps, type ApplyResult } from '../apply-directory-event';

/** SQS's longest message delay. */
const MAX_DELAY_SECONDS = 900;

/** What one directory record needs. */
export interface DirectoryPipeline extends ApplyDeps {
  /** Where an event waits while its `effectiveAt` lies too far ahead of our clock. */
  readonly deferral: Deferral;
}

/** What became of one valid directory record. */
export type DirectoryResult =
  | ({ readonly kind: 'APPLIED' | 'UNCHANGED' } & Omit<ApplyResult, 'outcome'>)
  | { readonly kind: 'DEFERRED'; readonly delaySeconds: number };

/**
 * One valid directory event (the validation middleware has parsed it): applied, or, when its
 * `effectiveAt` lies more than 5 minutes ahead of our clock (the shop's clock runs fast),
 * put back on the queue until it does not, so a fact never shows before it is true.
 *
 * @throws (SDK errors) when the record should be delivered again; every step is idempotent.
 */
export async function processDirectoryEvent(event: DirectoryEvent, p: DirectoryPipeline): Promise<DirectoryResult> {
  const ahead = effectiveAheadDelaySeconds(event, p.now());
  if (ahead > 0) {
    const delaySeconds = Math.min(ahead, MAX_DELAY_SECONDS);
    await p.deferral.defer(JSON.stringify(event), delaySeconds);
    return { kind: 'DEFERRED', delaySeconds };
  }
  const { outcome, ...counts } = await applyDirectoryEvent(event, p);
  return { kind: outcome, ...counts };
}
