import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAutoApprovals } from '../../../lambdas/audit/audit-table/auto-approvals';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld, type AuditWorld } from './audit-world';

/** A declarer's allowance of automatic approvals per day, in the audit table on DynamoDB Local. */
describe('DynamoDbAutoApprovals', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  let store: DynamoDbAutoApprovals;

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    store = new DynamoDbAutoApprovals(clients.documentClient, world.tables.audit);
  });
  afterAll(() => clients.destroy());

  it('lets plans finishing at once take no more than the limit between them', async () => {
    // Act: five incidents of one apology each, limit three, all at once.
    const fits = await Promise.all(Array.from({ length: 5 }, (_, i) => store.reserve('123456789012/alice', '2026-12-07', `inc-${i}`, 1, 3)));

    // Assess
    expect(fits.filter(Boolean)).toHaveLength(3);
    expect(await store.used('123456789012/alice', '2026-12-07')).toBe(3);
  });

  it('counts an incident once however often its plan finishes, and keeps days and people apart', async () => {
    // Act
    const first = await store.reserve('123456789012/bob', '2026-12-07', 'inc-a', 2, 3);
    const again = await store.reserve('123456789012/bob', '2026-12-07', 'inc-a', 2, 3);
    const another = await store.reserve('123456789012/bob', '2026-12-07', 'inc-b', 2, 3);
    const nextDay = await store.reserve('123456789012/bob', '2026-12-08', 'inc-b', 2, 3);
    const tooBig = await store.reserve('123456789012/carol', '2026-12-07', 'inc-c', 4, 3);

    // Assess
    expect([first, again, another, nextDay, tooBig]).toEqual([true, true, false, true, false]);
    expect(await store.used('123456789012/bob', '2026-12-07')).toBe(2);
    expect(await store.used('123456789012/carol', '2026-12-07')).toBe(0);
  });
});
