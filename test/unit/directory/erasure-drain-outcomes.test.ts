import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErasureDrainResult } from '../../../lambdas/directory/drain-erased-evidence';
import { reportDrain } from '../../../lambdas/directory/erasure-drain/outcomes';
import { logger, metrics } from '../../../lambdas/platform/observability';

const pass = (objectsDeferred: number, deferredSince?: string): ErasureDrainResult => ({
  kind: 'DRAINED',
  pass: 'FOLLOW_UP',
  customerId: 'c-erin',
  queues: {},
  objectsRead: 3,
  objectsRemoved: 1,
  objectsDeferred,
  ...(deferredSince ? { deferredSince } : {}),
  removed: 1,
});

describe('what an erasure drain pass counts and logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts the uploads it kept for a later pass (ErasureDrainObjectDeferred), and logs how many and since when, only when there are some', () => {
    // Prepare
    const added = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);

    // Act
    reportDrain(pass(2, '2026-02-27T10:00:00.000Z'), { messageId: 'm-1' });
    reportDrain(pass(0), { messageId: 'm-2' });

    // Assess
    const deferred = added.mock.calls.filter(([name]) => name === 'ErasureDrainObjectDeferred');
    expect(deferred.map(([, , value]) => value)).toEqual([2]);
    expect(info.mock.calls[0]![1]).toMatchObject({ messageId: 'm-1', customerId: 'c-erin', objectsDeferred: 2, deferredSince: '2026-02-27T10:00:00.000Z' });
    expect(info.mock.calls[1]![1]).toMatchObject({ objectsDeferred: 0 });
  });
});
