import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApologyMailEvents } from '../../lambdas/audit/audit-table/apology-mail-events';
import { DynamoDbCampaigns } from '../../lambdas/audit/audit-table/campaigns';
import { DynamoDbDoNotMail } from '../../lambdas/mail/tables/do-not-mail';
import { DynamoDbNoticeLedger } from '../../lambdas/notices/ledger-table/notice-ledger';
import { DynamoDbNoticeMailEvents } from '../../lambdas/notices/ledger-table/notice-mail-events';
import { DynamoDbSuppressionRegister } from '../../lambdas/mail/tables/suppressions-table';
import { addressHash } from '../../lambdas/directory/address-hash';
import type { LedgerEntry } from '../../lambdas/notices/ledger-entry';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { provisionNotifyStack, type ProvisionedNotifyStack } from '../support/notify-stack';

const rec = (at: string, messageId: string) => ({ at, messageId });
let counter = 0;
const claimFor = (address = `owner${counter}@feedback-stores.example.com`): LedgerEntry & { recipientAddressHash: string } => ({
  noticeId: `evt#fb-${Date.now().toString(36)}-${(counter += 1)}`,
  eventId: `fb-${counter}`,
  registryId: 'reg-1',
  recipientAddress: address,
  recipientAddressHash: addressHash(address),
  outcome: 'SENDING',
  decidedAt: new Date().toISOString(),
  sender: 'registry-notices',
});

describe('where SES events are kept (DynamoDB Local)', () => {
  let aws: AwsClients;
  let provisioned: ProvisionedNotifyStack;
  let ledger: DynamoDbNoticeLedger;
  let notices: DynamoDbNoticeMailEvents;
  let apologies: DynamoDbApologyMailEvents;
  let auditTable: string;
  const row = async (noticeId: string) =>
    (await aws.documentClient.send(new GetCommand({ TableName: provisioned.names.ledgerTable, Key: { noticeId }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    provisioned = await provisionNotifyStack(`fs${Date.now().toString(36)}`);
    aws = createAwsClients();
    const audit = [...provisioned.stack.resources.values()].find((r) => r.type === 'AWS::DynamoDB::Table' && r.logicalId.startsWith('AuditApologyAuditTable'));
    auditTable = audit!.outputs.ref;
    ledger = new DynamoDbNoticeLedger({ client: aws.documentClient, tableName: provisioned.names.ledgerTable, retentionDays: 30 });
    notices = new DynamoDbNoticeMailEvents(aws.documentClient, provisioned.names.ledgerTable);
    apologies = new DynamoDbApologyMailEvents(aws.documentClient, auditTable);
  });

  afterAll(() => aws?.destroy());

  describe('on a notice ledger row', () => {
    it('keeps each event type once, in any order, and a repeat changes nothing; a SENT row is not open to settling', async () => {
      // Prepare
      const claim = claimFor();
      await ledger.claim(claim);
      await ledger.markSent(claim.noticeId, 'ses-1', '2026-11-25T10:00:00.000Z');

      // Act
      const results = [
        await notices.record(claim.noticeId, 'Delivery', rec('2026-11-25T10:00:02.000Z', 'ses-1'), claim.recipientAddressHash),
        await notices.record(claim.noticeId, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-1'), claim.recipientAddressHash),
        await notices.record(claim.noticeId, 'Delivery', rec('2026-11-25T10:09:00.000Z', 'ses-1'), claim.recipientAddressHash),
      ];

      // Assess
      expect(results).toEqual([
        { recording: 'recorded', settleable: false },
        { recording: 'recorded', settleable: false },
        { recording: 'duplicate', settleable: false },
      ]);
      expect((await row(claim.noticeId))?.sesEvents).toEqual({
        Delivery: rec('2026-11-25T10:00:02.000Z', 'ses-1'),
        Send: rec('2026-11-25T10:00:00.000Z', 'ses-1'),
      });
    });

    it('does not keep an event about another email on the row, but lists its message id', async () => {
      // Prepare
      const claim = claimFor();
      await ledger.claim(claim);
      await ledger.markSent(claim.noticeId, 'ses-ours', '2026-11-25T10:00:00.000Z');

      // Act
      const result = await notices.record(claim.noticeId, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-other'), claim.recipientAddressHash);

      // Assess
      expect(result).toEqual({ recording: 'other-message', settleable: false });
      const item = await row(claim.noticeId);
      expect(item?.sesEvents).toBeUndefined();
      expect(item?.sesStrayMessageIds).toEqual(new Set(['ses-other']));
    });

    it('keeps nothing, and settles nothing, from an event naming another recipient than the row mailed', async () => {
      // Prepare
      const sent = claimFor();
      const uncertain = claimFor();
      await ledger.claim(sent);
      await ledger.markSent(sent.noticeId, 'ses-own', '2026-11-25T10:00:00.000Z');
      await ledger.claim(uncertain);
      await ledger.markUncertain(uncertain.noticeId, '2026-11-25T10:00:30.000Z');
      const stranger = addressHash('stranger@feedback-stores.example.com');

      // Act
      const results = [
        await notices.record(sent.noticeId, 'Bounce', rec('2026-11-25T10:00:05.000Z', 'ses-own'), stranger),
        await notices.record(uncertain.noticeId, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-u'), stranger),
      ];
      const settled = await notices.settleInDoubt(uncertain.noticeId, { type: 'Send', messageId: 'ses-u', sentAt: '2026-11-25T10:00:00.000Z', recipientHash: stranger });

      // Assess
      expect(results).toEqual([
        { recording: 'foreign-recipient', settleable: false },
        { recording: 'foreign-recipient', settleable: false },
      ]);
      expect(settled).toBe(false);
      expect(await row(sent.noticeId)).not.toHaveProperty('sesEvents');
      expect(await row(sent.noticeId)).not.toHaveProperty('sesStrayMessageIds');
      expect(await row(uncertain.noticeId)).toMatchObject({ outcome: 'UNCERTAIN', inDoubt: 'UNCERTAIN' });
      expect(await row(uncertain.noticeId)).not.toHaveProperty('sesEvents');
    });

    it('keeps nothing on a row that sent no email (FAILED, no SES message id): no email of ours to hear about', async () => {
      // Prepare
      const failed = claimFor();
      await ledger.claim(failed);
      await ledger.markFailed(failed.noticeId, 'SES_REFUSED', '2026-11-25T10:00:00.000Z');

      // Act
      const result = await notices.record(failed.noticeId, 'Delivery', rec('2026-11-25T10:00:02.000Z', 'ses-any'), failed.recipientAddressHash);

      // Assess
      expect(result).toEqual({ recording: 'unknown-message', settleable: false });
      expect(await row(failed.noticeId)).toMatchObject({ outcome: 'FAILED' });
      expect(await row(failed.noticeId)).not.toHaveProperty('sesEvents');
    });

    it('creates no row for a notice it does not know', async () => {
      // Act
      const result = await notices.record('evt#never-claimed', 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-x'), addressHash('nobody@feedback-stores.example.com'));

      // Assess
      expect(result).toEqual({ recording: 'not-found', settleable: false });
      expect(await row('evt#never-claimed')).toBeUndefined();
    });

    it('settles an UNCERTAIN notice as SENT on its Send event, takes it off the doubt list, and only once', async () => {
      // Prepare
      const claim = claimFor();
      await ledger.claim(claim);
      await ledger.markUncertain(claim.noticeId, '2026-11-25T10:00:30.000Z', { reason: 'SES_OUTCOME_UNKNOWN', purchaseMessage: '{}' });
      expect(await row(claim.noticeId)).toMatchObject({ outcome: 'UNCERTAIN', inDoubt: 'UNCERTAIN' });
      const evidence = { type: 'Send' as const, messageId: 'ses-9', sentAt: '2026-11-25T10:00:00.000Z', recipientHash: claim.recipientAddressHash };

      // Act
      const recorded = await notices.record(claim.noticeId, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-9'), claim.recipientAddressHash);
      const first = await notices.settleInDoubt(claim.noticeId, evidence);
      const again = await notices.settleInDoubt(claim.noticeId, evidence);

      // Assess
      expect(recorded).toEqual({ recording: 'recorded', settleable: true });
      expect([first, again]).toEqual([true, false]);
      const item = await row(claim.noticeId);
      expect(item).toMatchObject({ outcome: 'SENT', sesMessageId: 'ses-9', sentAt: '2026-11-25T10:00:00.000Z', settledBy: 'SES_EVENT' });
      expect(item?.inDoubt).toBeUndefined();
    });

    it('settles an UNCERTAIN notice as FAILED on a Reject, and leaves a SENT one alone', async () => {
      // Prepare
      const uncertain = claimFor();
      const sent = claimFor();
      await ledger.claim(uncertain);
      await ledger.markUncertain(uncertain.noticeId, '2026-11-25T10:00:30.000Z');
      await ledger.claim(sent);
      await ledger.markSent(sent.noticeId, 'ses-s', '2026-11-25T10:00:00.000Z');
      const reject = { type: 'Reject' as const, messageId: 'ses-r', sentAt: '2026-11-25T10:00:00.000Z' };

      // Act
      const settledUncertain = await notices.settleInDoubt(uncertain.noticeId, { ...reject, recipientHash: uncertain.recipientAddressHash });
      const settledSent = await notices.settleInDoubt(sent.noticeId, { ...reject, messageId: 'ses-s', recipientHash: sent.recipientAddressHash });

      // Assess
      expect([settledUncertain, settledSent]).toEqual([true, false]);
      expect(await row(uncertain.noticeId)).toMatchObject({ outcome: 'FAILED', reason: 'SES_REJECTED' });
      expect(await row(sent.noticeId)).toMatchObject({ outcome: 'SENT' });
    });
  });

  it('settles an UNCERTAIN apology claim as SENT on its Delivery event, and its campaign counts it SENT, no longer UNCERTAIN', async () => {
    // Prepare
    const key = { incidentId: `inc-${Date.now().toString(36)}`, addressHash: addressHash('nora@feedback-stores.example.com') };
    const campaigns = new DynamoDbCampaigns(aws.documentClient, auditTable);
    // As the apology sender leaves a claim whose send's answer was lost.
    await campaigns.claim(key.incidentId, key.addressHash, 'run-1', '2026-11-25T09:59:59.000Z');
    await campaigns.settle(key.incidentId, key.addressHash, { state: 'UNCERTAIN', reason: 'OUTCOME_UNKNOWN' }, '2026-11-25T10:00:01.000Z', 'run-1');
    const before = await campaigns.claimCounts(key.incidentId);

    // Act
    const recording = await apologies.record(key, 'Delivery', rec('2026-11-25T10:00:02.000Z', 'ses-a'), key.addressHash);
    const settled = await apologies.settleInDoubt(key, { type: 'Delivery', messageId: 'ses-a', sentAt: '2026-11-25T10:00:00.000Z', recipientHash: key.addressHash });
    const again = await apologies.settleInDoubt(key, { type: 'Delivery', messageId: 'ses-a', sentAt: '2026-11-25T10:00:00.000Z', recipientHash: key.addressHash });

    // Assess
    expect([recording, settled, again]).toEqual([{ recording: 'recorded', settleable: true }, true, false]);
    const { Item } = await aws.documentClient.send(
      new GetCommand({ TableName: auditTable, Key: { pk: `INC#${key.incidentId}`, sk: `APOLOGY#${key.addressHash}` } }),
    );
    expect(Item).toMatchObject({ state: 'SENT', sesMessageId: 'ses-a', sesEvents: { Delivery: rec('2026-11-25T10:00:02.000Z', 'ses-a') } });
    expect(before).toEqual({ UNCERTAIN: 1 });
    expect(await campaigns.claimCounts(key.incidentId)).toEqual({ UNCERTAIN: 0, SENT: 1 });
  });

  it('keeps nothing on an apology claim from an event naming another recipient than the claim is for', async () => {
    // Prepare
    const key = { incidentId: `inc-${Date.now().toString(36)}`, addressHash: addressHash('pia@feedback-stores.example.com') };
    const campaigns = new DynamoDbCampaigns(aws.documentClient, auditTable);
    await campaigns.claim(key.incidentId, key.addressHash, 'run-1', '2026-11-25T09:59:59.000Z');
    await campaigns.settle(key.incidentId, key.addressHash, { state: 'UNCERTAIN', reason: 'OUTCOME_UNKNOWN' }, '2026-11-25T10:00:01.000Z', 'run-1');
    const stranger = addressHash('stranger@feedback-stores.example.com');

    // Act
    const recording = await apologies.record(key, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-p'), stranger);
    const settled = await apologies.settleInDoubt(key, { type: 'Send', messageId: 'ses-p', sentAt: '2026-11-25T10:00:00.000Z', recipientHash: stranger });

    // Assess
    expect([recording, settled]).toEqual([{ recording: 'foreign-recipient', settleable: false }, false]);
    expect(await campaigns.claimCounts(key.incidentId)).toEqual({ UNCERTAIN: 1 });
  });

  it("keeps a SENT apology's SES events in one write each (its claim holds the map from the start), and says there is nothing left to settle", async () => {
    // Prepare: a claim the sender settled SENT.
    const key = { incidentId: `inc-${Date.now().toString(36)}`, addressHash: addressHash('olga@feedback-stores.example.com') };
    const campaigns = new DynamoDbCampaigns(aws.documentClient, auditTable);
    await campaigns.claim(key.incidentId, key.addressHash, 'run-1', '2026-11-25T09:59:59.000Z');
    await campaigns.settle(key.incidentId, key.addressHash, { state: 'SENT', sesMessageId: 'ses-o' }, '2026-11-25T10:00:01.000Z', 'run-1');
    const operations: string[] = [];
    aws.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        operations.push((context.commandName ?? '?').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'deserialize', name: 'countEventWrites' },
    );

    // Act
    let results: unknown[];
    try {
      results = [
        await apologies.record(key, 'Send', rec('2026-11-25T10:00:00.000Z', 'ses-o'), key.addressHash),
        await apologies.record(key, 'Delivery', rec('2026-11-25T10:00:02.000Z', 'ses-o'), key.addressHash),
        await apologies.record(key, 'Delivery', rec('2026-11-25T10:00:02.000Z', 'ses-o'), key.addressHash),
      ];
    } finally {
      aws.dynamodb.middlewareStack.remove('countEventWrites');
    }

    // Assess
    expect(results).toEqual([
      { recording: 'recorded', settleable: false },
      { recording: 'recorded', settleable: false },
      { recording: 'duplicate', settleable: false },
    ]);
    // The incident's key layout is read once (then kept by the store), each event is one write.
    expect(operations).toEqual(['GetItem', 'UpdateItem', 'UpdateItem', 'UpdateItem']);
  });

  describe('on the suppression list', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    let register: DynamoDbSuppressionRegister;
    let list: { isSuppressed(address: string): Promise<boolean> };

    beforeAll(() => {
      register = new DynamoDbSuppressionRegister(aws.documentClient, provisioned.names.suppressionsTable, () => now);
      // What the notify guards read: the address's standing on the suppression list.
      const doNotMail = new DynamoDbDoNotMail(aws.dynamodb, { suppressions: provisioned.names.suppressionsTable, unsubscribes: provisioned.names.unsubscribesTable });
      list = { isSuppressed: async (address) => (await doNotMail.standing(addressHash(address), 'reg-any')).suppressed };
    });

    it('suppresses an address by hash once; the first reason stays', async () => {
      // Prepare
      const address = 'bounced@feedback-stores.example.com';
      const write = { addressHash: addressHash(address), at: '2026-11-25T10:00:00.000Z', sesMessageId: 'ses-b', detail: { bounceType: 'Permanent' } };

      // Act
      const first = await register.suppress({ ...write, reason: 'BOUNCE' });
      const second = await register.suppress({ ...write, reason: 'COMPLAINT' });

      // Assess
      expect([first, second]).toEqual(['suppressed', 'already']);
      expect(await list.isSuppressed(address)).toBe(true);
      const { Item } = await aws.documentClient.send(
        new GetCommand({ TableName: provisioned.names.suppressionsTable, Key: { emailHash: write.addressHash } }),
      );
      expect(Item).toEqual({ emailHash: write.addressHash, reason: 'BOUNCE', createdAt: write.at, source: 'SES_EVENT', sesMessageId: 'ses-b', bounceType: 'Permanent' });
    });

    it('counts soft bounces once per email and keeps them off the list itself', async () => {
      // Prepare
      const address = 'full-mailbox@feedback-stores.example.com';
      const soft = (sesMessageId: string, at: string) => ({ addressHash: addressHash(address), reason: 'BOUNCE' as const, at, sesMessageId, detail: {} });

      // Act
      const counts = [
        await register.addSoftBounce(soft('m-1', '2026-11-24T10:00:00.000Z'), 7),
        await register.addSoftBounce(soft('m-1', '2026-11-24T10:00:00.000Z'), 7),
        await register.addSoftBounce(soft('m-2', '2026-11-25T10:00:00.000Z'), 7),
      ].map((times) => times.length);

      // Assess
      expect(counts).toEqual([1, 1, 2]);
      expect(await list.isSuppressed(address)).toBe(false);
    });
  });
});
