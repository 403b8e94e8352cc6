import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDirectoryStore } from '../../../lambdas/directory/tables/directory-store';
import { applyDirectoryEvent } from '../../../lambdas/directory/apply-directory-event';
import type { DirectoryEvent } from '../../../lambdas/directory/directory-event';
import type { RecipientErasure } from '../../../lambdas/directory/ports/directory-store';
import { factsOf, type CustomerFact } from '../../../lambdas/directory/directory-fact';
import { APPLIED_AT, deliveriesArbitrary } from '../../helpers/directory-arbitraries';
import { customerErasedFactory, customerUpsertedFactory, registryUpsertedFactory } from '../../helpers/factories';
import { expectedTables, tablesSnapshot } from '../../helpers/in-memory-directory-store';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { provisionDirectoryTables, type DirectoryTables } from '../../support/directory-stack';

/** The same events about other ids, so each run has its own timelines in the shared tables. */
function namespaced(event: DirectoryEvent, ns: string): DirectoryEvent {
  const e = { ...event, eventId: `${ns}${event.eventId}` } as Record<string, unknown>;
  for (const key of ['registryId', 'customerId', 'ownerCustomerId'] as const) if (typeof e[key] === 'string') e[key] = `${ns}${String(e[key])}`;
  return e as DirectoryEvent;
}

describe('applying directory events (DynamoDB Local)', () => {
  let aws: AwsClients;
  let tables: DirectoryTables;
  let store: DynamoDbDirectoryStore;
  const erasure: RecipientErasure = { eraseRecipient: () => Promise.resolve(0) };

  beforeAll(async () => {
    aws = createAwsClients();
    tables = await provisionDirectoryTables(`apply${randomUUID().slice(0, 8)}-`);
    store = new DynamoDbDirectoryStore({
      client: aws.documentClient,
      historyTable: tables.historyTable,
      registriesTable: tables.registriesTable,
      customersTable: tables.customersTable,
    });
  });
  afterAll(() => aws.destroy());

  /** Everything of one namespace in the three tables (a test may Scan; the functions may not). */
  const tablesOf = async (ns: string) => {
    const scan = async (TableName: string, attribute: string) =>
      (
        await aws.documentClient.send(
          new ScanCommand({ TableName, FilterExpression: 'contains(#a, :ns)', ExpressionAttributeNames: { '#a': attribute }, ExpressionAttributeValues: { ':ns': ns } }),
        )
      ).Items ?? [];
    return tablesSnapshot({
      history: await scan(tables.historyTable, 'pk'),
      registries: await scan(tables.registriesTable, 'pk'),
      customers: await scan(tables.customersTable, 'customerId'),
    });
  };

  it('tells an upsert of an erased customer from a stale one, and keeps neither address nor name of it', async () => {
    // Prepare
    const ns = `${randomUUID().slice(0, 6)}-`;
    const deps = { store, erasure, now: () => new Date(APPLIED_AT) };
    await applyDirectoryEvent(namespaced(customerErasedFactory({ customerId: 'c-1', version: 5 }), ns), deps);
    const [late] = factsOf(namespaced(customerUpsertedFactory({ customerId: 'c-1', version: 9, email: 'late@apply.example' }), ns));

    // Act
    const projection = await store.putCustomer(late as CustomerFact, APPLIED_AT);
    await applyDirectoryEvent(namespaced(customerUpsertedFactory({ customerId: 'c-1', version: 9, email: 'late@apply.example', firstName: 'Late' }), ns), deps);

    // Assess
    expect(projection).toBe('erased');
    const snapshot = JSON.stringify(await tablesOf(ns));
    expect(snapshot).toContain('"erased":true');
    expect(snapshot).not.toContain('late@apply.example');
    expect(snapshot).not.toContain('Late');
  });

  it('finds the neighbours of a late fact in a long timeline too, and marks the correction with the interval it changes', async () => {
    // Prepare: 20 monthly facts of one registry, the owner alternating
    const ns = `${randomUUID().slice(0, 6)}-`;
    const deps = { store, erasure, now: () => new Date(APPLIED_AT) };
    const month = (m: number) => new Date(Date.UTC(2024, m, 1)).toISOString();
    for (let m = 0; m < 20; m += 1) {
      await applyDirectoryEvent(namespaced(registryUpsertedFactory({ registryId: 'r-long', version: m * 2, effectiveAt: month(m), ownerCustomerId: `c-${m % 2}` }), ns), deps);
    }

    // Act: between month 10 (owner c-0) and month 11, the owner was really c-7
    const late = registryUpsertedFactory({ registryId: 'r-long', version: 21, effectiveAt: '2024-11-15T00:00:00.000Z', ownerCustomerId: 'c-7' });
    const result = await applyDirectoryEvent(namespaced(late, ns), deps);

    // Assess
    expect(result.corrections).toBe(1);
    const [item] = (await aws.documentClient.send(new ScanCommand({ TableName: tables.historyTable, FilterExpression: 'eventId = :e', ExpressionAttributeValues: { ':e': `${ns}${late.eventId}` } }))).Items ?? [];
    expect(item).toMatchObject({ correctionDay: APPLIED_AT.slice(0, 10), correctionUntil: month(11) });
  });

  it('ends in exactly the tables in-order delivery gives, for shuffled events each delivered 3 times', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(deliveriesArbitrary({ maxEvents: 30 }), async ({ events, deliveries }) => {
        // Prepare
        run += 1;
        const inOrderNs = `${randomUUID().slice(0, 6)}o${run}-`;
        const shuffledNs = inOrderNs.replace(/o(\d+)-$/, 's$1-');
        const deps = { store, erasure, now: () => new Date(APPLIED_AT) };

        // Act
        for (const event of events) await applyDirectoryEvent(namespaced(event, inOrderNs), deps);
        for (const event of deliveries) await applyDirectoryEvent(namespaced(event, shuffledNs), deps);

        // Assess: the same tables, and those the definition gives
        const strip = (snapshot: Awaited<ReturnType<typeof tablesOf>>, ns: string) => JSON.parse(JSON.stringify(snapshot).replaceAll(ns, '')) as unknown;
        const inOrder = strip(await tablesOf(inOrderNs), inOrderNs);
        expect(strip(await tablesOf(shuffledNs), shuffledNs)).toEqual(inOrder);
        expect(inOrder).toEqual(expectedTables(events, APPLIED_AT));
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
