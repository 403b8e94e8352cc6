import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { erasureDrainRequestFor, erasureDrainRequestSchema, type ErasureDrainRequest } from '../../../lambdas/directory/erasure-drain-request';
import { drainStep, followUpAfter, followUpCount, type FollowUpPolicy } from '../../../lambdas/directory/erasure-follow-up';
import { erasureDrainFromEnv } from '../../../lambdas/directory/erasure-drain/pipeline';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const first = erasureDrainRequestFor('c-erin', [addressHash('erin@erasure.example')]);
// The stack's: 4 days' retention + the longest consumer timeout (the import's 5 minutes) + 24 hours late.
const policy: FollowUpPolicy = { horizonMs: 5 * DAY + 5 * MINUTE, spacingMs: HOUR, objectMarginMs: DAY };

/** Walks an erasure's requests as the drain queue delivers them (each after its delay), from the first pass. */
function walk(p: FollowUpPolicy): { passes: Date[]; sends: number; objectsSince: (Date | undefined)[] } {
  const passes: Date[] = [];
  const objectsSince: (Date | undefined)[] = [];
  let request: ErasureDrainRequest | undefined = first;
  let now = T0;
  let sends = 0;
  while (request) {
    const step = drainStep(request, now, p);
    if (step.kind === 'WAIT') {
      sends += 1;
      now = new Date(now.getTime() + step.delaySeconds * 1000);
      continue;
    }
    passes.push(now);
    objectsSince.push(step.objectsModifiedSince);
    const next = followUpAfter(request, now, p);
    if (!next) break;
    sends += 1;
    request = next.request;
    now = new Date(now.getTime() + next.delaySeconds * 1000);
  }
  return { passes, sends, objectsSince };
}

describe('the erasure drain follow-up schedule', () => {
  it('reads everything on a first pass (a request without followUp, as before), and asks for the next pass an hour later', () => {
    // Act
    const step = drainStep(first, T0, policy);
    const next = followUpAfter(first, T0, policy);

    // Assess
    expect(step).toEqual({ kind: 'PASS' });
    expect(next).toEqual({
      request: { ...first, followUp: { erasedAt: T0.toISOString(), previousPassAt: T0.toISOString(), nextPassAt: at(HOUR).toISOString() } },
      delaySeconds: 900,
      nextPassAt: at(HOUR).toISOString(),
    });
    // What it sends is a valid request of the drain queue.
    expect(erasureDrainRequestSchema.safeParse(next!.request).success).toBe(true);
  });

  it('waits (sent again, at most 15 minutes) while the next pass is not due, then reads only the objects modified since the previous pass, less the margin', () => {
    // Prepare
    const { request } = followUpAfter(first, T0, policy)!;

    // Act / Assess
    expect(drainStep(request, at(15 * MINUTE), policy)).toEqual({ kind: 'WAIT', delaySeconds: 900, nextPassAt: at(HOUR).toISOString() });
    expect(drainStep(request, at(HOUR - 90_500), policy)).toEqual({ kind: 'WAIT', delaySeconds: 91, nextPassAt: at(HOUR).toISOString() });
    expect(drainStep(request, at(HOUR), policy)).toEqual({ kind: 'PASS', objectsModifiedSince: at(-DAY) });
    expect(drainStep(request, at(HOUR + 5000), policy)).toEqual({ kind: 'PASS', objectsModifiedSince: at(-DAY) });
  });

  it('keeps the first pass as the erasure time, and the pass just before now as the objects’ start', () => {
    // Prepare
    const second = followUpAfter(first, T0, policy)!.request;

    // Act
    const third = followUpAfter(second, at(HOUR + 2000), policy)!;

    // Assess
    expect(third.request.followUp).toEqual({ erasedAt: T0.toISOString(), previousPassAt: at(HOUR + 2000).toISOString(), nextPassAt: at(2 * HOUR + 2000).toISOString() });
    expect(drainStep(third.request, at(2 * HOUR + 2000), policy)).toEqual({ kind: 'PASS', objectsModifiedSince: at(HOUR + 2000 - DAY) });
  });

  it('after a pass that kept an upload (its import not over), reads the objects from that upload’s LastModified when it is older, and forgets it once none is kept', () => {
    // Prepare: the first pass kept an upload of two days ago.
    const uploadedAt = at(-2 * DAY).toISOString();
    const second = followUpAfter(first, T0, policy, T0, uploadedAt)!.request;

    // Act
    const step = drainStep(second, at(HOUR), policy);
    const recent = drainStep(followUpAfter(first, T0, policy, T0, at(-MINUTE).toISOString())!.request, at(HOUR), policy);
    const third = followUpAfter(second, at(HOUR), policy)!.request;

    // Assess
    expect(second.followUp).toEqual({ erasedAt: T0.toISOString(), previousPassAt: T0.toISOString(), nextPassAt: at(HOUR).toISOString(), deferredSince: uploadedAt });
    expect(erasureDrainRequestSchema.safeParse(second).success).toBe(true);
    expect(step).toEqual({ kind: 'PASS', objectsModifiedSince: at(-2 * DAY) });
    // Newer than the margin's start: the margin's start.
    expect(recent).toEqual({ kind: 'PASS', objectsModifiedSince: at(-DAY) });
    expect(third.followUp).not.toHaveProperty('deferredSince');
    // It does not take the chain past the horizon.
    expect(followUpAfter(second, at(policy.horizonMs), policy, at(policy.horizonMs), uploadedAt)).toBeUndefined();
  });

  it('stops after the first pass that begins once the horizon has passed, the last one due at the horizon exactly', () => {
    // Act
    const { passes, sends, objectsSince } = walk(policy);

    // Assess: hourly passes for 5 days, a last one at 5 days 5 minutes.
    expect(passes).toHaveLength(5 * 24 + 2);
    expect(passes.at(-2)).toEqual(at(5 * DAY));
    expect(passes.at(-1)).toEqual(at(policy.horizonMs));
    expect(passes.slice(1).every((p, i) => p.getTime() - passes[i]!.getTime() <= HOUR)).toBe(true);
    expect(objectsSince[0]).toBeUndefined();
    expect(objectsSince.slice(1).every((since, i) => since!.getTime() === passes[i]!.getTime() - DAY)).toBe(true);
    // Four sends an hour (15-minute delays), one for the last 5 minutes.
    expect(sends).toBe(5 * 24 * 4 + 1);
    expect(followUpCount(policy)).toEqual({ passes: passes.length, sends, waits: sends - (passes.length - 1) });
  });

  it('makes one pass only with no horizon, and a late pass (a retried one) past the horizon the last', () => {
    // Act / Assess
    expect(followUpAfter(first, T0, { ...policy, horizonMs: 0 })).toBeUndefined();
    expect(followUpCount({ ...policy, horizonMs: 0 })).toEqual({ passes: 1, sends: 0, waits: 0 });
    const second = followUpAfter(first, T0, policy)!.request;
    expect(followUpAfter(second, at(policy.horizonMs + HOUR), policy)).toBeUndefined();
  });

  it('passes every 15 minutes without waits when the spacing is the SQS delay', () => {
    // Prepare
    const quarterly = { ...policy, spacingMs: 15 * MINUTE, horizonMs: 2 * HOUR };

    // Act
    const { passes, sends } = walk(quarterly);

    // Assess
    expect(passes).toHaveLength(9);
    expect(sends).toBe(8);
    expect(followUpCount(quarterly)).toEqual({ passes: 9, sends: 8, waits: 0 });
  });

  it('refuses a follow-up without its times, naming the field', () => {
    // Act
    const parsed = erasureDrainRequestSchema.safeParse({ ...first, followUp: { erasedAt: T0.toISOString(), previousPassAt: 'yesterday', deferredSince: 'last week' } });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message]).sort()).toEqual([
      ['followUp.deferredSince', 'must be an RFC 3339 date-time with a time zone'],
      ['followUp.nextPassAt', 'is required'],
      ['followUp.previousPassAt', 'must be an RFC 3339 date-time with a time zone'],
    ]);
  });
});

describe('the erasure drain wiring of the schedule', () => {
  const env = {
    EVIDENCE_QUEUE_URLS: 'http://sqs/q1,http://sqs/q2',
    IMPORT_BUCKET: 'b',
    EVIDENCE_OBJECT_PREFIXES: 'directory/,reports/',
    IMPORTED_OBJECT_PREFIXES: 'directory/',
    IMPORT_PROGRESS_TABLE: 'progress',
    ERASURE_DRAIN_QUEUE_URL: 'http://sqs/drain',
    ERASURE_FOLLOW_UP_HORIZON_SECONDS: '432300',
  };

  it('reads the horizon the construct sets, with an hour between passes and a day of margin for uploads by default', () => {
    // Act
    const deps = erasureDrainFromEnv(env);

    // Assess
    expect(deps.policy).toEqual({ horizonMs: 432_300_000, spacingMs: HOUR, objectMarginMs: DAY });
    expect(deps.queues.map((q) => q.name)).toEqual(['q1', 'q2']);
    // Uploads are under the imported prefixes only; a report is not one.
    expect([deps.uploads.reads('directory/a.jsonl'), deps.uploads.reads('reports/directory/a.jsonl.report.json')]).toEqual([true, false]);
  });

  it('refuses to start without the horizon or the drain queue, naming them', () => {
    // Act / Assess
    expect(() => erasureDrainFromEnv({ ...env, ERASURE_FOLLOW_UP_HORIZON_SECONDS: '' })).toThrow(/missing environment variable\(s\): ERASURE_FOLLOW_UP_HORIZON_SECONDS/);
    expect(() => erasureDrainFromEnv({ ...env, ERASURE_FOLLOW_UP_HORIZON_SECONDS: '5 days' })).toThrow(/ERASURE_FOLLOW_UP_HORIZON_SECONDS must be a positive integer/);
    expect(() => erasureDrainFromEnv({ ...env, ERASURE_DRAIN_QUEUE_URL: undefined })).toThrow(/ERASURE_DRAIN_QUEUE_URL/);
    expect(() => erasureDrainFromEnv({ ...env, IMPORT_PROGRESS_TABLE: '', IMPORTED_OBJECT_PREFIXES: undefined })).toThrow(/missing environment variable\(s\): IMPORTED_OBJECT_PREFIXES, IMPORT_PROGRESS_TABLE/);
  });
});
