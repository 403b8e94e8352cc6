import { PutCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { pendingStateFor } from '../../../lambdas/notices/ledger-table/audit-shards';
import { dayShardFor } from '../../../lambdas/notices/ledger-table/day-shards';
import { DynamoDbRegistryOwners } from '../../../lambdas/directory/tables/directories';
import { auditPending } from '../../../lambdas/audit/audit-pending';
import { importSendLog } from '../../../lambdas/imports/send-log/import-send-log';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { createAuditWorld, sendLogLine, type AuditWorld } from './audit-world';
import { seedIncidentDirectory } from './seed-incident';

describe('send-log import and audit against DynamoDB Local', () => {
  let clients: AwsClients;
  let world: AuditWorld;

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await seedIncidentDirectory(world);
  });

  afterAll(() => clients.destroy());

  /** The fields of a notice about reg-ann mailed to ann. */
  const toAnn = () => ({ registryId: 'reg-ann', recipientAddress: world.address('ann'), recipientAddressHash: addressHash(world.address('ann')) });

  const log = (): string[] => [
    sendLogLine({ sourceNoticeId: 'n-1', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-1' }),
    sendLogLine({ sourceNoticeId: 'n-2', recipientAddress: world.address('bob'), registryId: 'reg-ann', purchaseId: 'p-2' }),
    sendLogLine({ sourceNoticeId: 'n-3', recipientAddress: world.address('zoe'), registryId: 'reg-ghost', purchaseId: 'p-3' }),
    sendLogLine({ sourceNoticeId: 'n-4', recipientAddress: world.address('carl'), registryId: 'reg-closed', purchaseId: 'p-4' }),
    sendLogLine({ sourceNoticeId: 'n-5', recipientAddress: world.address('ann'), registryId: 'reg-ann', purchaseId: 'p-1' }),
    '',
    sendLogLine({ sourceNoticeId: 'n-6', recipientAddress: 'not-an-address', registryId: 'reg-ann', purchaseId: 'p-6' }),
    '{"source": "legacy-crm", oops',
  ];

  it('counts accepted and refused lines, naming line, field and rule', async () => {
    // Act
    const report = await importSendLog(log(), world.imports, { now: () => new Date() });

    // Assess
    expect(report).toMatchObject({ lines: 7, accepted: 5, alreadyPresent: 0, refused: 2 });
    expect(report.issues).toEqual([
      { line: 7, field: 'recipientAddress', rule: 'must be an email address' },
      { line: 8, field: '(line)', rule: 'must be valid JSON' },
    ]);
    const { Item } = await clients.documentClient.send(
      new GetCommand({ TableName: world.tables.ledger, Key: { noticeId: 'imp#legacy-crm#n-2' } }),
    );
    expect(Item).toMatchObject({
      sender: 'import:legacy-crm',
      auditState: pendingStateFor(addressHash(world.address('bob'))),
      outcome: 'SENT',
      // Its day's shard, by the address (lambdas/notices/ledger-table/day-shards.ts); no old `decidedDay`.
      decidedDayShard: dayShardFor('2025-03-01T00:00:00.000Z', addressHash(world.address('bob')), 'imp#legacy-crm#n-2'),
    });
    expect(Item?.decidedDayShard).toMatch(/^2025-03-01#\d{2}$/);
    expect(Item).not.toHaveProperty('decidedDay');
    expect(Item?.recipientAddressHash).toBe(addressHash(world.address('bob')));
    // A send from 2025 imported today is kept for the retention counted from today: a TTL in
    // the past would let DynamoDB delete the evidence as soon as it arrived.
    expect(Item?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 300 * 86_400);
  });

  it('writes nothing new when the same log is imported again', async () => {
    const report = await importSendLog(log(), world.imports, { now: () => new Date() });
    expect(report).toMatchObject({ lines: 7, accepted: 0, alreadyPresent: 5, refused: 2 });
  });

  it('marks each row with its verdict and takes it out of the pending index', async () => {
    // Act
    const tally = await auditPending(world.deps, [], { maxRows: 1000, hasTime: () => true });

    // Assess
    expect(tally).toMatchObject({ rows: 5, done: true, wrongByReason: { NOT_THE_OWNER: 1, NOT_A_PARTICIPANT: 1, REGISTRY_CLOSED: 1, DUPLICATE: 1 } });
    const verdict = async (id: string) =>
      (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId: `imp#legacy-crm#${id}` } }))).Item;
    expect(await verdict('n-1')).toMatchObject({ auditVerdict: 'OK' });
    expect(await verdict('n-2')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'NOT_THE_OWNER' });
    expect(await verdict('n-3')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'NOT_A_PARTICIPANT' });
    expect(await verdict('n-4')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'REGISTRY_CLOSED' });
    expect(await verdict('n-5')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'DUPLICATE' });
    expect((await verdict('n-2'))?.auditState).toBeUndefined();
  });

  it('tells a customer with no registry from one who owns another (byOwner, sparse: registries only)', async () => {
    // Prepare: dan has no registry, only an item row that names him (items never carry the owner).
    await clients.documentClient.send(
      new PutCommand({ TableName: world.tables.registries, Item: { pk: 'reg-ann', sk: 'ITEM#i-1', registryId: 'reg-ann', itemId: 'i-1', title: 'Cup' } }),
    );
    const owners = new DynamoDbRegistryOwners(clients.dynamodb, world.tables.registries);

    // Act
    const answers = await Promise.all(['cus-ann', 'cus-bob', 'cus-carl', 'cus-dan'].map((c) => owners.ownsARegistry(c)));
    const { Items } = await clients.documentClient.send(
      new QueryCommand({
        TableName: world.tables.registries,
        IndexName: 'byOwner',
        KeyConditionExpression: 'ownerCustomerId = :c',
        ExpressionAttributeValues: { ':c': 'cus-ann' },
      }),
    );

    // Assess: a closed registry is still one (carl); the index holds the registry, not its item.
    expect(answers).toEqual([true, true, true, false]);
    expect(Items).toEqual([{ pk: 'reg-ann', sk: 'REGISTRY', ownerCustomerId: 'cus-ann' }]);
  });

  it('marks a second notice of ours for the same purchase and item DUPLICATE, whatever its event id', async () => {
    // Prepare: one purchase sent twice under two event ids (before the notify function blocked that), and once imported.
    const sent = (noticeId: string, fields: Record<string, unknown> & { decidedAt: string }) =>
      world.putNotice(noticeId, { ...toAnn(), purchaseId: 'p-twice', itemId: 'i-1', ...fields });
    await sent('evt#twice-a', { eventId: 'twice-a', decidedAt: '2025-03-05T10:00:00.000Z' });
    await sent('evt#twice-b', { eventId: 'twice-b', decidedAt: '2025-03-05T10:00:01.000Z' });
    await sent('imp#legacy-crm#twice-c', { eventId: 'twice-b', purchaseId: undefined, itemId: undefined, sender: 'import:legacy-crm', decidedAt: '2025-03-05T10:00:02.000Z' });

    // Act
    await auditPending(world.deps, [], { maxRows: 1000, hasTime: () => true });

    // Assess: the first is right; the second shares its purchase and item, the third the second's event.
    const verdict = async (noticeId: string) =>
      (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId } }))).Item;
    expect(await verdict('evt#twice-a')).toMatchObject({ auditVerdict: 'OK' });
    expect(await verdict('evt#twice-b')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'DUPLICATE' });
    expect(await verdict('imp#legacy-crm#twice-c')).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'DUPLICATE' });
  });

  it('reads only new rows: cost grows with new rows, not with the ledger', async () => {
    // Prepare: 400 rows audited long ago, and 7 new ones.
    const put = (noticeId: string, pending: boolean) =>
      world.putNotice(noticeId, {
        ...toAnn(),
        decidedAt: '2025-02-01T10:00:00.000Z',
        eventId: noticeId,
        ...(pending ? {} : { auditState: undefined, auditVerdict: 'OK' }),
      });
    for (let i = 0; i < 400; i += 25) await Promise.all(Array.from({ length: 25 }, (_, j) => put(`evt#old-${i + j}`, false)));
    const idle = await auditPending(world.deps, [], { maxRows: 1000, hasTime: () => true });
    await Promise.all(Array.from({ length: 7 }, (_, j) => put(`evt#new-${j}`, true)));

    // Act
    const run = await auditPending(world.deps, [], { maxRows: 1000, hasTime: () => true });

    // Assess: with 412 rows in the ledger, a run reads the 7 new ones, and an idle run none.
    expect(idle).toMatchObject({ rows: 0, scanned: 0 });
    expect(run).toMatchObject({ rows: 7, scanned: 7 });
  });
});
