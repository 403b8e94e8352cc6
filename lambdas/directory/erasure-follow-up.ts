import { SQS_MAX_DELAY_SECONDS } from '../platform/sqs-limits';
import type { ErasureDrainRequest } from './erasure-drain-request';

/**
 * How the drain follows an erasure up (docs/data-model.md, "The erasure drain"): a message
 * naming the customer may still be on its way to an evidence queue after the first pass (a
 * purchase retried in its queue that dead-letters days later, an SES event that comes late and
 * is quarantined), so passes go on until the horizon has passed since the first one.
 */
export interface FollowUpPolicy {
  /** From the first pass, how long a message naming the customer can still reach an evidence queue (lib/constructs/erasure-drain.ts derives it); 0: one pass only. */
  readonly horizonMs: number;
  /** From one pass's start to the next's. */
  readonly spacingMs: number;
  /**
   * A follow-up pass reads the objects modified since the previous pass began, less this: an
   * object's LastModified can be older than the moment it became listable (S3 dates a multipart
   * upload from its initiation), so one begun before the previous pass and completed after it
   * would look older than that pass.
   */
  readonly objectMarginMs: number;
}

/** What a drain request asks for now: a pass (reading the objects modified since `objectsModifiedSince`, all when absent), or to wait. */
export type DrainStep = { readonly kind: 'PASS'; readonly objectsModifiedSince?: Date } | { readonly kind: 'WAIT'; readonly delaySeconds: number; readonly nextPassAt: string };

/** A request sent again to the drain queue, after `delaySeconds`. */
export interface FollowUpSend {
  readonly request: ErasureDrainRequest;
  readonly delaySeconds: number;
  /** When the pass it asks for is due. */
  readonly nextPassAt: string;
}

/**
 * What a request asks for at `now`: a first pass (no `followUp`: the requests the directory and
 * import functions send) reads everything; a follow-up that is due reads the objects modified
 * since its previous pass (less the margin), or since `deferredSince` when that is older (the
 * previous pass kept an upload whose import was not over); one not due yet waits (SQS delays at most 15 minutes,
 * so passes further apart take several hops of the request through its queue).
 *
 * @example
 * drainStep({ ...request, followUp: { erasedAt, previousPassAt: '2026-01-01T00:00:00Z', nextPassAt: '2026-01-01T01:00:00Z' } }, new Date('2026-01-01T00:15:00Z'), policy)
 * // { kind: 'WAIT', delaySeconds: 900, nextPassAt: '2026-01-01T01:00:00Z' }
 */
export function drainStep(request: ErasureDrainRequest, now: Date, policy: FollowUpPolicy): DrainStep {
  const f = request.followUp;
  if (!f) return { kind: 'PASS' };
  const dueInMs = Date.parse(f.nextPassAt) - now.getTime();
  if (dueInMs > 0) return { kind: 'WAIT', delaySeconds: Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil(dueInMs / 1000)), nextPassAt: f.nextPassAt };
  const since = Date.parse(f.previousPassAt) - policy.objectMarginMs;
  return { kind: 'PASS', objectsModifiedSince: new Date(f.deferredSince ? Math.min(since, Date.parse(f.deferredSince)) : since) };
}

/**
 * The request for the pass after the one that began at `passStartedAt`, or `undefined` when that
 * pass was the last: it began once the horizon had passed since the first pass, so whatever was
 * on its way has arrived and was read. The next pass is due a spacing later, or at the horizon if
 * that comes first (so the last pass begins right after it). `deferredSince` (the oldest upload
 * the pass kept because its import was not over) goes with it, so the next pass reads that upload
 * again; it does not take the chain past the horizon.
 *
 * @example
 * followUpAfter(firstRequest, new Date('2026-01-01T00:00:00Z'), { horizonMs: 2 * HOUR, spacingMs: HOUR, objectMarginMs: 0 })
 * // { request: { ...firstRequest, followUp: { erasedAt: '2026-01-01T00:00:00.000Z', previousPassAt: '2026-01-01T00:00:00.000Z', nextPassAt: '2026-01-01T01:00:00.000Z' } }, delaySeconds: 900, nextPassAt: '2026-01-01T01:00:00.000Z' }
 */
export function followUpAfter(request: ErasureDrainRequest, passStartedAt: Date, policy: FollowUpPolicy, now: Date = passStartedAt, deferredSince?: string): FollowUpSend | undefined {
  const erasedAt = request.followUp ? Date.parse(request.followUp.erasedAt) : passStartedAt.getTime();
  const end = erasedAt + policy.horizonMs;
  if (passStartedAt.getTime() >= end) return undefined;
  const next = Math.min(passStartedAt.getTime() + policy.spacingMs, end);
  const nextPassAt = new Date(next).toISOString();
  const followUp = { erasedAt: new Date(erasedAt).toISOString(), previousPassAt: passStartedAt.toISOString(), nextPassAt, ...(deferredSince ? { deferredSince } : {}) };
  const delaySeconds = Math.max(0, Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil((next - now.getTime()) / 1000)));
  return { request: { ...request, followUp }, delaySeconds, nextPassAt };
}

/**
 * What one erasure costs under a policy, for the docs' cost paragraph and its test: `passes` (the
 * first, the follow-ups, the last at the horizon), `sends` (the drain's own requests, each one
 * more invocation) and `waits` (the sends that only wait, when passes are over 15 minutes apart).
 */
export function followUpCount(policy: FollowUpPolicy): { readonly passes: number; readonly sends: number; readonly waits: number } {
  if (policy.horizonMs <= 0) return { passes: 1, sends: 0, waits: 0 };
  const gaps = Math.ceil(policy.horizonMs / policy.spacingMs);
  const lastGapMs = policy.horizonMs - (gaps - 1) * policy.spacingMs;
  const sendsPerGap = (ms: number): number => Math.ceil(ms / 1000 / SQS_MAX_DELAY_SECONDS);
  const sends = (gaps - 1) * sendsPerGap(policy.spacingMs) + sendsPerGap(lastGapMs);
  return { passes: gaps + 1, sends, waits: sends - gaps };
}
