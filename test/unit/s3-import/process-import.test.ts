import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ObjectChangedError } from '../../../lambdas/platform/function-errors';
import type { ImportProgress, ImportProgressStore } from '../../../lambdas/imports/ports/import-progress';
import type { ErasedCustomer, LineHandler } from '../../../lambdas/platform/line-import/line-handler';
import type { ObjectStore } from '../../../lambdas/platform/object-store/object-store';
import type { ImportMessage } from '../../../lambdas/imports/s3-import/import-message';
import { processImportMessage, type ImportDeps } from '../../../lambdas/imports/s3-import/process-import';

/** An in-memory bucket: objects with an ETag, If-Match honoured, reports kept. */
class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: string; eTag: string }>();
  async read(bucket: string, key: string, options: { fromByte: number; ifMatch?: string }): Promise<AsyncIterable<Uint8Array>> {
    const object = this.objects.get(`${bucket}/${key}`)!;
    if (options.ifMatch && options.ifMatch !== object.eTag) throw new ObjectChangedError('changed');
    return Readable.from([Buffer.from(object.body).subarray(options.fromByte)]);
  }
  async put(bucket: string, key: string, body: string): Promise<void> {
    this.objects.set(`${bucket}/${key}`, { body, eTag: 'report' });
  }
}

/** Progress items with the store's conditions. */
class MemoryProgress implements ImportProgressStore {
  readonly items = new Map<string, ImportProgress>();
  async start(p: ImportProgress) {
    if (this.items.has(p.importId)) return 'exists' as const;
    this.items.set(p.importId, structuredClone(p));
    return 'started' as const;
  }
  async get(id: string) {
    return structuredClone(this.items.get(id));
  }
  async advance(from: ImportProgress['position'], to: Pick<ImportProgress, 'importId' | 'state' | 'position' | 'report' | 'updatedAt' | 'erased'>) {
    const item = this.items.get(to.importId);
    if (!item || item.state !== 'RUNNING' || item.position.nextOffset !== from.nextOffset) return 'lost' as const;
    this.items.set(to.importId, { ...item, ...structuredClone(to) });
    return 'moved' as const;
  }
}

function world(lines: number, maxLinesPerChunk: number, erasedOn: (lineNumber: number) => ErasedCustomer | undefined = () => undefined) {
  const objects = new MemoryObjects();
  const body = Array.from({ length: lines }, (_, i) => (i === 2 ? 'broken' : `{"n":${i + 1}}`)).join('\n') + '\n';
  objects.objects.set('imports/directory/snap.jsonl', { body, eTag: 'v1' });
  const handled: number[] = [];
  const handler: LineHandler = {
    name: 'test lines',
    handle: async (text, lineNumber) => {
      handled.push(lineNumber);
      const erased = erasedOn(lineNumber);
      return text.startsWith('{') ? { kind: 'APPLIED', ...(erased ? { erased } : {}) } : { kind: 'REFUSED', issues: [{ field: '(line)', rule: 'must be valid JSON' }] };
    },
  };
  const queue: ImportMessage[] = [];
  const progress = new MemoryProgress();
  const drainRequests: { customerId: string; addressHashes: readonly string[] }[] = [];
  const deps: ImportDeps = {
    objects,
    progress,
    routes: [{ prefix: 'directory/', handler, maxLineBytes: 1024 }],
    continueLater: async (message) => {
      queue.push(message);
    },
    evidenceDrain: { request: async (customerId, addressHashes) => void drainRequests.push({ customerId, addressHashes }) },
    now: () => new Date('2026-07-01T00:00:00Z'),
    settings: { concurrency: 2, safetyMs: 1000, maxLinesPerChunk, reportPrefix: 'reports/' },
  };
  const s3Event = (key = 'directory/snap.jsonl', eTag = 'v1'): ImportMessage => ({
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'imports' }, object: { key, eTag } } }],
  });
  const drain = async () => {
    while (queue.length > 0) await processImportMessage(queue.shift()!, deps, () => 60_000);
  };
  return { objects, progress, deps, queue, handled, s3Event, drain, drainRequests };
}

describe('processImportMessage', () => {
  it('imports an object chunk by chunk through continuations, each line once, and writes the report beside it', async () => {
    // Prepare
    const { deps, objects, queue, handled, s3Event, drain } = world(9, 4);

    // Act
    const [first] = await processImportMessage(s3Event(), deps, () => 60_000);
    const continued = queue.length;
    await drain();

    // Assess
    expect(first).toMatchObject({ kind: 'CHUNK', state: 'RUNNING', lines: 4, nextLine: 5 });
    expect(continued).toBe(1);
    expect(handled.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const report = JSON.parse(objects.objects.get('imports/reports/directory/snap.jsonl.report.json')!.body);
    expect(report).toMatchObject({
      state: 'DONE',
      kind: 'test lines',
      report: { lines: 9, applied: 8, refused: 1, issues: [{ line: 3, field: '(line)', rule: 'must be valid JSON' }] },
    });
  });

  it('ignores a repeated S3 event of the same object version, and objects under no route', async () => {
    // Prepare
    const { deps, handled, s3Event, drain } = world(3, 100);
    await processImportMessage(s3Event(), deps, () => 60_000);
    await drain();

    // Act
    const again = await processImportMessage(s3Event(), deps, () => 60_000);
    const elsewhere = await processImportMessage(s3Event('send-logs/x.jsonl'), deps, () => 60_000);

    // Assess
    expect(again).toEqual([{ kind: 'IGNORED', why: 'already imported or importing (a repeated S3 event)' }]);
    expect(elsewhere[0]?.kind).toBe('IGNORED');
    expect(handled).toHaveLength(3);
  });

  it('answers a redelivered continuation by carrying the import on from where it stands, counting no chunk twice', async () => {
    // Prepare
    const { deps, queue, progress, s3Event, drain } = world(9, 4);
    await processImportMessage(s3Event(), deps, () => 60_000);
    const stale = queue[0]!;
    await processImportMessage(queue.shift()!, deps, () => 60_000);

    // Act: the first continuation is delivered again (its delete was lost)
    const [result] = await processImportMessage(stale, deps, () => 60_000);
    await drain();

    // Assess
    expect(result).toEqual({ kind: 'IGNORED', why: 'stale continuation' });
    expect([...progress.items.values()][0]).toMatchObject({ state: 'DONE', report: { lines: 9 } });
  });

  it('lets only one of two workers on the same chunk move the import on', async () => {
    // Prepare
    const { deps, queue, s3Event } = world(9, 4);
    await processImportMessage(s3Event(), deps, () => 60_000);
    const continuation = queue.shift()!;

    // Act
    const results = await Promise.all([processImportMessage(continuation, deps, () => 60_000), processImportMessage(continuation, deps, () => 60_000)]);

    // Assess
    expect(results.flat().map((r) => r.kind).sort()).toEqual(['CHUNK', 'LOST']);
    expect(queue).toHaveLength(1);
  });

  it('marks an import SUPERSEDED when the object is overwritten meanwhile (the new version has its own event)', async () => {
    // Prepare
    const { deps, objects, queue, progress, s3Event } = world(9, 4);
    await processImportMessage(s3Event(), deps, () => 60_000);
    objects.objects.get('imports/directory/snap.jsonl')!.eTag = 'v2';

    // Act
    const [result] = await processImportMessage(queue.shift()!, deps, () => 60_000);

    // Assess
    expect(result).toMatchObject({ kind: 'CHUNK', state: 'SUPERSEDED' });
    expect([...progress.items.values()][0]?.state).toBe('SUPERSEDED');
    expect(queue).toHaveLength(0);
  });

  it('ignores the test event S3 sends when notifications are configured', async () => {
    const { deps } = world(1, 1);
    expect(await processImportMessage({ Event: 's3:TestEvent', Bucket: 'imports' }, deps, () => 60_000)).toEqual([{ kind: 'IGNORED', why: 'S3 test event' }]);
  });

  it('reads every chunk of an object with its uploader\'s handler, continuations too, and keeps the uploader on the progress', async () => {
    // Prepare: a route whose lines are applied as the uploader's (a snapshot's corrections name them).
    const { deps, progress, queue, drain } = world(9, 4);
    const seen: string[] = [];
    const route = deps.routes[0]!;
    const routes = [{ ...route, handlerFor: (by: string): LineHandler => ({ name: route.handler.name, handle: async (text, n) => (seen.push(by), route.handler.handle(text, n)) }) }];
    const uploaded: ImportMessage = {
      Records: [{ eventName: 'ObjectCreated:Put', userIdentity: { principalId: 'AWS:AROAEXAMPLE000000000:grace' }, s3: { bucket: { name: 'imports' }, object: { key: 'directory/snap.jsonl', eTag: 'v1' } } }],
    };

    // Act
    await processImportMessage(uploaded, { ...deps, routes }, () => 60_000);
    const continued = queue.length;
    while (queue.length > 0) await processImportMessage(queue.shift()!, { ...deps, routes }, () => 60_000);
    await drain();

    // Assess
    expect(continued).toBe(1);
    expect(seen).toEqual(Array.from({ length: 9 }, () => 'AWS:AROAEXAMPLE000000000:grace'));
    expect([...progress.items.values()][0]).toMatchObject({ uploadedBy: 'AWS:AROAEXAMPLE000000000:grace', state: 'DONE' });
  });

  describe('an upload with rows about erased customers', () => {
    // Lines 2 and 7 are about Erin (two of her addresses), line 5 about Eve; four lines a chunk.
    const erasedOn = (n: number): ErasedCustomer | undefined =>
      n === 2 ? { customerId: 'c-erin', addressHashes: ['a'.repeat(64)] } : n === 7 ? { customerId: 'c-erin', addressHashes: ['b'.repeat(64)] } : n === 5 ? { customerId: 'c-eve', addressHashes: ['c'.repeat(64)] } : undefined;

    it('asks for the erasure drain of each once, when the import is done and not before, and keeps them out of the report', async () => {
      // Prepare
      const { deps, objects, progress, s3Event, drain, drainRequests } = world(9, 4, erasedOn);

      // Act
      await processImportMessage(s3Event(), deps, () => 60_000);
      const afterFirstChunk = [...drainRequests];
      const remembered = (await progress.get('imports/directory/snap.jsonl@v1'))?.erased;
      await drain();

      // Assess
      expect(afterFirstChunk).toEqual([]);
      expect(remembered).toEqual([{ customerId: 'c-erin', addressHashes: ['a'.repeat(64)] }]);
      expect(drainRequests).toEqual([
        { customerId: 'c-erin', addressHashes: ['a'.repeat(64), 'b'.repeat(64)] },
        { customerId: 'c-eve', addressHashes: ['c'.repeat(64)] },
      ]);
      expect((await progress.get('imports/directory/snap.jsonl@v1'))?.state).toBe('DONE');
      const report = objects.objects.get('imports/reports/directory/snap.jsonl.report.json')!.body;
      expect(report).not.toMatch(/erased|c-erin|c-eve|aaaa/);
    });

    it('asks before recording the import done: a request that fails fails the chunk, and its retry asks again and finishes', async () => {
      // Prepare
      const { deps, progress, s3Event, queue, drainRequests } = world(6, 4, erasedOn);
      await processImportMessage(s3Event(), deps, () => 60_000);
      const last = queue.shift()!;
      const failing = { ...deps, evidenceDrain: { request: () => Promise.reject(new Error('throttled')) } };

      // Act
      const failed = processImportMessage(last, failing, () => 60_000);
      await expect(failed).rejects.toThrow('throttled');
      const between = (await progress.get('imports/directory/snap.jsonl@v1'))?.state;
      const retried = await processImportMessage(last, deps, () => 60_000);

      // Assess
      expect(between).toBe('RUNNING');
      expect(retried).toMatchObject([{ kind: 'CHUNK', state: 'DONE' }]);
      expect(drainRequests.map((r) => r.customerId)).toEqual(['c-erin', 'c-eve']);
    });
  });
});
