import { describe, expect, it } from 'vitest';
import { addressHash, legacyAddressHash } from '../../../lambdas/directory/address-hash';
import { DrainIncompleteError, drainErasedEvidence, drainErasure } from '../../../lambdas/directory/drain-erased-evidence';
import { namesErased } from '../../../lambdas/directory/erased-names';
import { erasureDrainRequestFor, type ErasureDrainRequest } from '../../../lambdas/directory/erasure-drain-request';
import type { EvidenceObjects, EvidenceQueue, HeldMessage } from '../../../lambdas/directory/ports/evidence';

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

class FakeObjects implements EvidenceObjects {
  constructor(readonly objects: Map<string, string>) {}
  async *keys(): AsyncIterable<string> {
    for (const key of [...this.objects.keys()]) yield key;
  }
  read = async (key: string): Promise<AsyncIterable<Uint8Array>> => {
    const bytes = new TextEncoder().encode(this.objects.get(key) ?? '');
    // In 7-byte pieces, so a line (and an address) spans several reads.
    return (async function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7);
    })();
  };
  remove = async (key: string): Promise<void> => {
    this.objects.delete(key);
  };
}

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
    const report = await drainErasedEvidence(request, { queues: [dlq, quarantine, empty], objects, safetyMs: 1000 }, () => 60_000);

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
      removed: 3,
    });
  });

  it('runs out of time with every message it held shown again, and fails so the request comes back', async () => {
    // Prepare: time runs short after the first receive.
    const dlq = new FakeQueue('purchase-dlq', others);
    let calls = 0;

    // Act
    const pass = drainErasedEvidence(request, { queues: [dlq], objects: new FakeObjects(new Map()), safetyMs: 1000 }, () => (calls++ < 1 ? 60_000 : 10));

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
    const pass = drainErasedEvidence(request, { queues: [dlq], objects: new FakeObjects(new Map()), safetyMs: 1000 }, () => 60_000);

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
    const deps = { queues: [dlq], objects: new FakeObjects(new Map()), safetyMs: 1000, policy, now: () => now, followUps: { send: async (r: ErasureDrainRequest, d: number) => void sent.push([r, d]) } };

    // Act
    const pass = drainErasure(request, deps, () => 10);

    // Assess
    await expect(pass).rejects.toBeInstanceOf(DrainIncompleteError);
    expect(sent).toEqual([]);
  });

  it('fails the request when its follow-up cannot be sent, after a pass that removed what it found (the retry repeats it, finding nothing)', async () => {
    // Prepare
    const dlq = new FakeQueue('purchase-dlq', ['{"recipientCustomerId":"c-erin"}', '{"recipientCustomerId":"c-sam"}']);
    const deps = { queues: [dlq], objects: new FakeObjects(new Map()), safetyMs: 1000, policy, now: () => now, followUps: { send: () => Promise.reject(new Error('throttled')) } };

    // Act
    const pass = drainErasure(request, deps, () => 60_000);

    // Assess
    await expect(pass).rejects.toThrow('throttled');
    expect(dlq.visible).toEqual(['{"recipientCustomerId":"c-sam"}']);
  });
});
