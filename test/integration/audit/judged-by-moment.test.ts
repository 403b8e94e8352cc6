import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { correctionsIncidentId } from '../../../lambdas/audit/incident';
import { approveCampaign } from '../../../lambdas/audit/campaign/approve-campaign';
import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { customerUpsertedFactory, itemsAddedFactory, registryUpsertedFactory } from '../../helpers/factories';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, type AuditWorld } from './audit-world';
import { OPS_PERSON } from './seed-incident';

const JAN = '2026-01-05T00:00:00.000Z';
const MAR_1 = '2026-03-01T00:00:00.000Z';
const NOTICE_AT = '2026-03-10T10:00:00.000Z';
const APRIL = '2026-04-15T00:00:00.000Z';
const plenty = (): number => 60_000;

/**
 * PRODUCT.md, "The directory feed, and truth over time": a notice is judged by the facts of
 * its moment. A change after it never makes it wrong; a correction of its moment does.
 */
describe('the audit judges each notice by the facts of its moment (DynamoDB Local, SES emulator)', () => {
  let clients: AwsClients;
  const mailbox = new Mailbox();

  beforeAll(() => {
    clients = createAwsClients();
  });
  afterAll(() => clients.destroy());

  /** A registry owned by `owner` since January, with one item, the owner's address, and a notice sent to them in March. */
  async function registryWithNotice(world: AuditWorld, n: string): Promise<{ registryId: string; customerId: string; noticeId: string }> {
    const registryId = `reg-${n}`;
    const customerId = `cus-${n}`;
    await world.recordHistory(
      [
        registryUpsertedFactory({ registryId, ownerCustomerId: customerId, effectiveAt: JAN }),
        itemsAddedFactory({ registryId, items: [{ itemId: 'item-1', title: 'Cot' }], effectiveAt: JAN }),
        customerUpsertedFactory({ customerId, email: world.address(n), effectiveAt: JAN }),
      ],
      JAN,
    );
    await world.putRegistry(registryId, customerId);
    await world.putCustomer(customerId, n);
    const noticeId = `evt#${n}-1`;
    await world.putNotice(noticeId, {
      eventId: `${n}-1`,
      purchaseId: `pur-${n}`,
      registryId,
      itemId: 'item-1',
      recipientCustomerId: customerId,
      recipientAddress: world.address(n),
      recipientAddressHash: addressHash(world.address(n)),
      decidedAt: NOTICE_AT,
      sentAt: NOTICE_AT,
    });
    return { registryId, customerId, noticeId };
  }

  const verdictOf = async (world: AuditWorld, noticeId: string) =>
    (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId } }))).Item;

  it('plans no apology for four notices that were right, whatever changed after them', async () => {
    // Prepare: four owners told in March; in April, as the normal feed (not corrections),
    // (1) the registry closed, (2) the owner changed address, (3) the registry was handed to
    // another owner, (4) the owner turned surprise mode on. The current tables say so too.
    const world = await createAuditWorld(clients);
    const closed = await registryWithNotice(world, 'closed');
    const moved = await registryWithNotice(world, 'moved');
    const handed = await registryWithNotice(world, 'handed');
    const surprise = await registryWithNotice(world, 'surprise');
    await world.recordHistory(
      [
        registryUpsertedFactory({ registryId: closed.registryId, ownerCustomerId: closed.customerId, status: 'CLOSED', version: 2, effectiveAt: APRIL }),
        customerUpsertedFactory({ customerId: moved.customerId, email: world.address('moved-new'), version: 2, effectiveAt: APRIL }),
        registryUpsertedFactory({ registryId: handed.registryId, ownerCustomerId: 'cus-heir', version: 2, effectiveAt: APRIL }),
        customerUpsertedFactory({ customerId: 'cus-heir', email: world.address('heir'), effectiveAt: APRIL }),
        registryUpsertedFactory({ registryId: surprise.registryId, ownerCustomerId: surprise.customerId, purchaseNotifications: false, version: 2, effectiveAt: APRIL }),
      ],
      APRIL,
    );
    await world.putRegistry(closed.registryId, closed.customerId, 'CLOSED');
    await world.putCustomer(moved.customerId, 'moved-new');
    await world.putRegistry(handed.registryId, 'cus-heir');
    await world.putCustomer('cus-heir', 'heir');
    await world.putRegistry(surprise.registryId, surprise.customerId, 'ACTIVE', false);
    // The days around the notices: an audit reads each day of its window (33 partitions a day), so all of March was
    // 1,023 queries of DynamoDB Local for these four notices.
    const incident = await declareIncident(
      { description: 'the notices of March 10, checked after the fact', windowStart: '2026-03-08T00:00:00.000Z', windowEnd: '2026-03-13T00:00:00.000Z' },
      world.deps.incidents,
      new Date(),
    );

    // Act
    const plan = await dryRunCampaign(incident.incidentId, world.deps, { approvalThreshold: 100 });

    // Assess
    expect(plan.summary).toMatchObject({ rows: 4, toApologise: 0, wrongNotices: {} });
    for (const { noticeId } of [closed, moved, handed, surprise]) expect(await verdictOf(world, noticeId), noticeId).toMatchObject({ auditVerdict: 'OK' });
  });

  it('marks a notice wrong when a correction shows its registry had another owner then, and plans one apology to the address it went to', async () => {
    // Prepare: c5 is told in March; the audit finds it right.
    const runAt = (ms: number) => world.with({ now: () => new Date(ms) });
    const world = await createAuditWorld(clients);
    const told = await registryWithNotice(world, 'cinque');
    await world.recordHistory([customerUpsertedFactory({ customerId: 'cus-sette', email: world.address('sette'), effectiveAt: JAN })], JAN);
    const before = await runAuditOnce(runAt(Date.now() - 10 * 60_000), plenty);
    // Then the shop corrects the past: the owner since 1 March was really c7.
    const correctedAt = new Date().toISOString();
    await world.recordCorrection(
      registryUpsertedFactory({ registryId: told.registryId, ownerCustomerId: 'cus-sette', version: 2, effectiveAt: MAR_1 }),
      correctedAt,
      registryUpsertedFactory({ registryId: told.registryId, ownerCustomerId: told.customerId, effectiveAt: JAN }),
    );
    await world.putRegistry(told.registryId, 'cus-sette');

    // Act
    const after = await runAuditOnce(runAt(Date.now() + 2 * 60_000), plenty);

    // Assess: judged again, wrong (c5 owned no registry then), one apology planned, waiting for an operator.
    const incidentId = correctionsIncidentId(correctedAt);
    expect(before.audit.byVerdict).toEqual({ OK: 1 });
    expect(after.correctionAudit).toMatchObject({ corrections: 1, rows: 1, wrongByReason: { NOT_A_PARTICIPANT: 1 }, done: true });
    expect(await verdictOf(world, told.noticeId)).toMatchObject({ auditVerdict: 'WRONG', auditReason: 'NOT_A_PARTICIPANT' });
    expect(after.campaignsPlanned).toEqual([{ incidentId, state: 'AWAITING_APPROVAL', toApologise: 1, finishedNow: true }]);
    const page = await world.deps.campaigns.recipients(incidentId, undefined, 10);
    expect(page.recipients).toEqual([
      expect.objectContaining({ decision: 'APOLOGISE', addressHash: addressHash(world.address('cinque')), reason: 'NOT_A_PARTICIPANT' }),
    ]);
    expect(await mailbox.to(world.address('cinque'))).toHaveLength(0);

    // Act: an operator approves; the next run enqueues it (and a second run nothing), the sender sends it, once.
    const dry = await dryRunCampaign(incidentId, world.deps, { approvalThreshold: 100 });
    await approveCampaign(incidentId, { approvedBy: OPS_PERSON, plannedAt: dry.plannedAt }, { ...world.deps, approvalThreshold: 100 }, new Date());
    await runAuditOnce(world.deps, plenty);
    await runAuditOnce(world.deps, plenty);
    await world.drain();

    // Assess
    expect((await mailbox.to(world.address('cinque'))).map((m) => m.subject)).toEqual(['We sent you an email by mistake']);
    expect(await mailbox.to(world.address('sette'))).toHaveLength(0);
  });
});
