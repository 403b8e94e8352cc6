import { createHash } from 'node:crypto';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineEnvelope } from '../../lambdas/platform/queues/sqs-quarantine';
import { SQS_MAX_MESSAGE_BYTES } from '../../lambdas/platform/sqs-limits';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { startNotifyHandler, type NotifyHandlerHarness } from '../support/notify-handler-harness';

const OWNER = 'hostile-owner@notify-hostile.example.com';
const WORLD = {
  registries: [{ registryId: 'reg-h', ownerCustomerId: 'cus-h', status: 'ACTIVE', purchaseNotifications: true, title: 'H', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-h', email: OWNER, locale: 'en', firstName: 'Hedda', notificationsOptOut: false }],
  suppressedAddresses: [],
};

describe('notify handler with hostile input and fast clocks (real SQS emulator)', () => {
  let h: NotifyHandlerHarness;
  let purchaseQueueArn: string;

  beforeAll(async () => {
    h = await startNotifyHandler(`nhx${Date.now().toString(36)}`, WORLD);
    const { Attributes } = await h.aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: h.provisioned.names.purchaseQueueUrl, AttributeNames: ['QueueArn'] }));
    purchaseQueueArn = Attributes!.QueueArn!;
  });

  afterAll(() => h?.close());

  const quarantined = async (): Promise<{ envelope: QuarantineEnvelope; attributes: Record<string, string | undefined> }[]> => {
    const { Messages = [] } = await h.aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: h.provisioned.names.quarantineQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    for (const m of Messages) await h.aws.sqs.send(new DeleteMessageCommand({ QueueUrl: h.provisioned.names.quarantineQueueUrl, ReceiptHandle: m.ReceiptHandle! }));
    return Messages.map((m) => ({
      envelope: JSON.parse(m.Body!) as QuarantineEnvelope,
      attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue])),
    }));
  };

  it('takes a 1 MiB invalid body on the purchase queue and keeps it in the quarantine with its reason, size and hash', async () => {
    // Prepare: 1 MiB of quotes, which the envelope's JSON escaping doubles.
    const body = '"'.repeat(SQS_MAX_MESSAGE_BYTES);
    await h.aws.sqs.send(new SendMessageCommand({ QueueUrl: h.provisioned.names.purchaseQueueUrl, MessageBody: body }));
    const { Messages = [] } = await h.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: h.provisioned.names.purchaseQueueUrl, WaitTimeSeconds: 1 }));
    const received = Messages[0]!;
    await h.aws.sqs.send(new DeleteMessageCommand({ QueueUrl: h.provisioned.names.purchaseQueueUrl, ReceiptHandle: received.ReceiptHandle! }));

    // Act
    const response = await h.invoke(sqsRecordFactory(received.Body!, { messageId: received.MessageId!, eventSourceARN: purchaseQueueArn }));

    // Assess
    expect(received.Body).toHaveLength(SQS_MAX_MESSAGE_BYTES);
    expect(response.batchItemFailures).toEqual([]); // kept, so never retried into the DLQ
    const [kept] = await quarantined();
    expect(kept?.envelope).toMatchObject({
      reason: 'INVALID_MESSAGE',
      source: purchaseQueueArn.split(':').at(-1),
      sourceMessageId: received.MessageId,
      issues: [{ field: '(body)', rule: 'must be at most 16384 bytes' }],
      bodyTruncated: true,
      bodyBytes: SQS_MAX_MESSAGE_BYTES,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
    expect(body.startsWith(kept!.envelope.body)).toBe(true);
    expect(kept!.envelope.body.length).toBeGreaterThan(500_000);
    expect(kept?.attributes).toMatchObject({ reason: 'INVALID_MESSAGE', issues: '(body): must be at most 16384 bytes' });
  });

  it('quarantines field names a producer chose (a name, U+202E, a lone surrogate) as they were, and logs them masked', async () => {
    // Prepare: the JSON text escapes them, as a producer's serializer would.
    const json = JSON.stringify({ ...purchaseMessageFactory({ registryId: 'reg-h' }), 'Hedda lost the baby': 1, 'gift\u202Etxt': 2 });
    const record = sqsRecordFactory(`${json.slice(0, -1)},"\\ud800x":3}`, { eventSourceARN: purchaseQueueArn });

    // Act
    const response = await h.invoke(record);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [kept] = await quarantined();
    expect(kept?.envelope.issues.map((i) => i.field).sort()).toEqual(['\ud800x', 'Hedda lost the baby', 'gift\u202Etxt'].sort());
    expect(kept?.attributes.issues).not.toMatch(/[\ud800-\udfff]/); // the lone surrogate became U+FFFD
    const logs = h.output();
    expect(logs).toContain('"message":"invalid record quarantined"');
    for (const secret of ['Hedda lost the baby', 'gift\u202Etxt', 'gift\\u202etxt']) expect(logs).not.toContain(secret);
  });

  it('puts a purchase 6 minutes ahead of our clock back on the queue with a delay, records nothing, and quarantines nothing', async () => {
    // Prepare
    const message = purchaseMessageFactory({
      registryId: 'reg-h',
      item: { itemId: 'item-1', title: 'Early', quantity: 1 },
      purchasedAt: new Date(Date.now() + 6 * 60_000).toISOString(),
    });
    const delayed = async () =>
      Number(
        (await h.aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: h.provisioned.names.purchaseQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] })))
          .Attributes?.ApproximateNumberOfMessagesDelayed ?? 0,
      );
    const before = await delayed();

    // Act
    const response = await h.invoke(sqsRecordFactory(message, { eventSourceARN: purchaseQueueArn }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await delayed()).toBe(before + 1);
    expect(await h.ledgerRow(message.eventId)).toBeUndefined();
    expect(await quarantined()).toEqual([]);
    expect(h.output()).toContain('"DeferredClockAhead"');
  });
});
