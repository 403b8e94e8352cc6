import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoDbFault, type DynamoDbFaultCounts, type DynamoDbFaultProxy, startDynamoDbFaults } from '@registry-notices/local-stack';
import { addressHash, legacyAddressHash } from '../../../lambdas/directory/address-hash';
import { REKEY_TABLES, type RekeyReport, type RekeyTable } from '../../../lambdas/directory/rekey/rekey-hashes';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { lambdaContextFactory } from '../../support/lambda-context';
import { createAuditWorld, type AuditWorld } from '../audit/audit-world';

const NOW = Date.now();
const daysAgo = (days: number): string => new Date(NOW - days * 86_400_000).toISOString();
const PEOPLE = 10;

type Handler = (event: unknown, context: unknown) => Promise<RekeyReport>;
type Counts = Omit<RekeyReport, 'table' | 'cursor' | 'done'>;

/**
 * The re-keying job (lambdas/directory/rekey/handler.ts, from source, its own DynamoDB client)
 * with every request through the fault proxy in front of DynamoDB Local: throttles, 500s, and
 * answers lost after DynamoDB applied the write. Where the SDK's retries give up, the operator
 * runs it again from where the error says it stopped; in the end every legacy hash is keyed and
 * every suppression and unsubscribe is under its keyed hash once, none left under the legacy
 * one, and what the runs reported adds up to what was there.
 */
describe('re-keying under DynamoDB faults', () => {
  let aws: AwsClients;
  let world: AuditWorld;
  let faults: DynamoDbFaultProxy;
  let handler: Handler;
  let counts: DynamoDbFaultCounts;
  const savedEnv = { ...process.env };
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `cus-${i}`, address: '' }));
  /** What the suppressions and unsubscribes tables must hold at the end, item by item. */
  const expected: { suppressions: Record<string, unknown>[]; unsubscribes: Record<string, unknown>[] } = { suppressions: [], unsubscribes: [] };
  const afterErrors: { suppressions: Record<string, unknown>[]; unsubscribes: Record<string, unknown>[] }[] = [];
  const runs: { table: RekeyTable; reports: RekeyReport[]; errors: Error[] }[] = [];
  const put = (table: string, item: Record<string, unknown>) => aws.documentClient.send(new PutCommand({ TableName: table, Item: item }));
  const scanAll = async (table: string): Promise<Record<string, unknown>[]> => (await aws.documentClient.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  const sorted = (items: readonly Record<string, unknown>[]) => items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();

  beforeAll(async () => {
    // Prepare: tables with rows written before keyed hashes, and the do-not-mail lists under the legacy hashes.
    aws = createAwsClients();
    world = await createAuditWorld(aws);
    const t = world.tables;
    for (const [i, p] of people.entries()) p.address = world.address(`person${i}`);
    const seeds: Promise<unknown>[] = [];
    for (const [i, { id, address }] of people.entries()) {
      const legacy = legacyAddressHash(address);
      const keyed = addressHash(address);
      seeds.push(
        put(t.customers, { customerId: id, email: address, emailHash: legacy, locale: 'en' }),
        put(t.history, { pk: `CUSTOMER#${id}`, sk: 'AT#2026-01-01T00:00:00.000Z#0000000000000001', kind: 'customer', customerId: id, email: address, emailHash: legacy }),
        put(t.history, { pk: `CUSTOMER#${id}`, sk: 'AT#2026-02-01T00:00:00.000Z#0000000000000002', kind: 'customer', customerId: id, email: address, emailHash: legacy }),
        put(t.ledger, { noticeId: `evt#${id}`, recipientAddress: address, recipientAddressHash: legacy, decidedAt: daysAgo(200), outcome: 'SENT', registryId: 'reg-1' }),
      );
      if (i % 2 === 0) {
        const suppression = { reason: 'BOUNCE', createdAt: daysAgo(100 + i) };
        seeds.push(put(t.suppressions, { emailHash: legacy, ...suppression }));
        // Person 4 was suppressed again since keyed hashes: that (newer) item stays, the legacy one goes.
        if (i === 4) {
          seeds.push(put(t.suppressions, { emailHash: keyed, reason: 'COMPLAINT', createdAt: daysAgo(1) }));
          expected.suppressions.push({ emailHash: keyed, reason: 'COMPLAINT', createdAt: daysAgo(1) });
        } else expected.suppressions.push({ emailHash: keyed, ...suppression });
      }
      if (i % 3 === 0) {
        for (const scope of ['ALL', 'REGISTRY#reg-1']) {
          const unsubscribe = { scope, unsubscribedAt: daysAgo(150 + i), via: 'PAGE' };
          seeds.push(put(t.unsubscribes, { emailHash: legacy, ...unsubscribe }));
          expected.unsubscribes.push({ emailHash: keyed, ...unsubscribe });
        }
      }
    }
    // An erased customer's suppression: no row holds the address, so it stays under its legacy hash.
    const erased = { emailHash: legacyAddressHash(world.address('erased')), reason: 'COMPLAINT', createdAt: daysAgo(300) };
    seeds.push(put(t.suppressions, erased));
    expected.suppressions.push(erased);
    await Promise.all(seeds);

    // The handler from source, its DynamoDB client (made at import from the SDK's env var) through the proxy.
    faults = await startDynamoDbFaults(inject('emulatorEndpoints').dynamodb, { throttle: 0.05, serverError: 0.03, seed: 'rekey-faults', enabled: false });
    Object.assign(process.env, {
      CUSTOMERS_TABLE: t.customers,
      DIRECTORY_HISTORY_TABLE: t.history,
      LEDGER_TABLE: t.ledger,
      SUPPRESSIONS_TABLE: t.suppressions,
      UNSUBSCRIBES_TABLE: t.unsubscribes,
      ADDRESS_HASH_KEY_ARN: world.env.ADDRESS_HASH_KEY_ARN,
      AWS_ENDPOINT_URL_DYNAMODB: faults.url,
    });
    vi.resetModules();
    handler = ((await import('../../../lambdas/directory/rekey/handler')) as unknown as { handler: Handler }).handler;

    // Act: each table run as an operator does, with faults on. Beside the seeded draw, chosen:
    // - answers lost after DynamoDB applied them (the client's 3 s timeout, then its retry): the first
    //   move of a suppression (the keyed copy put), the first delete of a legacy unsubscribe, a re-key of a customer;
    // - requests failed on every attempt (5 × 500), so the run fails there and is run again: the copy of
    //   person 2's suppression (legacy still there, no copy yet), the delete of person 3's legacy
    //   unsubscribes (both there), the re-key of person 7's history.
    const lost: readonly (readonly [string, ...string[]])[] = [
      ['PutItem', `"${addressHash(people[0]!.address)}"`],
      ['DeleteItem', `"${legacyAddressHash(people[6]!.address)}"`, '"scope"'],
      ['UpdateItem', `"${people[5]!.id}"`],
    ];
    const failing: readonly (readonly [string, ...string[]])[] = [
      ['PutItem', `"${addressHash(people[2]!.address)}"`],
      ['DeleteItem', `"${legacyAddressHash(people[3]!.address)}"`],
      ['UpdateItem', `"CUSTOMER#${people[7]!.id}"`],
    ];
    const matches = ([op, ...texts]: readonly string[], operation: string, body: string) => op === operation && texts.every((text) => body.includes(text));
    const lostFired = new Set<number>();
    const failedTimes = new Map<number, number>();
    faults.choose = (operation, body) => {
      const l = lost.findIndex((rule, n) => !lostFired.has(n) && matches(rule, operation, body));
      if (l >= 0) {
        lostFired.add(l);
        return DynamoDbFault.STALLED_APPLIED;
      }
      const f = failing.findIndex((rule) => matches(rule, operation, body));
      // Every attempt of one call (the client's 5), once; the rerun's call goes through.
      if (f >= 0 && (failedTimes.get(f) ?? 0) < 5) {
        failedTimes.set(f, (failedTimes.get(f) ?? 0) + 1);
        return DynamoDbFault.INTERNAL_SERVER_ERROR;
      }
      return undefined;
    };
    faults.enabled = true;
    for (const table of REKEY_TABLES) {
      const run = { table, reports: [] as RekeyReport[], errors: [] as Error[] };
      runs.push(run);
      let cursor: string | undefined;
      for (let invocation = 0; invocation < 6; invocation += 1) {
        try {
          const report = await handler({ table, pageSize: 4, ...(cursor ? { cursor } : {}) }, lambdaContextFactory('rekey', 900_000));
          run.reports.push(report);
          if (report.done) break;
          cursor = report.cursor;
        } catch (error) {
          run.errors.push(error as Error);
          // What the tables hold right then (read past the proxy): a copy never missing where its legacy item is gone.
          afterErrors.push({ suppressions: await scanAll(t.suppressions), unsubscribes: await scanAll(t.unsubscribes) });
          // The operator goes on from where the error says the run stopped.
          const report = (error as { report?: RekeyReport }).report;
          if (report) run.reports.push(report);
          cursor = report?.cursor ?? cursor;
        }
      }
    }
    faults.enabled = false;
    counts = faults.counts();
    expect(lostFired.size, 'lost answers chosen').toBe(lost.length);
    expect([...failedTimes.values()], 'failing calls chosen').toEqual([5, 5, 5]);
  }, 120_000);

  afterAll(async () => {
    process.env = savedEnv;
    console.log(
      `[rekey-faults] ${counts?.requests} requests, ${counts?.throttles} throttled, ${counts?.faults.INTERNAL_SERVER_ERROR} 500s, ` +
        `${(counts?.faults.STALLED_APPLIED ?? 0) + (counts?.faults.STALLED_UNSENT ?? 0)} stalled; ` +
        runs.map((r) => `${r.table}: ${r.reports.length} answers, ${r.errors.length} failed runs`).join(', '),
    );
    aws?.destroy();
    await faults?.close();
  });

  it('ends with every legacy hash of a row that holds its address keyed, in every table', async () => {
    // Act
    const t = world.tables;
    const [customers, history, ledger] = await Promise.all([scanAll(t.customers), scanAll(t.history), scanAll(t.ledger)]);

    // Assess
    expect(runs.map((r) => [r.table, r.reports.at(-1)?.done])).toEqual([['customers', true], ['history', true], ['ledger', true]]);
    expect(customers.map((c) => c.emailHash === addressHash(String(c.email)))).toEqual(customers.map(() => true));
    expect(history.map((h) => h.emailHash === addressHash(String(h.email)))).toEqual(history.map(() => true));
    expect(ledger.map((l) => l.recipientAddressHash === addressHash(String(l.recipientAddress)))).toEqual(ledger.map(() => true));
    expect([customers.length, history.length, ledger.length]).toEqual([PEOPLE, 2 * PEOPLE, PEOPLE]);
  });

  it('moved every suppression and unsubscribe to the keyed hash exactly once: none lost, none left under the legacy hash, the newer keyed one kept', async () => {
    // Act
    const t = world.tables;
    const [suppressions, unsubscribes] = await Promise.all([scanAll(t.suppressions), scanAll(t.unsubscribes)]);

    // Assess
    expect(sorted(suppressions)).toEqual(sorted(expected.suppressions));
    expect(sorted(unsubscribes)).toEqual(sorted(expected.unsubscribes));
  });

  it('failed where the retries gave up with an error that names the table, how far it got and where to go on; the answers add up to what was there', () => {
    // Assess: each chosen failure ended one run, with a structured error, and the rerun completed it.
    const errors = runs.flatMap((r) => r.errors);
    expect(errors.map((e) => e.name)).toEqual(['RekeyInterruptedError', 'RekeyInterruptedError', 'RekeyInterruptedError']);
    expect(runs.map((r) => r.errors.length)).toEqual([2, 1, 0]);
    for (const error of errors) {
      expect(error.message).toMatch(/^re-keying (customers|history) stopped after \d+ pages \(\d+ rows re-keyed\): InternalServerError: /);
      expect(error.message).toMatch(/run it again with "cursor" from this error/);
      expect(error.message).not.toContain(world.domain);
    }
    // Whenever a run failed, every suppression and unsubscribe was under one hash or both, never neither;
    // person 3's (the delete failed) under both then.
    const has = (items: readonly Record<string, unknown>[], hash: string, scope?: string) => items.filter((i) => i.emailHash === hash && (scope === undefined || i.scope === scope)).length;
    for (const snapshot of afterErrors) {
      for (const [i, { address }] of people.entries()) {
        if (i % 2 === 0) expect(has(snapshot.suppressions, legacyAddressHash(address)) + has(snapshot.suppressions, addressHash(address)), `person ${i}`).toBeGreaterThan(0);
        if (i % 3 === 0) for (const scope of ['ALL', 'REGISTRY#reg-1']) expect(has(snapshot.unsubscribes, legacyAddressHash(address), scope) + has(snapshot.unsubscribes, addressHash(address), scope), `person ${i} ${scope}`).toBeGreaterThan(0);
      }
    }
    const three = people[3]!.address;
    expect(afterErrors.map((s) => [has(s.unsubscribes, legacyAddressHash(three)), has(s.unsubscribes, addressHash(three))])).toContainEqual([2, 1]);
    // Each table's answers, failed runs' partial reports included, count each legacy row re-keyed once.
    const total = (table: RekeyTable, field: keyof Counts) => runs.find((r) => r.table === table)!.reports.reduce((sum, r) => sum + (r[field] as number), 0);
    expect(REKEY_TABLES.map((table) => total(table, 'rekeyed'))).toEqual([PEOPLE, 2 * PEOPLE, PEOPLE]);
    expect(REKEY_TABLES.map((table) => total(table, 'left'))).toEqual([0, 0, 0]);
    // Person 2's suppression and person 3's unsubscribes were counted by the rerun that moved them, not twice.
    const moved = REKEY_TABLES.reduce((sum, table) => sum + total(table, 'suppressionsMoved') + total(table, 'unsubscribesMoved'), 0);
    expect(moved).toBe(PEOPLE / 2 + 2 * Math.ceil(PEOPLE / 3));
    // The proxy did throttle and fail (else this proves nothing).
    expect(counts.throttles).toBeGreaterThan(0);
    expect(counts.faults.INTERNAL_SERVER_ERROR).toBeGreaterThanOrEqual(15);
    expect(counts.faults.STALLED_APPLIED).toBe(3);
  });
});
