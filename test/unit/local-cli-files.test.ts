import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressHash } from '../../lambdas/domain/address-hash';
import { InputFileError } from '../../cli/errors';
import { parseSeed, readSeedFile } from '../../cli/seed/seed-file';
import { seedItems } from '../../cli/seed/seed-items';
import { purchaseEventBodies, withFreshIds } from '../../cli/send/purchase-events-file';
import { DEMO_FILES } from '../../local/demo/play-scenario';
import { readExpectations } from '../../local/demo/expectations';
import { readPurchaseEvents } from '../../cli/send/purchase-events-file';

describe('seed file', () => {
  it('applies the documented defaults', () => {
    // Act
    const seed = parseSeed(
      { customers: [{ customerId: 'c-1', email: 'ann@example.com' }], registries: [{ registryId: 'r-1', ownerCustomerId: 'c-1', title: 'Ann' }] },
      'inline',
    );

    // Assess
    expect(seed.customers[0]).toEqual({ customerId: 'c-1', email: 'ann@example.com', locale: 'en', notificationsOptOut: false });
    expect(seed.registries[0]).toMatchObject({ status: 'ACTIVE', purchaseNotifications: true, items: [] });
    expect(seed.suppressions).toEqual([]);
  });

  it('reports every problem at once, with its path', () => {
    // Act
    const act = () =>
      parseSeed(
        {
          customers: [{ customerId: 'c 1', email: 'not-an-address' }],
          registries: [{ registryId: 'r-1', ownerCustomerId: 'c-1', title: 'x', status: 'OPEN', surprise: true }],
        },
        'bad.json',
      );

    // Assess
    expect(act).toThrow(InputFileError);
    expect(act).toThrow(/customers\.0\.customerId/);
    expect(act).toThrow(/customers\.0\.email/);
    expect(act).toThrow(/registries\.0\.status/);
    expect(act).toThrow(/registries\.0: Unrecognized key: "surprise"/);
  });

  it('rejects duplicate ids', () => {
    const customers = [
      { customerId: 'c-1', email: 'a@example.com' },
      { customerId: 'c-1', email: 'b@example.com' },
    ];
    expect(() => parseSeed({ customers }, 'dup.json')).toThrow(/customerId "c-1" appears more than once/);
  });

  it('becomes the table items of docs/data-model.md', () => {
    // Prepare
    const seed = parseSeed(
      {
        customers: [{ customerId: 'c-1', email: 'Ann@Example.com', firstName: 'Ann' }],
        registries: [{ registryId: 'r-1', ownerCustomerId: 'c-1', title: 'Ann', items: [{ itemId: 'i-1', title: 'Pram' }] }],
        suppressions: [{ email: 'kim@example.com', reason: 'BOUNCE' }],
      },
      'inline',
    );

    // Act
    const items = seedItems(seed, '2026-01-01T00:00:00.000Z');

    // Assess
    expect(items.registries).toEqual([
      { pk: 'r-1', sk: 'REGISTRY', registryId: 'r-1', ownerCustomerId: 'c-1', status: 'ACTIVE', purchaseNotifications: true, title: 'Ann', updatedAt: '2026-01-01T00:00:00.000Z' },
      { pk: 'r-1', sk: 'ITEM#i-1', registryId: 'r-1', itemId: 'i-1', title: 'Pram' },
    ]);
    expect(items.customers[0]).toMatchObject({ customerId: 'c-1', emailHash: addressHash('ann@example.com'), locale: 'en', firstName: 'Ann' });
    expect(items.suppressions).toEqual([{ emailHash: addressHash('kim@example.com'), reason: 'BOUNCE', createdAt: '2026-01-01T00:00:00.000Z' }]);
    expect(JSON.stringify(items.suppressions)).not.toContain('kim@');
  });

  it('says when a file is not JSON', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'seed-')), 'seed.json');
    writeFileSync(file, '{ customers: [] }');
    expect(() => readSeedFile(file)).toThrow(/cannot read it as JSON/);
  });
});

describe('purchase events file', () => {
  it('sends an object as JSON and a string exactly as written', () => {
    expect(purchaseEventBodies('[{"eventId":"e-1"},"{broken"]', 'inline')).toEqual(['{"eventId":"e-1"}', '{broken']);
  });

  it('takes a single object as one event', () => {
    expect(purchaseEventBodies('{"eventId":"e-1"}', 'inline')).toEqual(['{"eventId":"e-1"}']);
  });

  it.each([
    ['[1]', /an event is a JSON object, or a string/],
    ['[]', /holds no event/],
    ['{nope', /not JSON/],
  ])('rejects %s', (text, message) => {
    expect(() => purchaseEventBodies(text, 'inline')).toThrow(message);
  });

  it('gives fresh event and purchase ids on request, leaving other bodies alone', () => {
    expect(withFreshIds(['{"eventId":"e-1","purchaseId":"p-1","x":1}', '{broken', '"text"'], 'r7')).toEqual([
      '{"eventId":"e-1.r7","purchaseId":"p-1.r7","x":1}',
      '{broken',
      '"text"',
    ]);
  });
});

describe('the demo files', () => {
  it('are valid, and every expected event is in the purchases file', () => {
    // Act
    const seed = readSeedFile(DEMO_FILES.seed);
    const bodies = readPurchaseEvents(DEMO_FILES.purchases);
    const expectations = readExpectations(DEMO_FILES.expectations);

    // Assess
    const eventIds = new Set(bodies.flatMap((body) => [/"eventId":"([^"]+)"/.exec(body)?.[1] ?? []]));
    for (const notice of expectations.notices) expect(eventIds.has(notice.eventId), notice.eventId).toBe(true);
    const addresses = new Set(seed.customers.map((customer) => customer.email));
    for (const address of Object.keys(expectations.emails)) expect(addresses.has(address), address).toBe(true);
    expect(Object.values(expectations.emails).reduce((sum, count) => sum + count, 0)).toBe(expectations.totalEmails);
  });
});
