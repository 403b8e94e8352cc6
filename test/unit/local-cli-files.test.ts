import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressHash } from '../../lambdas/directory/address-hash';
import { InputFileError } from '../../cli/errors';
import { parseSeed, readSeedFile } from '../../cli/seed/seed-file';
import { seedDirectoryEvents, seedSuppressionItems } from '../../cli/seed/seed-events';
import { validateValue } from '../../lambdas/platform/validation';
import { directoryEventSchema } from '../../lambdas/directory/directory-event';
import { purchaseEventBodies, withFreshIds } from '../../cli/send/purchase-events-file';
import { DEMO_FILES } from '../../cli/demo/play-scenario';
import { readExpectations } from '../../cli/demo/expectations';
import { readHistory } from '../../cli/demo/history-scenario';
import { readPurchaseEvents } from '../../cli/send/purchase-events-file';
import { testTempDir } from '../support/temp-dir';

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

  it('becomes the directory events the shop would have sent, each valid under contract v1, and suppressions by hash', () => {
    // Prepare
    const seed = parseSeed(
      {
        customers: [{ customerId: 'c-1', email: 'ann@example.com', firstName: 'Ann' }],
        registries: [{ registryId: 'r-1', ownerCustomerId: 'c-1', title: 'Ann', items: [{ itemId: 'i-1', title: 'Pram' }] }],
        suppressions: [{ email: 'kim@example.com', reason: 'BOUNCE' }],
      },
      'inline',
    );
    const stamp = { effectiveAt: '2026-01-01T00:00:00.000Z', version: 7 };

    // Act
    const events = seedDirectoryEvents(seed, stamp);
    const suppressions = seedSuppressionItems(seed, '2026-01-01T00:00:00.000Z');

    // Assess
    expect(events.map((e) => e.type)).toEqual(['customer.upserted', 'registry.upserted', 'registry.items.added']);
    expect(events[0]).toMatchObject({ customerId: 'c-1', email: 'ann@example.com', locale: 'en', firstName: 'Ann', notificationsOptOut: false, version: 7 });
    expect(events[1]).toMatchObject({ registryId: 'r-1', ownerCustomerId: 'c-1', status: 'ACTIVE', purchaseNotifications: true });
    expect(events[2]).toMatchObject({ registryId: 'r-1', items: [{ itemId: 'i-1', title: 'Pram' }] });
    for (const event of events) expect(validateValue(directoryEventSchema(() => new Date('2026-01-01T00:00:00Z')), event).ok).toBe(true);
    expect(seedDirectoryEvents(seed, stamp).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(suppressions).toEqual([{ emailHash: addressHash('kim@example.com'), reason: 'BOUNCE', createdAt: '2026-01-01T00:00:00.000Z' }]);
    expect(JSON.stringify(suppressions)).not.toContain('kim@');
  });

  it('says when a file is not JSON', () => {
    const file = path.join(testTempDir('seed-'), 'seed.json');
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
  it('are valid, and every expected event is in the purchases file of its wave', () => {
    // Act
    const seed = readSeedFile(DEMO_FILES.seed);
    const idsIn = (file: string) => new Set(readPurchaseEvents(file).flatMap((body) => [/"eventId":"([^"]+)"/.exec(body)?.[1] ?? []]));
    const [first, later] = [idsIn(DEMO_FILES.purchases), idsIn(DEMO_FILES.laterPurchases)];
    const expectations = readExpectations(DEMO_FILES.expectations);

    // Assess
    for (const notice of expectations.notices) expect((notice.afterHearingBack ? later : first).has(notice.eventId), notice.eventId).toBe(true);
    const history = readHistory(DEMO_FILES.history);
    const historyAddresses = [
      ...parseSeed({ customers: history.customers, registries: history.registries }, 'history').customers.map((customer) => customer.email),
      ...history.episodes.flatMap((episode) => episode.changes.flatMap((change) => (typeof change.event.email === 'string' ? [change.event.email] : []))),
    ];
    const addresses = new Set([...seed.customers.map((customer) => customer.email), ...historyAddresses]);
    for (const address of Object.keys(expectations.emails)) expect(addresses.has(address), address).toBe(true);
    expect(Object.values(expectations.emails).reduce((sum, count) => sum + count, 0)).toBe(expectations.totalEmails);
  });

  it('tell a past whose changes are directory events v1, whose notices and incidents the expectations name', () => {
    // Act
    const history = readHistory(DEMO_FILES.history);
    const expectations = readExpectations(DEMO_FILES.expectations);

    // Assess
    const schema = directoryEventSchema(() => new Date());
    for (const [i, change] of history.episodes.flatMap((episode) => episode.changes).entries()) {
      const event = { ...change.event, schemaVersion: 1, eventId: `demo-history-${i}`, version: i + 1, effectiveAt: new Date(Date.now() + change.minutes * 60_000).toISOString() };
      expect(validateValue(schema, event), change.why).toMatchObject({ ok: true });
    }
    const noticeIds = history.episodes.flatMap((episode) => episode.notices.map((line) => `imp#${episode.source}#${line.sourceNoticeId}`));
    expect(expectations.history.verdicts.map((verdict) => verdict.noticeId).sort()).toEqual(noticeIds.sort());
    expect(expectations.history.campaigns.map((campaign) => campaign.incidentId).sort()).toEqual(history.episodes.map((episode) => episode.incident.id).sort());
  });
});
