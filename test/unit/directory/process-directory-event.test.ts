import { describe, expect, it } from 'vitest';
import { processDirectoryEvent } from '../../../lambdas/directory/feed/process-directory-event';
import { effectiveAheadDelaySeconds } from '../../../lambdas/directory/directory-event';
import { registryUpsertedFactory } from '../../helpers/factories';
import { InMemoryDirectoryStore } from '../../helpers/in-memory-directory-store';

const NOW = new Date('2026-07-01T12:00:00.000Z');

function pipeline() {
  const store = new InMemoryDirectoryStore();
  const deferred: { body: string; delaySeconds: number }[] = [];
  return {
    store,
    deferred,
    p: { store, erasure: store, now: () => NOW, deferral: { defer: async (body: string, delaySeconds: number) => void deferred.push({ body, delaySeconds }) } },
  };
}

describe('processDirectoryEvent', () => {
  it('applies an event of the past, counting what it recorded', async () => {
    // Prepare
    const { p, store } = pipeline();

    // Act
    const result = await processDirectoryEvent(registryUpsertedFactory({ effectiveAt: '2026-07-01T11:59:00Z' }), p);

    // Assess
    expect(result).toEqual({ kind: 'APPLIED', facts: 1, recorded: 1, corrections: 0 });
    expect(store.registries.size).toBe(1);
  });

  it('puts an event more than 5 minutes ahead of our clock back on the queue until it is not, applying nothing', async () => {
    // Prepare
    const { p, store, deferred } = pipeline();
    const event = registryUpsertedFactory({ effectiveAt: '2026-07-01T12:06:00Z' });

    // Act
    const result = await processDirectoryEvent(event, p);

    // Assess
    expect(result).toEqual({ kind: 'DEFERRED', delaySeconds: 60 });
    expect(deferred).toEqual([{ body: JSON.stringify(event), delaySeconds: 60 }]);
    expect(store.registries.size + store.history.size).toBe(0);
  });

  it('waits at most SQS’s 15 minutes at a time', async () => {
    // Prepare
    const { p } = pipeline();

    // Act
    const result = await processDirectoryEvent(registryUpsertedFactory({ effectiveAt: '2026-07-01T20:00:00Z' }), p);

    // Assess
    expect(result).toEqual({ kind: 'DEFERRED', delaySeconds: 900 });
    expect(effectiveAheadDelaySeconds({ effectiveAt: '2026-07-01T12:05:00Z' }, NOW)).toBe(0);
  });
});
