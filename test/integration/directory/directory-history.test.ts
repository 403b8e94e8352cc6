import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factItem } from '../../../lambdas/directory/tables/history-items';
import { DynamoDbDirectoryHistory } from '../../../lambdas/directory/tables/directory-history';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { correctionOf } from '../../../lambdas/directory/correction';
import type { DirectoryEvent } from '../../../lambdas/directory/directory-event';
import { factsOf, scrubbed } from '../../../lambdas/directory/directory-fact';
import {
  customerErasedFactory,
  customerUpsertedFactory,
  itemsAddedFactory,
  itemsRemovedFactory,
  registryUpsertedFactory,
} from '../../helpers/factories';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { provisionDirectoryTables } from '../../support/directory-stack';

const APPLIED = '2026-07-01T00:00:00.000Z';

describe('directory history (DynamoDB Local): what was true at an instant, as we now know it', () => {
  let aws: AwsClients;
  let historyTable: string;
  let history: DynamoDbDirectoryHistory;
  /** Writes the facts of events as the directory function would, without corrections. */
  const record = async (events: DirectoryEvent[], appliedAt = APPLIED): Promise<void> => {
    for (const fact of events.flatMap(factsOf)) {
      await aws.documentClient.send(new PutCommand({ TableName: historyTable, Item: factItem(fact, appliedAt) }));
    }
  };

  beforeAll(async () => {
    aws = createAwsClients();
    ({ historyTable } = await provisionDirectoryTables(`hist${randomUUID().slice(0, 8)}-`));
    history = new DynamoDbDirectoryHistory({ client: aws.documentClient, tableName: historyTable });
  });
  afterAll(() => aws.destroy());

  describe('registryAt', () => {
    beforeAll(async () => {
      await record([
        registryUpsertedFactory({ registryId: 'r-hand', version: 1, effectiveAt: '2026-01-10T00:00:00Z', ownerCustomerId: 'c-5' }),
        registryUpsertedFactory({ registryId: 'r-hand', version: 2, effectiveAt: '2026-03-01T00:00:00Z', ownerCustomerId: 'c-7' }),
        registryUpsertedFactory({ registryId: 'r-hand', version: 3, effectiveAt: '2026-05-01T00:00:00Z', ownerCustomerId: 'c-7', status: 'CLOSED' }),
      ]);
    });

    it('answers the fact whose interval [effectiveAt, next effectiveAt) holds the instant', async () => {
      // Act
      const [before, first, lastMomentOfFirst, second, closed] = await Promise.all(
        ['2026-01-09T23:59:59.999Z', '2026-01-10T00:00:00Z', '2026-02-28T23:59:59.999Z', '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z'].map(
          (t) => history.registryAt('r-hand', t),
        ),
      );

      // Assess
      expect(before).toBeUndefined();
      expect(first).toMatchObject({ ownerCustomerId: 'c-5', status: 'ACTIVE', validFrom: '2026-01-10T00:00:00.000Z', version: 1 });
      expect(lastMomentOfFirst?.ownerCustomerId).toBe('c-5');
      expect(second).toMatchObject({ ownerCustomerId: 'c-7', status: 'ACTIVE', purchaseNotifications: true, title: 'Ann & Ben' });
      expect(closed).toMatchObject({ ownerCustomerId: 'c-7', status: 'CLOSED', appliedAt: APPLIED });
    });

    it('compares instants in UTC whatever offset they are written with', async () => {
      // Act
      const justBefore = await history.registryAt('r-hand', '2026-03-01T00:59:59.999+01:00');
      const atIt = await history.registryAt('r-hand', '2026-03-01T01:00:00+01:00');

      // Assess
      expect(justBefore?.ownerCustomerId).toBe('c-5');
      expect(atIt?.ownerCustomerId).toBe('c-7');
    });

    it('lets the higher version decide between two facts of the same effectiveAt, whatever arrived first', async () => {
      // Prepare: the higher version is written first
      await record([registryUpsertedFactory({ registryId: 'r-tie', version: 8, effectiveAt: '2026-02-01T00:00:00Z', status: 'SUSPENDED' })]);
      await record([registryUpsertedFactory({ registryId: 'r-tie', version: 4, effectiveAt: '2026-02-01T00:00:00Z', status: 'ACTIVE' })]);

      // Act
      const state = await history.registryAt('r-tie', '2026-02-01T00:00:00Z');
      const timeline = await history.registryTimeline('r-tie');

      // Assess
      expect(state).toMatchObject({ status: 'SUSPENDED', version: 8 });
      expect(timeline.map((f) => f.version)).toEqual([8]);
    });

    it('gives the timeline with the end of each interval, open-ended for the last', async () => {
      // Act
      const timeline = await history.registryTimeline('r-hand');

      // Assess
      expect(timeline.map(({ ownerCustomerId, status, validFrom, validUntil }) => ({ ownerCustomerId, status, validFrom, validUntil }))).toEqual([
        { ownerCustomerId: 'c-5', status: 'ACTIVE', validFrom: '2026-01-10T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' },
        { ownerCustomerId: 'c-7', status: 'ACTIVE', validFrom: '2026-03-01T00:00:00.000Z', validUntil: '2026-05-01T00:00:00.000Z' },
        { ownerCustomerId: 'c-7', status: 'CLOSED', validFrom: '2026-05-01T00:00:00.000Z', validUntil: undefined },
      ]);
    });
  });

  it('tells whether an item was on a registry at an instant', async () => {
    // Prepare
    await record([
      itemsAddedFactory({ registryId: 'r-items', version: 1, effectiveAt: '2026-01-01T00:00:00Z', items: [{ itemId: 'i-cot', title: 'Cot' }] }),
      itemsRemovedFactory({ registryId: 'r-items', version: 2, effectiveAt: '2026-02-01T00:00:00Z', itemIds: ['i-cot'] }),
    ]);

    // Act
    const answers = await Promise.all(
      ['2025-12-31T23:59:59Z', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00Z'].map((t) => history.itemOnRegistryAt('r-items', 'i-cot', t)),
    );
    const otherItem = await history.itemOnRegistryAt('r-items', 'i-pram', '2026-01-15T00:00:00Z');

    // Assess
    expect(answers).toEqual([false, true, false]);
    expect(otherItem).toBe(false);
  });

  describe('customers', () => {
    const old = 'old.address@history.example';
    const fresh = 'new.address@history.example';
    beforeAll(async () => {
      await record([
        customerUpsertedFactory({ customerId: 'c-move', version: 1, effectiveAt: '2026-01-01T00:00:00Z', email: old, locale: 'de' }),
        customerUpsertedFactory({ customerId: 'c-move', version: 2, effectiveAt: '2026-04-01T00:00:00Z', email: fresh, locale: 'de' }),
        // Another customer with the old address from March on (a shared family address).
        customerUpsertedFactory({ customerId: 'c-share', version: 1, effectiveAt: '2026-03-01T00:00:00Z', email: old }),
      ]);
    });

    it('answers the address, locale, first name and opt-out of an instant', async () => {
      // Act
      const february = await history.customerAt('c-move', '2026-02-01T00:00:00Z');
      const may = await history.customerAt('c-move', '2026-05-01T00:00:00Z');

      // Assess
      expect(february).toMatchObject({ email: old, emailHash: addressHash(old), locale: 'de', firstName: 'Ann', notificationsOptOut: false, erased: false });
      expect(may).toMatchObject({ email: fresh, emailHash: addressHash(fresh) });
    });

    it('finds every customer who held an address hash at an instant, and only then', async () => {
      // Act
      const inFebruary = await history.customersWithAddressHashAt(addressHash(old), '2026-02-01T00:00:00Z');
      const inMarch = await history.customersWithAddressHashAt(addressHash(old), '2026-03-15T00:00:00Z');
      const inMay = await history.customersWithAddressHashAt(addressHash(old), '2026-05-01T00:00:00Z');

      // Assess
      expect(inFebruary.map((c) => c.customerId)).toEqual(['c-move']);
      expect(inMarch.map((c) => c.customerId).sort()).toEqual(['c-move', 'c-share']);
      expect(inMay.map((c) => c.customerId)).toEqual(['c-share']);
    });

    it('keeps hash, locale and opt-out of an erased customer, and never the address or name', async () => {
      // Prepare: as the directory function stores them once the erasure is applied
      const upsert = customerUpsertedFactory({ customerId: 'c-gone', version: 1, effectiveAt: '2026-01-01T00:00:00Z', email: 'gone@history.example' });
      const erasure = customerErasedFactory({ customerId: 'c-gone', version: 2, effectiveAt: '2026-06-01T00:00:00Z' });
      const [fact] = factsOf(upsert);
      const [erased] = factsOf(erasure);
      for (const f of [scrubbed(fact as never), erased!]) {
        await aws.documentClient.send(new PutCommand({ TableName: historyTable, Item: factItem(f, APPLIED) }));
      }

      // Act
      const before = await history.customerAt('c-gone', '2026-03-01T00:00:00Z');
      const after = await history.customerAt('c-gone', '2026-06-01T00:00:00Z');
      const byHash = await history.customersWithAddressHashAt(addressHash('gone@history.example'), '2026-03-01T00:00:00Z');

      // Assess
      expect(before).toMatchObject({ emailHash: addressHash('gone@history.example'), locale: 'en', erased: true });
      expect(before).not.toHaveProperty('email');
      expect(before).not.toHaveProperty('firstName');
      expect(after).toMatchObject({ erased: true, notificationsOptOut: true });
      expect(after).not.toHaveProperty('emailHash');
      expect(byHash.map((c) => [c.customerId, c.erased])).toEqual([['c-gone', true]]);
    });
  });

  it('tells whether a customer owned any registry at an instant, in whatever status', async () => {
    // Prepare: c-hand owns r-own until it is handed to c-next in April; it is closed in June
    await record([
      registryUpsertedFactory({ registryId: 'r-own', version: 1, effectiveAt: '2026-01-01T00:00:00Z', ownerCustomerId: 'c-hand' }),
      registryUpsertedFactory({ registryId: 'r-own', version: 2, effectiveAt: '2026-04-01T00:00:00Z', ownerCustomerId: 'c-next' }),
      registryUpsertedFactory({ registryId: 'r-own', version: 3, effectiveAt: '2026-06-01T00:00:00Z', ownerCustomerId: 'c-next', status: 'CLOSED' }),
    ]);

    // Act
    const answers = await Promise.all([
      history.ownedARegistryAt('c-hand', '2025-12-01T00:00:00Z'),
      history.ownedARegistryAt('c-hand', '2026-02-01T00:00:00Z'),
      history.ownedARegistryAt('c-hand', '2026-05-01T00:00:00Z'),
      history.ownedARegistryAt('c-next', '2026-07-01T00:00:00Z'),
    ]);

    // Assess
    expect(answers).toEqual([false, true, false, true]);
  });

  it('lists the corrections applied in a window, a page at a time, across days', async () => {
    // Prepare: three late events applied on two days, one on a day outside the window
    const late = (registryId: string, appliedAt: string) => {
      const [fact] = factsOf(registryUpsertedFactory({ registryId, effectiveAt: '2026-03-01T00:00:00Z' }));
      const correction = correctionOf(fact!, {}, appliedAt);
      return aws.documentClient.send(new PutCommand({ TableName: historyTable, Item: factItem(fact!, appliedAt, correction) }));
    };
    await late('r-c1', '2026-08-01T10:00:00.000Z');
    await late('r-c2', '2026-08-01T11:00:00.000Z');
    await late('r-c3', '2026-08-02T09:00:00.000Z');
    await late('r-c4', '2026-08-03T09:00:00.000Z');

    // Act
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await history.corrections({ appliedFrom: '2026-08-01T10:30:00Z', appliedBefore: '2026-08-03T09:00:00Z', limit: 1, cursor });
      ids.push(...page.corrections.map((c) => c.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    const [first] = (await history.corrections({ appliedFrom: '2026-08-01T00:00:00Z', appliedBefore: '2026-08-01T10:00:01Z' })).corrections;

    // Assess
    expect(ids).toEqual(['r-c2', 'r-c3']);
    expect(first).toEqual({
      entity: 'registry',
      id: 'r-c1',
      fact: 'registry',
      effectiveFrom: '2026-03-01T00:00:00.000Z',
      appliedAt: '2026-08-01T10:00:00.000Z',
      eventId: expect.any(String),
    });
  });
});
