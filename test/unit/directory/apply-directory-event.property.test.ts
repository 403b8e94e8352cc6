import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDirectoryEvent } from '../../../lambdas/directory/apply-directory-event';
import type { DirectoryEvent } from '../../../lambdas/directory/directory-event';
import { APPLIED_AT, deliveriesArbitrary } from '../../helpers/directory-arbitraries';
import { expectedTables, InMemoryDirectoryStore } from '../../helpers/in-memory-directory-store';

const applyAll = async (events: readonly DirectoryEvent[], store: InMemoryDirectoryStore): Promise<void> => {
  for (const event of events) await applyDirectoryEvent(event, { store, erasure: store, now: () => new Date(APPLIED_AT) });
};

describe('applying directory events (model)', () => {
  it('ends in the tables of in-order delivery, and of the definition, whatever the order and with each event delivered 3 times', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary({ maxEvents: 25 }), async ({ events, deliveries }) => {
        // Prepare
        const inOrder = new InMemoryDirectoryStore();
        const shuffled = new InMemoryDirectoryStore();

        // Act
        await applyAll(events, inOrder);
        await applyAll(deliveries, shuffled);

        // Assess
        expect(shuffled.snapshot()).toEqual(inOrder.snapshot());
        expect(shuffled.snapshot()).toEqual(expectedTables(events, APPLIED_AT));
      }),
      { numRuns: 500 },
    );
  });

  it('ends in the same tables when the deliveries are applied concurrently, whatever the interleaving of their reads and writes', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary({ maxEvents: 8 }), fc.scheduler(), async ({ events, deliveries }, scheduler) => {
        // Prepare: every read or write of the store waits for the scheduler's turn
        const store = new InMemoryDirectoryStore(() => scheduler.schedule(Promise.resolve()));
        const deps = { store, erasure: store, now: () => new Date(APPLIED_AT) };

        // Act
        await scheduler.waitFor(Promise.all(deliveries.map((event) => applyDirectoryEvent(event, deps))));

        // Assess
        expect(store.snapshot()).toEqual(expectedTables(events, APPLIED_AT));
      }),
      { numRuns: 300 },
    );
  });
});
