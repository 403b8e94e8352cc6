import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash, legacyAddressHash } from '../../../lambdas/directory/address-hash';
import { DynamoDbRekeyTables } from '../../../lambdas/directory/rekey/dynamodb-rekey-tables';
import { rekeyHashes, REKEY_TABLES, type RekeyReport, type RekeyTable } from '../../../lambdas/directory/rekey/rekey-hashes';
import { DynamoDbDoNotMail } from '../../../lambdas/mail/tables/do-not-mail';
import { DynamoDbMailedAddresses } from '../../../lambdas/mail/tables/mailed-addresses';
import { InvalidEventError } from '../../../lambdas/platform/function-errors';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { lambdaContextFactory } from '../../support/lambda-context';
import { createAuditWorld, type AuditWorld } from '../audit/audit-world';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

/**
 * The one-off re-keying job against DynamoDB Local: rows written before keyed hashes (the
 * unkeyed SHA-256), re-keyed where the row holds the address, found afterwards by the readers
 * that look under the keyed hash only; a second run changes nothing.
 */
describe('re-keying legacy address hashes (DynamoDB Local)', () => {
  let aws: AwsClients;
  let world: AuditWorld;
  let rekeyTables: DynamoDbRekeyTables;
  let ann: string;
  let bob: string;
  let erin: string;
  let carl: string;

  const settings = { ledgerKeepDays: 90, now: () => NOW };
  const put = (table: string, item: Record<string, unknown>) => aws.documentClient.send(new PutCommand({ TableName: table, Item: item }));
  const scanAll = async (table: string) => {
    const { Items = [] } = await aws.documentClient.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return Items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();
  };
  const snapshot = async () => Promise.all(Object.values(world.tables).map(scanAll));
  /** Runs a table to its end, a page of 2 rows at a time, one page per call (resumed from the cursor each time). */
  const runToEnd = async (table: RekeyTable): Promise<RekeyReport[]> => {
    const reports: RekeyReport[] = [];
    let cursor: string | undefined;
    do {
      const report = await rekeyHashes({ table, pageSize: 2, ...(cursor ? { cursor } : {}) }, rekeyTables, settings, () => false);
      reports.push(report);
      cursor = report.cursor;
    } while (cursor !== undefined);
    return reports;
  };
  const total = (reports: readonly RekeyReport[], field: 'rekeyed' | 'alreadyKeyed' | 'deferred' | 'left' | 'suppressionsMoved' | 'unsubscribesMoved') =>
    reports.reduce((sum, r) => sum + r[field], 0);

  beforeAll(async () => {
    // Prepare: a world's tables and its address-hash key; rows as they were written before keyed hashes.
    aws = createAwsClients();
    world = await createAuditWorld(aws);
    const t = world.tables;
    [ann, bob, erin, carl] = ['ann', 'bob', 'erin', 'carl'].map((l) => world.address(l)) as [string, string, string, string];
    rekeyTables = new DynamoDbRekeyTables(aws.dynamodb, { customers: t.customers, history: t.history, ledger: t.ledger, suppressions: t.suppressions, unsubscribes: t.unsubscribes });
    await Promise.all([
      put(t.customers, { customerId: 'cus-ann', email: ann, emailHash: legacyAddressHash(ann), locale: 'de' }),
      put(t.customers, { customerId: 'cus-carl', email: carl, emailHash: addressHash(carl), locale: 'en' }), // written since: keyed
      put(t.customers, { customerId: 'cus-erin', erased: true, notificationsOptOut: true }),
      put(t.history, { pk: 'CUSTOMER#cus-ann', sk: 'AT#2026-01-01T00:00:00.000Z#0000000000000001', kind: 'customer', customerId: 'cus-ann', email: ann, emailHash: legacyAddressHash(ann) }),
      put(t.history, { pk: 'CUSTOMER#cus-ann', sk: 'AT#2026-02-01T00:00:00.000Z#0000000000000002', kind: 'customer', customerId: 'cus-ann', email: ann, emailHash: legacyAddressHash(ann) }),
      // Erin was erased: the fact keeps its hash and no address, so nothing can re-key it.
      put(t.history, { pk: 'CUSTOMER#cus-erin', sk: 'AT#2026-01-01T00:00:00.000Z#0000000000000001', kind: 'customer', customerId: 'cus-erin', emailHash: legacyAddressHash(erin), erased: true }),
      put(t.history, { pk: 'REGISTRY#reg-1', sk: 'AT#2026-01-01T00:00:00.000Z#0000000000000001', kind: 'registry', registryId: 'reg-1', ownerCustomerId: 'cus-ann' }),
      put(t.ledger, { noticeId: 'evt#old-ann', recipientAddress: ann, recipientAddressHash: legacyAddressHash(ann), decidedAt: daysAgo(200), outcome: 'SENT', registryId: 'reg-1' }),
      put(t.ledger, { noticeId: 'evt#old-bob', recipientAddress: bob, recipientAddressHash: legacyAddressHash(bob), decidedAt: daysAgo(120), outcome: 'SENT', registryId: 'reg-1' }),
      // Sent 10 days ago with a v1 link naming the legacy hash: the endpoint finds that link's address by it.
      put(t.ledger, { noticeId: 'evt#new-ann', recipientAddress: ann, recipientAddressHash: legacyAddressHash(ann), decidedAt: daysAgo(10), outcome: 'SENT', registryId: 'reg-1' }),
      put(t.ledger, { noticeId: 'evt#old-erin', recipientErased: true, recipientAddressHash: legacyAddressHash(erin), decidedAt: daysAgo(300), outcome: 'SENT' }),
      put(t.ledger, { noticeId: 'pi#p-1#i-1', firstNoticeId: 'evt#old-ann' }),
      put(t.suppressions, { emailHash: legacyAddressHash(bob), reason: 'BOUNCE', createdAt: daysAgo(100) }),
      put(t.suppressions, { emailHash: legacyAddressHash(erin), reason: 'COMPLAINT', createdAt: daysAgo(250) }),
      put(t.unsubscribes, { emailHash: legacyAddressHash(ann), scope: 'REGISTRY#reg-1', registryId: 'reg-1', unsubscribedAt: daysAgo(150), via: 'ONE_CLICK' }),
      put(t.unsubscribes, { emailHash: legacyAddressHash(ann), scope: 'ALL', unsubscribedAt: daysAgo(140), via: 'PAGE' }),
    ]);
  }, 120_000);

  afterAll(() => {
    aws?.destroy();
  });

  it('rewrites every legacy hash whose address a row holds, moves those addresses\' suppressions and unsubscribes, and says what it left and why', async () => {
    // Act: each table to its end, a page at a time, each page resumed from the last answer's cursor.
    const customers = await runToEnd('customers');
    const history = await runToEnd('history');
    const ledger = await runToEnd('ledger');

    // Assess: what each run said.
    expect(customers.length).toBeGreaterThan(1);
    expect(customers.at(-1)).toMatchObject({ done: true });
    expect([total(customers, 'rekeyed'), total(customers, 'alreadyKeyed')]).toEqual([1, 1]);
    expect([total(history, 'rekeyed'), total(history, 'left')]).toEqual([2, 0]);
    expect([total(ledger, 'rekeyed'), total(ledger, 'deferred')]).toEqual([2, 1]);
    expect(total([...customers, ...history, ...ledger], 'suppressionsMoved')).toBe(1);
    expect(total([...customers, ...history, ...ledger], 'unsubscribesMoved')).toBe(2);

    // Assess: the rows.
    const t = world.tables;
    const get = async (table: string, key: Record<string, string>) => (await aws.documentClient.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    expect((await get(t.customers, { customerId: 'cus-ann' }))?.emailHash).toBe(addressHash(ann));
    expect((await get(t.ledger, { noticeId: 'evt#old-ann' }))?.recipientAddressHash).toBe(addressHash(ann));
    expect((await get(t.ledger, { noticeId: 'evt#new-ann' }))?.recipientAddressHash).toBe(legacyAddressHash(ann));
    // Held nowhere in the clear: kept as they were (docs/data-model.md says why).
    expect((await get(t.ledger, { noticeId: 'evt#old-erin' }))?.recipientAddressHash).toBe(legacyAddressHash(erin));
    expect((await get(t.history, { pk: 'CUSTOMER#cus-erin', sk: 'AT#2026-01-01T00:00:00.000Z#0000000000000001' }))?.emailHash).toBe(legacyAddressHash(erin));
    expect(await get(t.suppressions, { emailHash: legacyAddressHash(erin) })).toBeDefined();
    expect(await get(t.suppressions, { emailHash: legacyAddressHash(bob) })).toBeUndefined();
    expect(await get(t.suppressions, { emailHash: addressHash(bob) })).toMatchObject({ reason: 'BOUNCE', createdAt: daysAgo(100) });
  });

  it('lets the readers that look under the keyed hash alone find what was legacy, and the v1 links of recent mail still find their address', async () => {
    // Act
    const t = world.tables;
    const doNotMail = new DynamoDbDoNotMail(aws.dynamodb, { suppressions: t.suppressions, unsubscribes: t.unsubscribes });
    const mailed = new DynamoDbMailedAddresses(aws.dynamodb, t.ledger);
    const byEmailHash = async (table: string, hash: string) =>
      (await aws.documentClient.send(new QueryCommand({ TableName: table, IndexName: 'byEmailHash', KeyConditionExpression: 'emailHash = :h', ExpressionAttributeValues: { ':h': hash } }))).Items ?? [];

    // Assess
    expect(await doNotMail.standing(addressHash(bob), 'reg-1')).toEqual({ suppressed: true, unsubscribed: false });
    expect(await doNotMail.standing(addressHash(ann), 'reg-2')).toEqual({ suppressed: false, unsubscribed: true });
    expect((await byEmailHash(t.customers, addressHash(ann))).map((i) => i.customerId)).toEqual(['cus-ann']);
    expect(await byEmailHash(t.history, addressHash(ann))).toHaveLength(2);
    expect(await byEmailHash(t.history, legacyAddressHash(ann))).toHaveLength(0);
    expect(await mailed.wasMailed(addressHash(ann))).toBe(true);
    expect(await mailed.wasMailed(legacyAddressHash(ann))).toBe(true); // evt#new-ann, deferred
    expect(await mailed.wasMailed(addressHash(bob))).toBe(true);
  });

  it('changes nothing on a second run, and re-keys a deferred ledger row once its links have expired', async () => {
    // Prepare
    const before = await snapshot();

    // Act
    const again = (await Promise.all(REKEY_TABLES.map(runToEnd))).flat();
    const after = await snapshot();
    const later = await rekeyHashes({ table: 'ledger', pageSize: 100 }, rekeyTables, { ledgerKeepDays: 5, now: () => NOW }, () => true);

    // Assess
    expect(total(again, 'rekeyed') + total(again, 'suppressionsMoved') + total(again, 'unsubscribesMoved')).toBe(0);
    expect(after).toEqual(before);
    expect(later).toMatchObject({ rekeyed: 1, deferred: 0, done: true });
  });

  it('runs as the function an operator invokes: the request validated first, then pages until the table is done, answering counts and no address', async () => {
    // Prepare: the function's environment, as its construct sets it; the handler derives the key at import.
    const saved = { ...process.env };
    Object.assign(process.env, {
      CUSTOMERS_TABLE: world.tables.customers,
      DIRECTORY_HISTORY_TABLE: world.tables.history,
      LEDGER_TABLE: world.tables.ledger,
      SUPPRESSIONS_TABLE: world.tables.suppressions,
      UNSUBSCRIBES_TABLE: world.tables.unsubscribes,
      ADDRESS_HASH_KEY_ARN: world.env.ADDRESS_HASH_KEY_ARN,
    });
    try {
      const { handler } = (await import('../../../lambdas/directory/rekey/handler')) as unknown as { handler: (event: unknown, context: unknown) => Promise<RekeyReport> };

      // Act
      const report = await handler({ table: 'customers', pageSize: 1 }, lambdaContextFactory('rekey', 900_000));
      const refused = handler({ table: 'suppressions' }, lambdaContextFactory('rekey', 900_000));

      // Assess
      expect(report).toMatchObject({ table: 'customers', rekeyed: 0, alreadyKeyed: 2, done: true });
      expect(report.pages).toBeGreaterThan(2);
      expect(JSON.stringify(report)).not.toContain(world.domain);
      await expect(refused).rejects.toThrow('table: must be one of customers, history, ledger');
    } finally {
      process.env = saved;
    }
  });

  it('refuses a cursor that is not one of its answers, naming the field', async () => {
    // Act
    const act = rekeyHashes({ table: 'ledger', pageSize: 10, cursor: Buffer.from('{"customerId":"x"}').toString('base64url') }, rekeyTables, settings, () => true);

    // Assess
    await expect(act).rejects.toThrow(InvalidEventError);
    await expect(act).rejects.toThrow('cursor: must be the cursor of an earlier answer for this table');
  });
});
