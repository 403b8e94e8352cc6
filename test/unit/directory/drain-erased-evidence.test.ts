import { describe, expect, it } from 'vitest';
import { addressHash, legacyAddressHash } from '../../../lambdas/directory/address-hash';
import { DrainIncompleteError, drainErasedEvidence, drainErasure } from '../../../lambdas/directory/drain-erased-evidence';
import { namesErased } from '../../../lambdas/directory/erased-names';
import { erasureDrainRequestFor, type ErasureDrainRequest } from '../../../lambdas/directory/erasure-drain-request';
import type { EvidenceObjects, EvidenceQueue, HeldMessage, ListedObject } from '../../../lambdas/directory/ports/evidence';
import { importIdOf, ImportState, type ImportProgress, type ImportProgressStore } from '../../../lambdas/imports/ports/import-progress';
import { uploadImports } from '../../../lambdas/imports/upload-imports';

const ERIN = 'erin@erasure.example';
const erased = { customerIds: new Set(['c-erin']), addressHashes: new Set([addressHash(ERIN)]) };

/** A queue as SQS keeps it: a received message is hidden until deleted or released. */
class FakeQueue implements EvidenceQueue {
  readonly visible: string[];
  readonly hidden = new Map<string, string>();
  released = 0;
  /** The next receive hides a batch and answers the one after (applied, its answer lost, retried). */
  loseNextReceive = false;
  private next = 0;
  constructor(
    readonly name: string,
    bodies: string[],
  ) {
    this.visible = [...bodies];
  }
  holdsMessages = async (): Promise<boolean> => this.visible.length + this.hidden.size > 0;
  hiddenCount = async (): Promise<number> => this.hidden.size;
  receive = async (): Promise<HeldMessage[]> => {
    const batch = this.visible.splice(0, 10).map((body) => {
      const receiptHandle = `rh-${this.next++}`;
      this.hidden.set(receiptHandle, body);
      return { receiptHandle, body };
    });
    if (!this.loseNextReceive) return batch;
    this.loseNextReceive = false;
    return this.receive();
  };
  remove = async (messages: readonly HeldMessage[]): Promise<void> => {
    for (const m of messages) this.hidden.delete(m.receiptHandle);
  };
  release = async (messages: readonly HeldMessage[]): Promise<void> => {
    for (const m of messages) {
      this.visible.push(this.hidden.get(m.receiptHandle)!);
      this.hidden.delete(m.receiptHandle);
      this.released += 1;
    }
  };
}

const BUCKET = 'imports';
const LISTED_AT = new Date('2026-03-01T09:00:00.000Z');
/** An object's ETag as S3 lists it (quoted), from its text. */
const eTagOf = (text: string): string => `"${addressHash(text).slice(0, 32)}"`;

class FakeObjects implements EvidenceObjects {
  /** Keys whose next delete finds another version (`If-Match` failed). */
  readonly replaced = new Set<string>();
  constructor(
    readonly objects: Map<string, string>,
    readonly lastModified: ReadonlyMap<string, Date> = new Map(),
  ) {}
  async *list(since?: Date): AsyncIterable<ListedObject> {
    for (const [key, text] of [...this.objects]) {
      const lastModified = this.lastModified.get(key) ?? LISTED_AT;
      if (!since || lastModified >= since) yield { key, eTag: eTagOf(text), lastModified };
    }
  }
  read = async (key: string): Promise<AsyncIterable<Uint8Array>> => {
    const bytes = new TextEncoder().encode(this.objects.get(key) ?? '');
    // In 7-byte pieces, so a line (and an address) spans several reads.
    return (async function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7);
    })();
  };
  remove = async (object: ListedObject): Promise<'removed' | 'changed'> => {
    if (this.replaced.has(object.key)) return 'changed';
    this.objects.delete(object.key);
    return 'removed';
  };
}

/** The import progress table as the drain reads it: each object's import in the state given (absent: not started), its reads counted. */
class FakeProgress implements Pick<ImportProgressStore, 'get'> {
  readonly reads: string[] = [];
  constructor(readonly states: Map<string, ImportProgress['state']>) {}
  /** The progress of what `objects` holds now under `key`, in `state`. */
  set(objects: FakeObjects, key: string, state: ImportProgress['state']): void {
    this.states.set(importIdOf(BUCKET, key, eTagOf(objects.objects.get(key)!)), state);
  }
  get = async (importId: string): Promise<ImportProgress | undefined> => {
    this.reads.push(importId);
    const state = this.states.get(importId);
    return state ? ({ importId, state } as ImportProgress) : undefined;
  };
}

const UPLOAD_PREFIXES = ['directory/', 'send-logs/'];
/** Every upload's import done, as it is long after the upload. */
const allDone = (objects: FakeObjects) => {
  const progress = new FakeProgress(new Map());
  for (const key of objects.objects.keys()) progress.set(objects, key, ImportState.DONE);
  return uploadImports(progress, BUCKET, UPLOAD_PREFIXES);
};
const noObjects = () => {
  const objects = new FakeObjects(new Map());
  return { objects, uploads: allDone(objects) };
};

describe('namesErased', () => {
  it.each([
    ['a purchase message naming the customer', '{"registryId":"r-1","recipientCustomerId":"c-erin"}'],
    ['a directory event with the address', '{"type":"customer.upserted","customerId":"c-other","email":"Erin@Erasure.example"}'],
    ['an SES event inside an SNS envelope (escaped JSON)', JSON.stringify({ Message: JSON.stringify({ mail: { destination: [ERIN] } }) })],
    ['a quarantine envelope with the body as a string', JSON.stringify({ reason: 'x', body: `{"to":"Erin <${ERIN}>"}` })],
    ['a line with the address in a query', 'https://x.example/?to=erin@erasure.example&y=1'],
  ])('finds %s', (_, text) => {
    // Act / Assess
    expect(namesErased(text, erased)).toBe(true);
  });

  it.each([
    ['another customer whose id starts alike', '{"recipientCustomerId":"c-erin-2"}'],
    ['another address at the same domain', '{"email":"erin2@erasure.example"}'],
    ['the id inside a longer id', '{"registryId":"r:c-erin"}'],
  ])('leaves %s', (_, text) => {
    // Act / Assess
    expect(namesErased(text, erased)).toBe(false);
  });

  it('finds an address stored under its legacy (unkeyed) hash', () => {
    // Act / Assess
    expect(namesErased(`{"email":"${ERIN}"}`, { customerIds: new Set(), addressHashes: new Set([legacyAddressHash(ERIN)]) })).toBe(true);
  });
});

describe('drainErasedEvidence', () => {
  const request = erasureDrainRequestFor('c-erin', [addressHash(ERIN)]);
  const others = Array.from({ length: 23 }, (_, i) => `{"recipientCustomerId":"c-${i}","email":"someone${i}@x.example"}`);

  it('deletes the messages and objects that name the customer, and shows every other message again at once', async () => {
    // Prepare
    const dlq = new FakeQueue('purchase-dlq', [...others.slice(0, 12), '{"recipientCustomerId":"c-erin"}', ...others.slice(12)]);
    const quarantine = new FakeQueue('directory-quarantine', [JSON.stringify({ body: `{"email":"${ERIN}"}` })]);
    const empty = new FakeQueue('feedback-dlq', []);
    const objects = new FakeObjects(
      new Map([
        ['directory/snap.jsonl', `{"customerId":"c-sam","email":"sam@x.example"}\n{"customerId":"c-erin","email":"${ERIN}"}\n`],
        ['send-logs/other.jsonl', '{"recipientAddress":"sam@x.example"}\n'],
        ['reports/directory/snap.jsonl.report.json', '{"report":{"lines":2}}'],
      ]),
    );

    // Act
    const report = await drainErasedEvidence(request, { queues: [dlq, quarantine, empty], objects, uploads: allDone(objects), safetyMs: 1000 }, () => 60_000);

    // Assess
    expect(dlq.visible.sort()).toEqual([...others].sort());
    expect(dlq.hidden.size).toBe(0);
    expect(quarantine.visible).toEqual([]);
    expect([...objects.objects.keys()]).toEqual(['send-logs/other.jsonl', 'reports/directory/snap.jsonl.report.json']);
    expect(report).toEqual({
      customerId: 'c-erin',
      queues: { 'purchase-dlq': { read: 24, removed: 1 }, 'directory-quarantine': { read: 1, removed: 1 }, 'feedback-dlq': { read: 0, removed: 0 } },
      objectsRead: 3,
      objectsRemoved: 1,
      objectsDeferred: 0,
      removed: 3,
    });
  });

  it('runs out of time with every message it held shown again, and fails so the request comes back', async () => {
    // Prepare: time runs short after the first receive.
    const dlq = new FakeQueue('purchase-dlq', others);
    let calls = 0;

    // Act
    const pass = drainErasedEvidence(request, { queues: [dlq], ...noObjects(), safetyMs: 1000 }, () => (calls++ < 1 ? 60_000 : 10));

    // Assess
    await expect(pass).rejects.toBeInstanceOf(DrainIncompleteError);
    expect(dlq.hidden.size).toBe(0);
    expect(dlq.visible).toHaveLength(others.length);
  });

  it('fails a pass that leaves hidden messages it never saw (a receive whose answer was lost), with what it held shown again', async () => {
    // Prepare: the first receive hides Erin's message and the first others, and answers nothing.
    const dlq = new FakeQueue('purchase-dlq', ['{"recipientCustomerId":"c-erin"}', ...others]);
    dlq.loseNextReceive = true;

    // Act
    const pass = drainErasedEvidence(request, { queues: [dlq], ...noObjects(), safetyMs: 1000 }, () => 60_000);

    // Assess: the 14 it read (after the retry) are shown again; the 10 of the lost answer stay hidden until their hold ends.
    await expect(pass).rejects.toThrow(/did not see messages hidden in purchase-dlq \(10\)/);
    expect(dlq.hidden.size).toBe(10);
    expect(dlq.visible).toHaveLength(14);
  });
});

describe('drainErasure (a pass and its follow-up)', () => {
  const request = erasureDrainRequestFor('c-erin', [addressHash(ERIN)]);
  const policy = { horizonMs: 2 * 3_600_000, spacingMs: 3_600_000, objectMarginMs: 0 };
  const now = new Date('2026-03-01T10:00:00.000Z');

  it('sends no follow-up when the pass fails, so the retried request is a first pass again', async () => {
    // Prepare: time runs short in the queue.
    const sent: [ErasureDrainRequest, number][] = [];
    const dlq = new FakeQueue('purchase-dlq', ['{"recipientCustomerId":"c-erin"}']);
    const deps = { queues: [dlq], ...noObjects(), safetyMs: 1000, policy, now: () => now, followUps: { send: async (r: ErasureDrainRequest, d: number) => void sent.push([r, d]) } };

    // Act
    const pass = drainErasure(request, deps, () => 10);

    // Assess
    await expect(pass).rejects.toBeInstanceOf(DrainIncompleteError);
    expect(sent).toEqual([]);
  });

  it('fails the request when its follow-up cannot be sent, after a pass that removed what it found (the retry repeats it, finding nothing)', async () => {
    // Prepare
    const dlq = new FakeQueue('purchase-dlq', ['{"recipientCustomerId":"c-erin"}', '{"recipientCustomerId":"c-sam"}']);
    const deps = { queues: [dlq], ...noObjects(), safetyMs: 1000, policy, now: () => now, followUps: { send: () => Promise.reject(new Error('throttled')) } };

    // Act
    const pass = drainErasure(request, deps, () => 60_000);

    // Assess
    await expect(pass).rejects.toThrow('throttled');
    expect(dlq.visible).toEqual(['{"recipientCustomerId":"c-sam"}']);
  });
});

describe('an upload that names the customer, by where its import stands', () => {
  const request = erasureDrainRequestFor('c-erin', [addressHash(ERIN)]);
  const SAM_LINE = '{"recipientCustomerId":"c-sam","recipientAddress":"sam@x.example"}\n';
  const ERIN_LINE = `{"recipientCustomerId":"c-erin","recipientAddress":"${ERIN}"}\n`;
  const bucketOf = (upload: string) =>
    new FakeObjects(
      new Map([
        [upload, SAM_LINE + ERIN_LINE + SAM_LINE],
        ['send-logs/sam.jsonl', SAM_LINE],
        [`reports/${upload}.report.json`, '{"key":"x","report":{"lines":3},"uploadedBy":"c-erin"}'],
      ]),
    );

  it.each([
    ['send-logs/log.jsonl', 'not started (its S3 event still queued: no progress yet)', undefined, 'kept'],
    ['send-logs/log.jsonl', ImportState.RUNNING, ImportState.RUNNING, 'kept'],
    ['directory/snap.jsonl', ImportState.RUNNING, ImportState.RUNNING, 'kept'],
    ['send-logs/log.jsonl', ImportState.DONE, ImportState.DONE, 'deleted'],
    ['directory/snap.jsonl', ImportState.DONE, ImportState.DONE, 'deleted'],
    ['send-logs/log.jsonl', ImportState.SUPERSEDED, ImportState.SUPERSEDED, 'deleted'],
  ] as const)('%s, its import %s: %s; its report deleted as before, asking nothing', async (upload, _, state, fate) => {
    // Prepare
    const objects = bucketOf(upload);
    const progress = new FakeProgress(new Map());
    if (state) progress.set(objects, upload, state);

    // Act
    const report = await drainErasedEvidence(request, { queues: [], objects, uploads: uploadImports(progress, BUCKET, UPLOAD_PREFIXES), safetyMs: 1000 }, () => 60_000);

    // Assess: one lookup, of the upload that names her (not of Sam's, not of the report).
    const kept = fate === 'kept';
    expect([...objects.objects.keys()]).toEqual(kept ? [upload, 'send-logs/sam.jsonl'] : ['send-logs/sam.jsonl']);
    expect(progress.reads).toEqual([importIdOf(BUCKET, upload, eTagOf(SAM_LINE + ERIN_LINE + SAM_LINE))]);
    expect(progress.reads[0]).toMatch(/^imports\/.+@[0-9a-f]{32}$/);
    expect(report).toMatchObject({ objectsRead: 3, objectsRemoved: kept ? 1 : 2, objectsDeferred: kept ? 1 : 0, removed: kept ? 1 : 2 });
    expect(report.deferredSince).toBe(kept ? LISTED_AT.toISOString() : undefined);
  });

  it('keeps an upload replaced since it was listed (the delete If-Match its ETag failed) for a later pass', async () => {
    // Prepare
    const objects = bucketOf('send-logs/log.jsonl');
    objects.replaced.add('send-logs/log.jsonl');

    // Act
    const report = await drainErasedEvidence(request, { queues: [], objects, uploads: allDone(objects), safetyMs: 1000 }, () => 60_000);

    // Assess
    expect(objects.objects.has('send-logs/log.jsonl')).toBe(true);
    expect(report).toMatchObject({ objectsRemoved: 1, objectsDeferred: 1 });
  });

  describe('across follow-up passes', () => {
    const policy = { horizonMs: 2 * 3_600_000, spacingMs: 3_600_000, objectMarginMs: 0 };
    const t0 = new Date('2026-03-01T10:00:00.000Z');
    // Uploaded two days before the erasure: a follow-up reading only what is new would never see it again.
    const uploadedAt = new Date('2026-02-27T10:00:00.000Z');

    const setUp = () => {
      const objects = new FakeObjects(new Map([['send-logs/log.jsonl', SAM_LINE + ERIN_LINE]]), new Map([['send-logs/log.jsonl', uploadedAt]]));
      const progress = new FakeProgress(new Map());
      progress.set(objects, 'send-logs/log.jsonl', ImportState.RUNNING);
      const sent: ErasureDrainRequest[] = [];
      let clock = t0;
      const deps = {
        queues: [],
        objects,
        uploads: uploadImports(progress, BUCKET, UPLOAD_PREFIXES),
        safetyMs: 1000,
        policy,
        now: () => clock,
        followUps: { send: async (r: ErasureDrainRequest) => void sent.push(r) },
      };
      return { objects, progress, sent, deps, setClock: (d: Date) => (clock = d) };
    };

    it('reads a kept upload again on the next pass (from its LastModified), and deletes it once its import is done', async () => {
      // Prepare
      const { objects, progress, sent, deps, setClock } = setUp();

      // Act: the first pass while the import runs; the next an hour later, once it is done.
      const first = await drainErasure(request, deps, () => 60_000);
      progress.set(objects, 'send-logs/log.jsonl', ImportState.DONE);
      setClock(new Date(t0.getTime() + 3_600_000));
      const second = await drainErasure(sent[0]!, deps, () => 60_000);

      // Assess
      expect(first).toMatchObject({ kind: 'DRAINED', objectsDeferred: 1, deferredSince: uploadedAt.toISOString(), nextPassAt: '2026-03-01T11:00:00.000Z' });
      expect(sent[0]!.followUp).toEqual({ erasedAt: t0.toISOString(), previousPassAt: t0.toISOString(), nextPassAt: '2026-03-01T11:00:00.000Z', deferredSince: uploadedAt.toISOString() });
      expect(second).toMatchObject({ kind: 'DRAINED', pass: 'FOLLOW_UP', objectsRead: 1, objectsRemoved: 1, objectsDeferred: 0 });
      expect(objects.objects.size).toBe(0);
      // The pass after reads only what is new again.
      expect(sent[1]!.followUp).not.toHaveProperty('deferredSince');
    });

    it('ends the chain at the horizon all the same, with an upload whose import still runs kept (it stays for the bucket lifecycle)', async () => {
      // Prepare
      const { objects, sent, deps, setClock } = setUp();

      // Act: every pass up to the horizon, the import never done.
      await drainErasure(request, deps, () => 60_000);
      setClock(new Date(t0.getTime() + 3_600_000));
      await drainErasure(sent[0]!, deps, () => 60_000);
      setClock(new Date(t0.getTime() + 2 * 3_600_000));
      const last = await drainErasure(sent[1]!, deps, () => 60_000);

      // Assess
      expect(last).toMatchObject({ kind: 'DRAINED', objectsRead: 1, objectsDeferred: 1 });
      expect(last).not.toHaveProperty('nextPassAt');
      expect(sent).toHaveLength(2);
      expect(objects.objects.has('send-logs/log.jsonl')).toBe(true);
    });
  });
});
