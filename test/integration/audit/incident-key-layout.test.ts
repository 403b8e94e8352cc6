import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbApologyMailEvents } from '../../../lambdas/audit/audit-table/apology-mail-events';
import { DynamoDbApologyRecords } from '../../../lambdas/audit/audit-table/apology-records';
import { DynamoDbCampaigns } from '../../../lambdas/audit/audit-table/campaigns';
import { DynamoDbIncidents } from '../../../lambdas/audit/audit-table/incidents';
import { INCIDENT_KEY_SHARDS } from '../../../lambdas/audit/audit-table/keys';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld, type AuditWorld } from './audit-world';

/** Every item of an incident's items of one kind, read page by page through the store's cursor. */
async function allPages<T>(read: (after: string | undefined) => Promise<{ items: readonly T[]; cursor?: string }>): Promise<T[]> {
  const all: T[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await read(after);
    all.push(...page.items);
    if (!page.cursor) return all;
    after = page.cursor;
  }
  throw new Error('the cursor never ended');
}

describe("an incident's keys: spread over shard partitions, and those of incidents declared before the shards still read (DynamoDB Local)", () => {
  let clients: AwsClients;
  let world: AuditWorld;
  const put = (Item: Record<string, unknown>) => clients.documentClient.send(new PutCommand({ TableName: world.tables.audit, Item }));
  /** Counts one claim in its counter item as the code before the shards did (ADD): two hashes may share a counter. */
  const count = (pk: string, sk: string, state: string) =>
    clients.documentClient.send(
      new UpdateCommand({ TableName: world.tables.audit, Key: { pk, sk }, UpdateExpression: 'ADD #s :one', ExpressionAttributeNames: { '#s': state }, ExpressionAttributeValues: { ':one': 1 } }),
    );

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
  }, 60_000);
  afterAll(() => clients.destroy());

  it('reads, claims, settles and counts a legacy incident under its one partition INC#<id>, as it was written', async () => {
    // Prepare: an incident, its rows, plan, claims and counters exactly as the code before the shards wrote them.
    const incidentId = 'inc-legacy-keys';
    const [ann, ben, cid] = ['ann', 'ben', 'cid'].map((l) => addressHash(world.address(l))) as [string, string, string];
    const plannedAt = '2026-11-01T10:00:00.000Z';
    await put({ pk: 'INCIDENTS', sk: `INC#${incidentId}`, incidentId, description: 'before the shards', declaredAt: plannedAt, sweep: { done: true, dayIndex: 1, rows: 3 } });
    await put({ pk: `INC#${incidentId}`, sk: 'CAMPAIGN', incidentId, state: 'APPROVED', plannedAt, summary: { toApologise: 3 } });
    for (const [i, hash] of [ann, ben, cid].entries()) {
      await put({ pk: `INC#${incidentId}`, sk: `ROW#n-${i}`, noticeId: `n-${i}`, addressHash: hash, verdict: 'WRONG', reason: 'NOT_THE_OWNER' });
      await put({ pk: `INC#${incidentId}`, sk: `TO#${hash}`, planId: plannedAt, addressHash: hash, decision: 'APOLOGISE', reason: 'NOT_THE_OWNER', locale: 'en', noticeId: `n-${i}` });
    }
    await put({ pk: `INC#${incidentId}`, sk: `APOLOGY#${ann}`, state: 'SENT', runId: 'r0', claimedAt: plannedAt, sesMessageId: 'ses-ann', sesEvents: {} });
    await count(`INC#${incidentId}`, `COUNT#${ann[0]}`, 'SENT');
    await put({ pk: `INC#${incidentId}`, sk: `APOLOGY#${ben}`, state: 'UNCERTAIN', runId: 'r0', claimedAt: plannedAt, settledAt: plannedAt, sesEvents: {} });
    await count(`INC#${incidentId}`, `COUNT#${ben[0]}`, 'UNCERTAIN');
    const campaigns = new DynamoDbCampaigns(clients.documentClient, world.tables.audit);
    const incidents = new DynamoDbIncidents(clients.documentClient, world.tables.audit);

    // Act
    const rows = await allPages(async (after) => {
      const page = await incidents.memberPage(incidentId, after, 2);
      return { items: page.members, cursor: page.cursor };
    });
    const plan = await allPages(async (after) => {
      const page = await campaigns.recipients(incidentId, after, 2);
      return { items: page.recipients, cursor: page.cursor };
    });
    const annAgain = await campaigns.claim(incidentId, ann, 'r1', new Date().toISOString());
    const cidClaim = await campaigns.claim(incidentId, cid, 'r1', new Date().toISOString());
    await campaigns.settle(incidentId, cid, { state: 'SENT', sesMessageId: 'ses-cid' }, new Date().toISOString(), 'r1');
    const heard = await new DynamoDbApologyMailEvents(clients.documentClient, world.tables.audit).record(
      { incidentId, addressHash: ben },
      'Delivery',
      { at: new Date().toISOString(), messageId: 'ses-ben' },
      ben,
    );
    const records = new DynamoDbApologyRecords(clients.documentClient, world.tables.audit);

    // Assess
    expect(rows.map((r) => r.noticeId)).toEqual(['n-0', 'n-1', 'n-2']);
    expect(plan.map((r) => r.addressHash).sort()).toEqual([ann, ben, cid].sort());
    expect(annAgain).toMatchObject({ claimed: false, existing: { state: 'SENT' } });
    expect(cidClaim).toEqual({ claimed: true });
    expect(await campaigns.claimCounts(incidentId)).toEqual({ SENT: 2, UNCERTAIN: 1 });
    expect(heard.recording).toBe('recorded');
    expect((await records.forNotice('n-1', ben))[0]).toMatchObject({ incidentId, verdict: 'WRONG', apology: { state: 'UNCERTAIN' } });
    expect((await records.inDoubt()).map((r) => r.addressHash)).toEqual([ben]);
    // Still one partition: nothing of it was written anywhere else.
    const { Item } = await clients.documentClient.send(new GetCommand({ TableName: world.tables.audit, Key: { pk: `INC#${incidentId}`, sk: `APOLOGY#${cid}` } }));
    expect(Item).toMatchObject({ state: 'SENT', sesMessageId: 'ses-cid' });
  });

  it('declares a new incident with 32 shard partitions, writes each item to its own and pages through them all, once each and in any page size', async () => {
    // Prepare
    const incidents = new DynamoDbIncidents(clients.documentClient, world.tables.audit);
    const campaigns = new DynamoDbCampaigns(clients.documentClient, world.tables.audit);
    const incidentId = 'inc-sharded-keys';
    await incidents.declare({ incidentId, description: 'after the shards', declaredAt: new Date().toISOString(), source: 'legacy-crm' });
    const hashes = Array.from({ length: 45 }, (_, i) => addressHash(world.address(`p${i}`)));
    const at = new Date().toISOString();
    await Promise.all(hashes.map((h, i) => incidents.attach(incidentId, { noticeId: `n-${i}`, addressHash: h, verdict: 'WRONG', reason: 'NOT_THE_OWNER' }, at)));
    for (const h of hashes.slice(0, 20)) {
      await campaigns.claim(incidentId, h, 'r1', at);
      await campaigns.settle(incidentId, h, { state: 'SENT', sesMessageId: `ses-${h.slice(0, 6)}` }, at, 'r1');
    }

    // Act
    const pages = await Promise.all(
      [1, 4, 7, 100].map((size) =>
        allPages(async (after) => {
          const page = await incidents.memberPage(incidentId, after, size);
          return { items: page.members, cursor: page.cursor };
        }),
      ),
    );
    const header = await clients.documentClient.send(new GetCommand({ TableName: world.tables.audit, Key: { pk: 'INCIDENTS', sk: `INC#${incidentId}` } }));
    const oldPartition = await clients.documentClient.send(
      new QueryCommand({ TableName: world.tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `INC#${incidentId}` } }),
    );

    // Assess
    expect(header.Item?.keyShards).toBe(INCIDENT_KEY_SHARDS);
    for (const members of pages) expect(members.map((m) => m.noticeId).sort()).toEqual(hashes.map((_, i) => `n-${i}`).sort());
    expect(pages[0]).toEqual(pages[3]);
    expect(oldPartition.Items ?? []).toEqual([]);
    expect(await campaigns.claimCounts(incidentId)).toEqual({ SENT: 20 });
  });
});
