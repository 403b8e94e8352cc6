import { RetryLaterError } from '../platform/function-errors';
import { namesErased, type ErasedNames } from './erased-names';
import type { ErasureDrainFollowUps, ErasureDrainRequest } from './erasure-drain-request';
import { drainStep, followUpAfter, type FollowUpPolicy } from './erasure-follow-up';
import type { EvidenceObjects, EvidenceQueue, HeldMessage, ListedObject, UploadImports } from './ports/evidence';

/** What draining needs. */
export interface DrainDeps {
  readonly queues: readonly EvidenceQueue[];
  readonly objects: EvidenceObjects;
  /** Whether an upload's import is over: one not over is kept for a later pass. */
  readonly uploads: UploadImports;
  /** A pass stops, releases what it holds and is retried when this little time is left (ms). */
  readonly safetyMs: number;
}

/** What one pass did, in counts (never a body). */
export interface DrainReport {
  readonly customerId: string;
  /** Per queue: messages read and, of those, deleted. */
  readonly queues: Readonly<Record<string, { readonly read: number; readonly removed: number }>>;
  readonly objectsRead: number;
  readonly objectsRemoved: number;
  /** Objects that name the customer kept for a later pass: an upload whose import is not over (or that changed since it was listed). */
  readonly objectsDeferred: number;
  /** The oldest `LastModified` of those: the next pass reads the objects from it. Absent when none was deferred. */
  readonly deferredSince?: string;
  readonly removed: number;
}

/**
 * The pass ran out of time, or a queue hid messages it never saw (a receive whose answer was
 * lost, or another reader): what it held is visible again, and the request comes back.
 */
export class DrainIncompleteError extends RetryLaterError {
  override name = 'DrainIncompleteError';
}

/**
 * One erased customer's evidence removed from where it waits out its retention
 * (docs/data-model.md, "Erasure"): every message of every evidence queue is received (hidden
 * meanwhile), those that name the customer (their id, or an address with one of their hashes:
 * {@link namesErased}) deleted, and all the others made visible again at once, so the others'
 * evidence is kept; then every object of the import bucket under its prefixes is read, and an
 * object with a line that names them is deleted whole (rewriting an upload would import it
 * again), the version listed only, and an upload only once its import is over: one whose import
 * runs, or has not started (its S3 event still queued), still has other people's lines to be
 * read, so it is kept and counted (`objectsDeferred`) for a later pass. Safe to repeat: a second
 * pass finds nothing more. With `objectsModifiedSince` (a follow-up pass), only the objects
 * modified since are read; the queues are always read whole.
 *
 * @throws DrainIncompleteError when time runs short, or a queue still hides messages the pass
 *   did not hold, after releasing what it held.
 */
export async function drainErasedEvidence(
  request: ErasureDrainRequest,
  deps: DrainDeps,
  remainingMs: () => number,
  options: { readonly objectsModifiedSince?: Date } = {},
): Promise<DrainReport> {
  const erased: ErasedNames = { customerIds: new Set([request.customerId]), addressHashes: new Set(request.addressHashes) };
  const outOfTime = (): boolean => remainingMs() < deps.safetyMs;
  const queues: Record<string, { read: number; removed: number }> = {};
  let removed = 0;
  const unseen: string[] = [];
  for (const queue of deps.queues) {
    const { read, removed: removedHere, unseen: unseenHere } = await drainQueue(queue, erased, outOfTime);
    queues[queue.name] = { read, removed: removedHere };
    removed += removedHere;
    if (unseenHere > 0) unseen.push(`${queue.name} (${unseenHere})`);
  }
  let objectsRead = 0;
  let objectsRemoved = 0;
  const deferred: ListedObject[] = [];
  for await (const object of deps.objects.list(options.objectsModifiedSince)) {
    if (outOfTime()) throw new DrainIncompleteError(`erasure drain of ${request.customerId} ran out of time after ${objectsRead} objects`);
    objectsRead += 1;
    if (!(await objectNames(await deps.objects.read(object.key), erased))) continue;
    // Only an object that names them is looked up: one GetItem of its import's progress.
    if ((await removable(object, deps.uploads)) && (await deps.objects.remove(object)) === 'removed') objectsRemoved += 1;
    else deferred.push(object);
  }
  // Not drained: the retry comes after the hold (the drain queue's visibility timeout is longer), when they show again.
  if (unseen.length > 0) throw new DrainIncompleteError(`erasure drain of ${request.customerId} did not see messages hidden in ${unseen.join(', ')}`);
  const since = oldest(deferred);
  return {
    customerId: request.customerId,
    queues,
    objectsRead,
    objectsRemoved,
    objectsDeferred: deferred.length,
    ...(since ? { deferredSince: since.toISOString() } : {}),
    removed: removed + objectsRemoved,
  };
}

/** Whether an object that names the customer can go now: a report, or an upload whose import is over (an upload listed without ETag, never from S3, waits). */
async function removable(object: ListedObject, uploads: UploadImports): Promise<boolean> {
  if (!uploads.reads(object.key)) return true;
  return object.eTag !== undefined && (await uploads.finished(object.key, object.eTag));
}

/** The oldest `LastModified` of the objects (one listed without it, never from S3, is read by every pass anyway). */
function oldest(objects: readonly ListedObject[]): Date | undefined {
  const times = objects.flatMap((o) => (o.lastModified ? [o.lastModified.getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/** `unseen`: messages hidden at the end that this pass does not hold, so never read. */
async function drainQueue(queue: EvidenceQueue, erased: ErasedNames, outOfTime: () => boolean): Promise<{ read: number; removed: number; unseen: number }> {
  if (!(await queue.holdsMessages())) return { read: 0, removed: 0, unseen: 0 };
  const held: HeldMessage[] = [];
  let read = 0;
  let removed = 0;
  let unseen: number;
  try {
    for (;;) {
      if (outOfTime()) throw new DrainIncompleteError(`erasure drain ran out of time in ${queue.name} after ${read} messages`);
      const batch = await queue.receive();
      if (batch.length === 0) break;
      read += batch.length;
      const naming = batch.filter((m) => namesErased(m.body, erased));
      // Held before the delete: a delete refused throws, and the batch's others are shown again too.
      held.push(...batch.filter((m) => !naming.includes(m)));
      if (naming.length > 0) await queue.remove(naming);
      removed += naming.length;
    }
    // Counted before the release, while only what this pass holds should be hidden: a receive
    // applied whose answer was lost (the SDK retried it) hides its messages for the whole hold.
    unseen = Math.max(0, (await queue.hiddenCount()) - held.length);
  } finally {
    // Shown again whatever happened, so nobody else's evidence waits out our hold.
    if (held.length > 0) await queue.release(held);
  }
  return { read, removed, unseen };
}

/** Whether any line of the object names the erased customer (lines, so an address never spans two reads). */
async function objectNames(bytes: AsyncIterable<Uint8Array>, erased: ErasedNames): Promise<boolean> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of bytes) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end >= 0 && namesErased(text.slice(0, end), erased)) return true;
    rest = end >= 0 ? text.slice(end + 1) : text;
  }
  return namesErased(rest + decoder.decode(), erased);
}

/** What the drain function needs beyond one pass: where it sends itself the follow-ups, and their schedule. */
export interface ErasureDrainDeps extends DrainDeps {
  readonly followUps: ErasureDrainFollowUps;
  readonly policy: FollowUpPolicy;
  readonly now: () => Date;
}

/** What one drain request came to: a pass (and when the next is due, if any), or a wait for a pass not due yet. */
export type ErasureDrainResult =
  | ({ readonly kind: 'DRAINED'; readonly pass: 'FIRST' | 'FOLLOW_UP'; readonly nextPassAt?: string } & DrainReport)
  | { readonly kind: 'WAITING'; readonly customerId: string; readonly nextPassAt: string; readonly delaySeconds: number };

/**
 * One request of the erasure drain queue (docs/data-model.md, "The erasure drain"): a pass when
 * it is due ({@link drainErasedEvidence}), followed, until the horizon has passed since the first
 * pass, by the request sent again for the next one; or, not due yet, sent again to wait. After a
 * pass that deferred an upload, the next reads the objects again from that upload's
 * `LastModified`; at the horizon the chain ends all the same (an upload still deferred then stays
 * for the bucket's lifecycle, docs/data-model.md). The follow-up is sent after the pass succeeded: a failed send fails the request, and its retry
 * repeats the pass (safe) before sending.
 *
 * @throws DrainIncompleteError as the pass does; SDK errors of the send.
 */
export async function drainErasure(request: ErasureDrainRequest, deps: ErasureDrainDeps, remainingMs: () => number): Promise<ErasureDrainResult> {
  const startedAt = deps.now();
  const step = drainStep(request, startedAt, deps.policy);
  if (step.kind === 'WAIT') {
    await deps.followUps.send(request, step.delaySeconds);
    return { kind: 'WAITING', customerId: request.customerId, nextPassAt: step.nextPassAt, delaySeconds: step.delaySeconds };
  }
  const report = await drainErasedEvidence(request, deps, remainingMs, { objectsModifiedSince: step.objectsModifiedSince });
  const next = followUpAfter(request, startedAt, deps.policy, deps.now(), report.deferredSince);
  if (next) await deps.followUps.send(next.request, next.delaySeconds);
  return { kind: 'DRAINED', pass: request.followUp ? 'FOLLOW_UP' : 'FIRST', ...(next ? { nextPassAt: next.nextPassAt } : {}), ...report };
}
