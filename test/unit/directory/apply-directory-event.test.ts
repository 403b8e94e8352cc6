import { describe, expect, it } from 'vitest';
import { applyDirectoryEvent } from '../../../lambdas/directory/apply-directory-event';
import { addressHash } from '../../../lambdas/directory/address-hash';
import type { DirectoryEvent } from '../../../lambdas/directory/directory-event';
import {
  customerErasedFactory,
  customerUpsertedFactory,
  itemsAddedFactory,
  itemsRemovedFactory,
  registryUpsertedFactory,
} from '../../helpers/factories';
import { InMemoryDirectoryStore } from '../../helpers/in-memory-directory-store';

const NOW = '2026-07-01T12:00:00.000Z';

/** A store and an `apply` at a clock a test may move. */
function world(now = NOW) {
  const store = new InMemoryDirectoryStore();
  let clock = now;
  return {
    store,
    setClock: (t: string) => (clock = t),
    apply: (event: DirectoryEvent) => applyDirectoryEvent(event, { store, erasure: store, now: () => new Date(clock) }),
    corrections: () => [...store.history.values()].filter((i) => i.correctionDay !== undefined),
  };
}

describe('applyDirectoryEvent', () => {
  it('keeps the current registry row the notify function reads, and the fact in the history', async () => {
    // Prepare
    const { store, apply } = world();

    // Act
    const result = await apply(registryUpsertedFactory({ registryId: 'r-1', ownerCustomerId: 'c-1', effectiveAt: '2026-07-01T11:59:00Z' }));

    // Assess
    expect(result).toEqual({ outcome: 'APPLIED', facts: 1, recorded: 1, corrections: 0 });
    expect(store.registries.get('r-1\u0000REGISTRY')).toMatchObject({ pk: 'r-1', sk: 'REGISTRY', ownerCustomerId: 'c-1', status: 'ACTIVE', purchaseNotifications: true });
    expect([...store.history.keys()]).toEqual(['REGISTRY#r-1\u0000AT#2026-07-01T11:59:00.000Z#0000000000000001']);
  });

  it('answers UNCHANGED for a duplicate, and an older event leaves the newer current row alone', async () => {
    // Prepare
    const { store, apply } = world();
    const newer = registryUpsertedFactory({ registryId: 'r-1', version: 2, effectiveAt: '2026-07-01T11:58:00Z', status: 'CLOSED' });
    await apply(newer);

    // Act
    const again = await apply(newer);
    const older = await apply(registryUpsertedFactory({ registryId: 'r-1', version: 1, effectiveAt: '2026-07-01T11:57:00Z', status: 'ACTIVE' }));

    // Assess
    expect(again.outcome).toBe('UNCHANGED');
    expect(older.outcome).toBe('APPLIED');
    expect(store.registries.get('r-1\u0000REGISTRY')?.status).toBe('CLOSED');
    expect(store.history.size).toBe(2);
  });

  it('puts items on and takes them off the registry, one fact per item', async () => {
    // Prepare
    const { store, apply } = world();
    await apply(itemsAddedFactory({ registryId: 'r-1', version: 1, items: [{ itemId: 'i-1', title: 'Cot' }, { itemId: 'i-2', title: 'Pram' }] }));

    // Act
    const removed = await apply(itemsRemovedFactory({ registryId: 'r-1', version: 2, itemIds: ['i-1'] }));
    // An older "added" of the removed item arrives late: the item stays off.
    await apply(itemsAddedFactory({ registryId: 'r-1', version: 0, effectiveAt: '2025-12-01T00:00:00Z', items: [{ itemId: 'i-1', title: 'Cot' }] }));

    // Assess
    expect(removed.facts).toBe(1);
    expect([...store.registries.keys()]).toEqual(['r-1\u0000ITEM#i-2']);
  });

  describe('corrections', () => {
    const march = registryUpsertedFactory({ registryId: 'r-1', version: 1, effectiveAt: '2026-03-01T00:00:00Z', ownerCustomerId: 'c-5' });
    const may = registryUpsertedFactory({ registryId: 'r-1', version: 3, effectiveAt: '2026-05-01T00:00:00Z', ownerCustomerId: 'c-5', status: 'CLOSED' });

    it('marks a late event that changes the owner of the past, with the interval it changes', async () => {
      // Prepare
      const { apply, corrections } = world();
      await apply(march);
      await apply(may);

      // Act: "the owner since April was really c-7"
      const result = await apply(registryUpsertedFactory({ registryId: 'r-1', version: 2, effectiveAt: '2026-04-01T00:00:00Z', ownerCustomerId: 'c-7' }));

      // Assess
      expect(result.corrections).toBe(1);
      expect(corrections().filter((c) => c.version === 2)).toEqual([
        expect.objectContaining({ correctionDay: '2026-07-01', correctionUntil: '2026-05-01T00:00:00.000Z', appliedAt: NOW, ownerCustomerId: 'c-7' }),
      ]);
    });

    it('does not mark a late event that only restates what was known, or changes a title only', async () => {
      // Prepare
      const { apply } = world();
      await apply(march);

      // Act
      const same = await apply(registryUpsertedFactory({ registryId: 'r-1', version: 2, effectiveAt: '2026-04-01T00:00:00Z', ownerCustomerId: 'c-5' }));
      const retitled = await apply(registryUpsertedFactory({ registryId: 'r-1', version: 3, effectiveAt: '2026-04-15T00:00:00Z', ownerCustomerId: 'c-5', title: 'New name' }));

      // Assess
      expect([same.corrections, retitled.corrections]).toEqual([0, 0]);
    });

    it('does not mark an event within the feed allowance, nor one a higher version of its instant overrides, nor a duplicate', async () => {
      // Prepare
      const { apply } = world();
      await apply(registryUpsertedFactory({ registryId: 'r-2', version: 5, effectiveAt: '2026-03-01T00:00:00Z', ownerCustomerId: 'c-5' }));

      // Act
      const fresh = await apply(registryUpsertedFactory({ registryId: 'r-2', version: 6, effectiveAt: '2026-07-01T11:56:00Z', ownerCustomerId: 'c-9' }));
      const overridden = await apply(registryUpsertedFactory({ registryId: 'r-2', version: 4, effectiveAt: '2026-03-01T00:00:00Z', ownerCustomerId: 'c-8' }));
      const changing = registryUpsertedFactory({ registryId: 'r-2', version: 2, effectiveAt: '2026-02-01T00:00:00Z', ownerCustomerId: 'c-1' });
      const first = await apply(changing);
      const duplicate = await apply(changing);

      // Assess
      expect([fresh.corrections, overridden.corrections, first.corrections, duplicate.corrections]).toEqual([0, 0, 1, 0]);
    });

    it('marks late item facts as corrections of the registry: the first one (nothing was known), and a removal', async () => {
      // Prepare
      const { apply, corrections } = world();
      await apply(itemsAddedFactory({ registryId: 'r-1', version: 1, effectiveAt: '2026-01-01T00:00:00Z' }));

      // Act
      await apply(itemsRemovedFactory({ registryId: 'r-1', version: 2, effectiveAt: '2026-02-01T00:00:00Z' }));

      // Assess
      expect(corrections()).toEqual([
        expect.objectContaining({ kind: 'item', registryId: 'r-1', itemId: 'item-stroller', onRegistry: true }),
        expect.objectContaining({ kind: 'item', registryId: 'r-1', itemId: 'item-stroller', onRegistry: false }),
      ]);
    });
  });

  describe('erasure', () => {
    const address = 'ann@erasure.example';

    it('removes address and name from the customer row and every fact, keeps the hashes, and asks the ledger to forget the address', async () => {
      // Prepare
      const { store, apply } = world();
      await apply(customerUpsertedFactory({ customerId: 'c-1', version: 1, email: address, firstName: 'Ann' }));
      await apply(customerUpsertedFactory({ customerId: 'c-1', version: 2, effectiveAt: '2026-02-01T00:00:00Z', email: 'ann2@erasure.example', firstName: 'Ann' }));

      // Act
      await apply(customerErasedFactory({ customerId: 'c-1', version: 3 }));

      // Assess
      const everything = JSON.stringify([...store.history.values(), ...store.customers.values()]);
      expect(everything).not.toContain('erasure.example');
      expect(everything).not.toContain('Ann');
      expect(store.customers.get('c-1')).toMatchObject({ erased: true, notificationsOptOut: true });
      expect([...store.history.values()].map((i) => i.emailHash).filter(Boolean)).toEqual([addressHash(address), addressHash('ann2@erasure.example')]);
      expect(store.erasures).toEqual([{ customerId: 'c-1', hashes: [addressHash(address), addressHash('ann2@erasure.example')].sort() }]);
    });

    it('keeps the customer erased when an upsert arrives afterwards, older or newer, and stores it without address or name', async () => {
      // Prepare
      const { store, apply } = world();
      await apply(customerErasedFactory({ customerId: 'c-1', version: 5 }));

      // Act
      await apply(customerUpsertedFactory({ customerId: 'c-1', version: 1, email: address }));
      await apply(customerUpsertedFactory({ customerId: 'c-1', version: 9, effectiveAt: '2026-06-15T00:00:00Z', email: address }));

      // Assess
      expect(store.customers.get('c-1')).toMatchObject({ erased: true });
      expect(store.customers.get('c-1')).not.toHaveProperty('email');
      expect(JSON.stringify([...store.history.values()])).not.toContain(address);
      expect(store.history.size).toBe(3);
    });
  });
});
