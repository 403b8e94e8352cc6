import { ObjectChangedError } from '../../platform/function-errors';
import { emptyLineReport, importLines, type LineImportReport } from '../../platform/line-import/import-lines';
import { readLines } from '../../platform/line-import/read-lines';
import type { ImportProgress, ImportProgressStore } from '../ports/import-progress';
import { importIdOf, ImportState, MAX_ERASED_PER_IMPORT } from '../ports/import-progress';
import type { ErasureDrainRequests } from '../../directory/erasure-drain-request';
import type { ErasedCustomer, LineHandler } from '../../platform/line-import/line-handler';
import type { ObjectStore } from '../../platform/object-store/object-store';
import { isContinuation, type ImportMessage } from './import-message';

/** Which line handler reads an object: by the key's prefix (`directory/…`, `send-logs/…`). */
export interface ImportRoute {
  readonly prefix: string;
  readonly handler: LineHandler;
  /** The longest line the handler takes (bytes). */
  readonly maxLineBytes: number;
  /** The handler for an object someone uploaded: what it applies is recorded as theirs (a snapshot's corrections). */
  readonly handlerFor?: (uploadedBy: string) => LineHandler;
}

/** What processing import messages needs. */
export interface ImportDeps {
  readonly objects: ObjectStore;
  readonly progress: ImportProgressStore;
  readonly routes: readonly ImportRoute[];
  /** Asks for the erasure drain of each erased customer an upload's lines were about, once it is imported. */
  readonly evidenceDrain: ErasureDrainRequests;
  /** Sends the next chunk to the import queue. */
  readonly continueLater: (message: { kind: 'continue'; importId: string; fromOffset: number }) => Promise<void>;
  readonly now: () => Date;
  readonly settings: ImportSettings;
}

export interface ImportSettings {
  /** Lines handled at once. */
  readonly concurrency: number;
  /** A chunk stops when this little time is left in the invocation. */
  readonly safetyMs: number;
  /** A chunk stops after this many lines, whatever the time. */
  readonly maxLinesPerChunk: number;
  /** Where reports go, before the object's key: `reports/` gives `reports/directory/x.jsonl.report.json`. */
  readonly reportPrefix: string;
}

/** What one message did. */
export type ImportResult =
  | { readonly kind: 'IGNORED'; readonly why: string }
  | { readonly kind: 'CHUNK'; readonly importId: string; readonly state: ImportProgress['state']; readonly lines: number; readonly nextLine: number }
  | { readonly kind: 'LOST'; readonly importId: string };

/**
 * One message of the import queue: an S3 event starts an import of each new object whose key
 * a route takes (line 1, progress item per object version); a continuation carries one on.
 * Each chunk reads the object from where the import stands (`If-Match` its ETag), handles lines
 * until the invocation's time or `maxLinesPerChunk` runs out, moves the progress on
 * (conditional on where it started, so a redelivered message never counts a chunk twice) and
 * sends a continuation, or at the end writes the report next to the object
 * (`<reportPrefix><key>.report.json`). The erased customers the lines were about (a send-log row
 * written without its address) are kept with the progress, once each; before the import is
 * recorded done, one erasure drain request is sent for each, so the upload that names them is
 * deleted even when it came after the drain's last pass (docs/data-model.md, "Erasure").
 *
 *   S3 ─► queue ─► chunk(line 1..n) ─► progress ─► queue ─► chunk(n+1..m) ─► … ─► report
 *
 * A crash between moving the progress and sending the continuation leaves the message to be
 * redelivered: it finds the progress ahead of it and sends the continuation again.
 *
 * @example
 * await processImportMessage(message, deps, () => context.getRemainingTimeInMillis());
 */
export async function processImportMessage(message: ImportMessage, deps: ImportDeps, remainingMs: () => number): Promise<ImportResult[]> {
  if ('Event' in message) return [{ kind: 'IGNORED', why: 'S3 test event' }];
  if (isContinuation(message)) {
    const progress = await deps.progress.get(message.importId);
    if (!progress || progress.state !== ImportState.RUNNING) return [{ kind: 'IGNORED', why: 'no running import' }];
    if (progress.position.nextOffset !== message.fromOffset) {
      // Redelivered after the progress moved on: make sure the chain goes on from where it stands.
      if (progress.position.nextOffset > message.fromOffset) await deps.continueLater({ kind: 'continue', importId: progress.importId, fromOffset: progress.position.nextOffset });
      return [{ kind: 'IGNORED', why: 'stale continuation' }];
    }
    return [await processChunk(progress, deps, remainingMs)];
  }
  const results: ImportResult[] = [];
  for (const record of message.Records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const route = deps.routes.find((r) => key.startsWith(r.prefix));
    if (!route || !record.eventName.startsWith('ObjectCreated:')) {
      results.push({ kind: 'IGNORED', why: `no import for ${record.eventName} of this key` });
      continue;
    }
    const eTag = (record.s3.object.eTag ?? '').replaceAll('"', '');
    const at = deps.now().toISOString();
    const progress: ImportProgress = {
      importId: importIdOf(bucket, key, eTag),
      bucket,
      key,
      eTag,
      kind: route.handler.name,
      state: ImportState.RUNNING,
      position: { nextLine: 1, nextOffset: 0 },
      report: emptyLineReport(),
      startedAt: at,
      updatedAt: at,
      ...(record.userIdentity?.principalId ? { uploadedBy: record.userIdentity.principalId } : {}),
    };
    if ((await deps.progress.start(progress)) === 'exists') {
      results.push({ kind: 'IGNORED', why: 'already imported or importing (a repeated S3 event)' });
      continue;
    }
    results.push(await processChunk(progress, deps, remainingMs));
  }
  return results;
}

async function processChunk(progress: ImportProgress, deps: ImportDeps, remainingMs: () => number): Promise<ImportResult> {
  const route = deps.routes.find((r) => progress.key.startsWith(r.prefix));
  if (!route) return { kind: 'IGNORED', why: 'no route for this key any more' };
  const { settings } = deps;
  const from = progress.position;
  const report: LineImportReport = structuredClone(progress.report);
  const linesBefore = report.lines;
  let result: Awaited<ReturnType<typeof importLines>>;
  try {
    const bytes = await deps.objects.read(progress.bucket, progress.key, { fromByte: from.nextOffset, ifMatch: progress.eTag || undefined });
    const handler = progress.uploadedBy && route.handlerFor ? route.handlerFor(progress.uploadedBy) : route.handler;
    result = await importLines(readLines(bytes, { startOffset: from.nextOffset, startLine: from.nextLine, maxLineBytes: route.maxLineBytes }), handler, {
      concurrency: settings.concurrency,
      maxLineBytes: route.maxLineBytes,
      report,
      shouldStop: () => remainingMs() < settings.safetyMs || report.lines - linesBefore >= settings.maxLinesPerChunk,
    });
  } catch (error) {
    if (!(error instanceof ObjectChangedError)) throw error;
    const moved = await deps.progress.advance(from, { importId: progress.importId, state: ImportState.SUPERSEDED, position: from, report, updatedAt: deps.now().toISOString() });
    return moved === 'moved' ? { kind: 'CHUNK', importId: progress.importId, state: ImportState.SUPERSEDED, lines: 0, nextLine: from.nextLine } : { kind: 'LOST', importId: progress.importId };
  }
  const position = result.position ?? from;
  const state = result.done ? ImportState.DONE : ImportState.RUNNING;
  const erased = mergeErased(progress.erased ?? [], result.erased);
  // Before DONE is recorded: a failed request fails the message, whose retry repeats the chunk (idempotent) and asks again.
  if (result.done) for (const customer of erased) await deps.evidenceDrain.request(customer.customerId, customer.addressHashes);
  const at = deps.now().toISOString();
  if ((await deps.progress.advance(from, { importId: progress.importId, state, position, report: result.report, updatedAt: at, ...(erased.length > 0 ? { erased } : {}) })) === 'lost') {
    return { kind: 'LOST', importId: progress.importId };
  }
  if (result.done) {
    // The report says what was imported, not who: no erased customer's id or hash.
    const { erased: _erased, ...imported } = progress;
    const finished: ImportProgress = { ...imported, state, position, report: result.report, updatedAt: at };
    await deps.objects.put(progress.bucket, `${settings.reportPrefix}${progress.key}.report.json`, JSON.stringify(finished, null, 1), 'application/json');
  } else {
    await deps.continueLater({ kind: 'continue', importId: progress.importId, fromOffset: position.nextOffset });
  }
  return { kind: 'CHUNK', importId: progress.importId, state, lines: result.report.lines - linesBefore, nextLine: position.nextLine };
}

/** The erased customers of the chunks so far and this one, once each (hashes merged), at most {@link MAX_ERASED_PER_IMPORT}. */
function mergeErased(before: readonly ErasedCustomer[], now: readonly ErasedCustomer[]): ErasedCustomer[] {
  const byId = new Map<string, Set<string>>();
  for (const { customerId, addressHashes } of [...before, ...now]) {
    if (!byId.has(customerId) && byId.size >= MAX_ERASED_PER_IMPORT) continue;
    const hashes = byId.get(customerId) ?? new Set<string>();
    for (const hash of addressHashes) hashes.add(hash);
    byId.set(customerId, hashes);
  }
  return [...byId].map(([customerId, hashes]) => ({ customerId, addressHashes: [...hashes] }));
}
