import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../../lambdas/directory/address-hash';
import { approveCampaign } from '../../../lambdas/audit/campaign/approve-campaign';
import { declareIncident } from '../../../lambdas/audit/declare-incident';
import { dryRunCampaign } from '../../../lambdas/audit/campaign/dry-run-campaign';
import { importSendLog } from '../../../lambdas/imports/send-log/import-send-log';
import { runAuditOnce } from '../../../lambdas/audit/run-once';
import { createAwsClients, type AwsClients } from '../../support/aws-clients';
import { Mailbox } from '../../support/mailbox';
import { createAuditWorld, sendLogLine, type AuditWorld } from './audit-world';

const GERMAN_SUBJECT = 'Wir haben Ihnen irrtümlich eine E-Mail geschickt';
const ENGLISH_SUBJECT = 'We sent you an email by mistake';
/** An operator who did not declare the incident: greta and noel come only from the import, so their plan waits for a second person. */
const APPROVER = 'arn:aws:iam::000000000000:user/bob';

/**
 * What a send log says, kept as the docs promise (docs/send-log-format.md): padded
 * addresses trimmed, the other system's recipient guess kept as a claim, its language used
 * for people we do not know.
 */
describe('send-log import fixes against DynamoDB Local and the SES emulator', () => {
  let clients: AwsClients;
  let world: AuditWorld;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    clients = createAwsClients();
    world = await createAuditWorld(clients);
    await world.putRegistry('reg-ann', 'cus-ann');
    await world.putCustomer('cus-ann', 'ann');
    await world.putCustomer('cus-carl', 'carl', 'en');
  });
  afterAll(() => clients.destroy());

  const row = async (sourceNoticeId: string) =>
    (await clients.documentClient.send(new GetCommand({ TableName: world.tables.ledger, Key: { noticeId: `imp#legacy-crm#${sourceNoticeId}` } })))
      .Item;

  it('imports a padded address trimmed, and keeps the other system\'s recipient guess as a claim', async () => {
    // Prepare
    const lines = [
      sendLogLine({ sourceNoticeId: 'pad-1', recipientAddress: `  ${world.address('ann')}\t`, registryId: 'reg-ann', purchaseId: 'p-1', recipientCustomerId: 'cus-ann' }),
      sendLogLine({ sourceNoticeId: 'pad-2', recipientAddress: `${world.address('ann')}, evil@evil.example`, registryId: 'reg-ann', purchaseId: 'p-2' }),
    ];

    // Act
    const report = await importSendLog(lines, world.imports, { now: () => new Date() });

    // Assess
    expect(report).toMatchObject({ accepted: 1, refused: 1 });
    expect(report.issues).toEqual([{ line: 2, field: 'recipientAddress', rule: 'must be an email address' }]);
    const item = await row('pad-1');
    expect(item).toMatchObject({ recipientAddress: world.address('ann'), recipientAddressHash: addressHash(world.address('ann')) });
    expect(item).toMatchObject({ claimedRecipientCustomerId: 'cus-ann' });
    expect(item).not.toHaveProperty('recipientCustomerId');
  });

  it('apologises to people we do not know in the send log\'s language, and to customers in theirs', async () => {
    // Prepare: greta and noel are nobody we know; carl is a customer who reads English.
    const lines = [
      sendLogLine({ sourceNoticeId: 'de-1', sentAt: '2025-04-02T10:00:00Z', recipientAddress: world.address('greta'), registryId: 'reg-ann', purchaseId: 'p-3', locale: 'de-AT' }),
      sendLogLine({ sourceNoticeId: 'de-2', sentAt: '2025-04-02T10:00:01Z', recipientAddress: world.address('noel'), registryId: 'reg-ann', purchaseId: 'p-4' }),
      sendLogLine({ sourceNoticeId: 'de-3', sentAt: '2025-04-02T10:00:02Z', recipientAddress: world.address('carl'), registryId: 'reg-ann', purchaseId: 'p-5', locale: 'de' }),
    ];
    await importSendLog(lines, world.imports, { now: () => new Date() });
    const incident = await declareIncident(
      { description: 'legacy blast in April', windowStart: '2025-04-02T00:00:00Z', windowEnd: '2025-04-03T00:00:00Z' },
      world.deps.incidents,
      new Date(),
    );

    // Act
    const plan = await dryRunCampaign(incident.incidentId, world.deps, { approvalThreshold: 100 });
    expect(plan.state).toBe('AWAITING_APPROVAL');
    await approveCampaign(incident.incidentId, { approvedBy: APPROVER, plannedAt: plan.plannedAt }, { ...world.deps, approvalThreshold: 100 }, new Date());
    await runAuditOnce(world.deps, () => 60_000);
    await world.drain();

    // Assess
    expect(plan.summary).toMatchObject({ toApologise: 3 });
    expect((await mailbox.to(world.address('greta'))).map((m) => m.subject)).toEqual([GERMAN_SUBJECT]);
    expect((await mailbox.to(world.address('noel'))).map((m) => m.subject)).toEqual([ENGLISH_SUBJECT]);
    expect((await mailbox.to(world.address('carl'))).map((m) => m.subject)).toEqual([ENGLISH_SUBJECT]);
  });
});
