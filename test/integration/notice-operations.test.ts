import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApologyRecords } from '../../lambdas/audit/audit-table/apology-records';
import { DynamoDbNoticeLedger } from '../../lambdas/notices/ledger-table/notice-ledger';
import { DynamoDbNoticeMailEvents } from '../../lambdas/notices/ledger-table/notice-mail-events';
import { DynamoDbNoticeRecords } from '../../lambdas/notices/ledger-table/notice-records';
import { SqsDeferral } from '../../lambdas/platform/queues/sqs-deferral';
import { sqsClient } from '../../lambdas/platform/aws/sqs-client';
import { SqsMessageMover } from '../../lambdas/platform/queues/sqs-message-mover';
import { addressHash } from '../../lambdas/directory/address-hash';
import { listUncertain } from '../../lambdas/operator/notices/list-uncertain';
import { redriveDeadLetters } from '../../lambdas/operator/notices/redrive-dead-letters';
import { resolveUncertain } from '../../lambdas/operator/notices/resolve-uncertain';
import { showNotice } from '../../lambdas/operator/notices/show-notice';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { Mailbox } from '../support/mailbox';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const ANN = 'ann@notice-operations.example.com';
const OPERATOR = 'arn:aws:iam::123456789012:user/operator-ann';
// These tests resolve notices only: an apology put on a queue here would be a bug.
const NO_APOLOGY_QUEUE = {
  enqueue: () => Promise.reject(new Error('no apology is enqueued by these tests')),
  defer: () => Promise.reject(new Error('no apology is enqueued by these tests')),
};
const WORLD = {
  registries: [{ registryId: 'reg-ops', ownerCustomerId: 'cus-ops', status: 'ACTIVE', purchaseNotifications: true, title: 'Ops', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-ops', email: ANN, locale: 'en', firstName: 'Ann', notificationsOptOut: false }],
} as const;

describe('operator commands on notices (DynamoDB Local, SQS and SES emulators)', () => {
  // What the operator function sends and receives with (the global setup points it at the SQS emulator).
  const sqsSender = sqsClient();
  let notify: NotifyHandlerHarness;
  let ledger: DynamoDbNoticeLedger;
  let records: DynamoDbNoticeRecords;
  let apologies: DynamoDbApologyRecords;
  let auditTable: string;
  const mailbox = new Mailbox();
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  /** A notice whose send is in doubt since `minutes` ago: claimed for Ann, marked UNCERTAIN, its message kept. */
  const uncertainNotice = async (minutes: number, title = 'Rattle') => {
    const message = purchaseMessageFactory({ registryId: 'reg-ops', item: { itemId: 'item-1', title, quantity: 1 } });
    const noticeId = `evt#${message.eventId}`;
    await ledger.claim({
      noticeId,
      eventId: message.eventId,
      registryId: 'reg-ops',
      recipientCustomerId: 'cus-ops',
      recipientAddress: ANN,
      recipientAddressHash: addressHash(ANN),
      outcome: 'SENDING',
      decidedAt: minutesAgo(minutes + 1),
      sender: 'registry-notices',
    });
    await ledger.markUncertain(noticeId, minutesAgo(minutes), { reason: 'SES_OUTCOME_UNKNOWN', purchaseMessage: JSON.stringify(message) });
    return { message, noticeId };
  };

  beforeAll(async () => {
    notify = await startNotifyHandler(`no${Date.now().toString(36)}`, WORLD);
    const table = notify.provisioned.names.ledgerTable;
    auditTable = [...notify.provisioned.stack.resources.values()].find((r) => r.logicalId.startsWith('AuditApologyAuditTable'))!.outputs.ref;
    ledger = new DynamoDbNoticeLedger({ client: notify.aws.documentClient, tableName: table, retentionDays: 30 });
    records = new DynamoDbNoticeRecords(notify.aws.documentClient, table);
    apologies = new DynamoDbApologyRecords(notify.aws.documentClient, auditTable);
  });
  afterAll(() => notify?.close());

  describe('notice show', () => {
    it('tells a sent notice\'s story, from the guards to SES\'s events, with the address masked unless revealed', async () => {
      // Prepare
      const message = purchaseMessageFactory({ registryId: 'reg-ops', item: { itemId: 'item-1', title: 'Story', quantity: 1 } });
      await notify.invoke(sqsRecordFactory(message));
      const row = await notify.ledgerRow(message.eventId);
      const events = new DynamoDbNoticeMailEvents(notify.aws.documentClient, notify.provisioned.names.ledgerTable);
      await events.record(`evt#${message.eventId}`, 'Delivery', { at: '2026-11-25T10:00:02.000Z', messageId: String(row?.sesMessageId) }, String(row?.recipientAddressHash));
      await events.record(`evt#${message.eventId}`, 'Send', { at: '2026-11-25T10:00:00.000Z', messageId: String(row?.sesMessageId) }, String(row?.recipientAddressHash));

      // Act
      const [masked] = await showNotice(message.eventId, { notices: records, apologies }, { reveal: false });
      const [revealed] = await showNotice(`evt#${message.eventId}`, { notices: records, apologies }, { reveal: true });

      // Assess
      expect(masked).toMatchObject({
        noticeId: `evt#${message.eventId}`,
        registryId: 'reg-ops',
        decision: { outcome: 'SENT', recipientCustomerId: 'cus-ops', recipient: 'a***@notice-operations.example.com', template: 'purchase-notice/v1', locale: 'en' },
        send: { sesMessageId: row?.sesMessageId },
        ses: { fate: 'DELIVERED', events: [{ type: 'Send' }, { type: 'Delivery' }], otherMessages: [] },
        audit: { state: 'PENDING' },
        incidents: [],
      });
      expect(JSON.stringify(masked)).not.toContain(ANN);
      expect(revealed?.decision.recipient).toBe(ANN);
    });

    it('finds every notice mailed to an address, newest first', async () => {
      // Prepare
      const first = await uncertainNotice(40, 'First');
      const second = await uncertainNotice(30, 'Second');

      // Act
      const stories = await showNotice(ANN.toUpperCase(), { notices: records, apologies }, { reveal: false });

      // Assess
      const ids = stories.map((s) => s.noticeId);
      expect(ids.indexOf(second.noticeId)).toBeLessThan(ids.indexOf(first.noticeId));
      expect(stories.find((s) => s.noticeId === first.noticeId)?.doubt).toMatchObject({ reason: 'SES_OUTCOME_UNKNOWN' });
    });

    it('shows the incident a notice was found wrong in, and the apology for its address there', async () => {
      // Prepare
      const { noticeId } = await uncertainNotice(50, 'Incident');
      const incidentId = `inc-ops-${Date.now().toString(36)}`;
      const put = (Item: Record<string, unknown>) => notify.aws.documentClient.send(new PutCommand({ TableName: auditTable, Item }));
      await put({ pk: 'INCIDENTS', sk: `INC#${incidentId}`, incidentId, description: 'a blast' });
      await put({ pk: `INC#${incidentId}`, sk: `ROW#${noticeId}`, noticeId, verdict: 'WRONG', reason: 'NOT_THE_OWNER' });
      await put({ pk: `INC#${incidentId}`, sk: `APOLOGY#${addressHash(ANN)}`, state: 'SENT', sesMessageId: 'ses-apology', settledAt: minutesAgo(5) });

      // Act
      const [story] = await showNotice(noticeId, { notices: records, apologies }, { reveal: false });

      // Assess
      expect(story?.incidents).toEqual([
        { incidentId, description: 'a blast', verdict: 'WRONG', reason: 'NOT_THE_OWNER', apology: expect.objectContaining({ state: 'SENT', sesMessageId: 'ses-apology' }) },
      ]);
    });
  });

  describe('notice uncertain and notice resolve', () => {
    it('lists what is in doubt past the settle window, counts what is still settling, and re-sends on resolve exactly once', async () => {
      // Prepare
      const old = await uncertainNotice(20, 'Old doubt');
      const fresh = await uncertainNotice(2, 'Fresh doubt');
      await notify.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: notify.provisioned.names.purchaseQueueUrl }));
      const deps = { notices: records, apologies, purchases: new SqsDeferral(sqsSender, notify.provisioned.names.purchaseQueueUrl), apologyQueue: NO_APOLOGY_QUEUE };

      // Act: list, resolve twice, let the notify function take the message, resolve again.
      const listed = await listUncertain(deps, { now: new Date(), settleSeconds: 900 });
      const resolved = await resolveUncertain({ noticeIds: [old.noticeId, fresh.noticeId] }, deps, { by: OPERATOR, now: new Date(), settleSeconds: 900 });
      const again = await resolveUncertain({ noticeIds: [old.noticeId] }, deps, { by: OPERATOR, now: new Date(), settleSeconds: 900 });
      const { Messages = [] } = await notify.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: notify.provisioned.names.purchaseQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of Messages) await notify.invoke(sqsRecordFactory(m.Body!));
      const afterResend = await resolveUncertain({ noticeIds: [old.noticeId] }, deps, { by: OPERATOR, now: new Date(), settleSeconds: 900 });

      // Assess
      const item = listed.items.find((i) => i.id === old.noticeId);
      expect(item).toMatchObject({ kind: 'notice', reason: 'SES_OUTCOME_UNKNOWN', sesEvents: [], recipient: 'a***@notice-operations.example.com', resolvable: true });
      expect(item!.ageSeconds).toBeGreaterThanOrEqual(20 * 60);
      expect(listed.items.some((i) => i.id === fresh.noticeId)).toBe(false);
      expect(listed.stillSettling).toBeGreaterThanOrEqual(1);
      expect(resolved.map((r) => r.result)).toEqual(['QUEUED', 'TOO_RECENT']);
      expect(again[0]).toMatchObject({ result: 'QUEUED_AGAIN' });
      expect(Messages.map((m) => JSON.parse(m.Body!).eventId)).toEqual([old.message.eventId, old.message.eventId]);
      expect(await mailbox.list({ to: ANN, containing: 'Old doubt' })).toHaveLength(1);
      expect(await records.get(old.noticeId)).toMatchObject({ outcome: 'SENT', settledBy: 'OPERATOR_RESEND', resend: { state: 'SENT', by: OPERATOR } });
      expect((await records.get(old.noticeId))?.inDoubt).toBeUndefined();
      expect(afterResend[0]).toMatchObject({ result: 'ALREADY_RESENT', detail: expect.stringContaining(`SENT, approved by ${OPERATOR}`) });
    });

    it('does not re-send a notice SES has reported on', async () => {
      // Prepare
      const { noticeId } = await uncertainNotice(30, 'Rejected');
      await new DynamoDbNoticeMailEvents(notify.aws.documentClient, notify.provisioned.names.ledgerTable).record(
        noticeId,
        'Reject',
        { at: minutesAgo(29), messageId: 'ses-rejected' },
        String((await records.get(noticeId))?.recipientAddressHash),
      );
      const deps = { notices: records, apologies, purchases: new SqsDeferral(sqsSender, notify.provisioned.names.purchaseQueueUrl), apologyQueue: NO_APOLOGY_QUEUE };

      // Act
      const [outcome] = await resolveUncertain({ noticeIds: [noticeId, 'evt#no-such-notice'] }, deps, { by: OPERATOR, now: new Date(), settleSeconds: 900 });

      // Assess
      expect(outcome).toMatchObject({ result: 'SES_HEARD', detail: 'Reject' });
    });
  });

  it('dlq redrive moves every dead-lettered purchase back to the purchase queue, and says how many', async () => {
    // Prepare
    const { purchaseQueueUrl } = notify.provisioned.names;
    const dlq = [...notify.provisioned.stack.resources.values()].find((r) => r.logicalId.startsWith('NotifyPipelineDeadLetterQueue') && r.type === 'AWS::SQS::Queue')!.outputs.ref;
    await notify.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: purchaseQueueUrl }));
    const bodies = ['a', 'b', 'c'].map((id) => JSON.stringify(purchaseMessageFactory({ eventId: `redrive-${id}-${Date.now()}` })));
    for (const body of bodies) await notify.aws.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: body }));

    // Act
    const report = await redriveDeadLetters(new SqsMessageMover({ client: sqsSender, fromQueueUrl: dlq, toQueueUrl: purchaseQueueUrl }));
    const again = await redriveDeadLetters(new SqsMessageMover({ client: sqsSender, fromQueueUrl: dlq, toQueueUrl: purchaseQueueUrl }));

    // Assess
    expect(report).toEqual({ moved: 3, stoppedAtMax: false });
    expect(again.moved).toBe(0);
    const { Messages = [] } = await notify.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: purchaseQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages.map((m) => m.Body).sort()).toEqual([...bodies].sort());
  });
});
