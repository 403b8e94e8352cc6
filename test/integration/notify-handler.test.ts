import { ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { addressHash } from '../../lambdas/directory/address-hash';
import { pendingStateFor } from '../../lambdas/notices/ledger-table/audit-shards';
import { dayShardFor } from '../../lambdas/notices/ledger-table/day-shards';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { captureOutput } from '../support/captured-output';
import { lambdaContextFactory } from '../support/lambda-context';
import { Mailbox } from '../support/mailbox';
import { provisionNotifyStack, type ProvisionedNotifyStack } from '../support/notify-stack';
import { seedWorld } from '../support/seed-world';
import { sesProxy, THROTTLED } from '../support/ses-proxy';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const at = (name: string) => `${name}@notify-handler.example.com`;
const ADDR = {
  ann: at('annabel'),
  dora: at('dorothea'),
  carl: at('carl'),
  sue: at('sue'),
  otto: at('otto'),
  sam: at('sam'),
  nora: at('nora'),
};

const WORLD = {
  registries: [
    { registryId: 'reg-ann', ownerCustomerId: 'cus-ann', status: 'ACTIVE', purchaseNotifications: true, title: 'Annabel & Ben', itemIds: ['item-1'] },
    { registryId: 'reg-dora', ownerCustomerId: 'cus-dora', status: 'ACTIVE', purchaseNotifications: true, title: 'Dorotheas Liste', itemIds: ['item-1'] },
    { registryId: 'reg-closed', ownerCustomerId: 'cus-carl', status: 'CLOSED', purchaseNotifications: true, itemIds: ['item-1'] },
    { registryId: 'reg-surprise', ownerCustomerId: 'cus-sue', status: 'ACTIVE', purchaseNotifications: false, itemIds: ['item-1'] },
    { registryId: 'reg-optout', ownerCustomerId: 'cus-otto', status: 'ACTIVE', purchaseNotifications: true, itemIds: ['item-1'] },
    { registryId: 'reg-suppressed', ownerCustomerId: 'cus-sam', status: 'ACTIVE', purchaseNotifications: true, itemIds: ['item-1'] },
    { registryId: 'reg-orphan', ownerCustomerId: 'cus-ghost', status: 'ACTIVE', purchaseNotifications: true, itemIds: ['item-1'] },
  ],
  customers: [
    { customerId: 'cus-ann', email: ADDR.ann, locale: 'en-GB', firstName: 'Annabel', notificationsOptOut: false },
    { customerId: 'cus-dora', email: ADDR.dora, locale: 'de', firstName: 'Dorothea', notificationsOptOut: false },
    { customerId: 'cus-carl', email: ADDR.carl, locale: 'en', notificationsOptOut: false },
    { customerId: 'cus-sue', email: ADDR.sue, locale: 'en', notificationsOptOut: false },
    { customerId: 'cus-otto', email: ADDR.otto, locale: 'en', notificationsOptOut: true },
    { customerId: 'cus-sam', email: ADDR.sam, locale: 'en', notificationsOptOut: false },
    // Has no registry at all: the incident's recipient.
    { customerId: 'cus-nora', email: ADDR.nora, locale: 'en', firstName: 'Nora', notificationsOptOut: false },
  ],
  suppressedAddresses: [ADDR.sam],
};

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContextFactory>) => Promise<SQSBatchResponse>;

describe('notify handler (SQS → DynamoDB Local + SES emulator)', () => {
  let handler: Handler;
  let aws: AwsClients;
  let provisioned: ProvisionedNotifyStack;
  let clientsOfHandler: { dynamoDb: DynamoDBClient };
  // The handler's SES: the emulator, through a proxy that can answer as SES does when it throttles.
  let ses: Awaited<ReturnType<typeof sesProxy>>;
  const mailbox = new Mailbox();
  const savedEnv = { ...process.env };
  let output: ReturnType<typeof captureOutput>;

  const invoke = (...records: SQSRecord[]) => handler({ Records: records }, lambdaContextFactory());
  const ledgerRow = async (eventId: string) =>
    (await aws.documentClient.send(new GetCommand({ TableName: provisioned.names.ledgerTable, Key: { noticeId: `evt#${eventId}` } }))).Item;

  beforeAll(async () => {
    output = captureOutput();
    provisioned = await provisionNotifyStack(`nh${Date.now().toString(36)}`);
    aws = createAwsClients();
    await seedWorld(aws.documentClient, provisioned.names, WORLD);
    // The handler reads its settings at import, exactly as in Lambda: the template's env.
    ses = await sesProxy(inject('emulatorEndpoints').ses);
    Object.assign(process.env, provisioned.notifyEnvironment, { CLAIM_LEASE_SECONDS: '1', KILL_SWITCH_CACHE_SECONDS: '1', AWS_ENDPOINT_URL_SESV2: ses.url });
    ({ handler } = (await import('../../lambdas/notices/notify/handler')) as unknown as { handler: Handler });
    clientsOfHandler = {
      dynamoDb: (await import('../../lambdas/platform/clients/dynamodb')).dynamoDb,
    };
  });

  afterAll(async () => {
    output?.restore();
    process.env = savedEnv;
    aws?.destroy();
    await ses?.close();
  });

  it('sends the owner one notice in their language and records it as SENT', async () => {
    // Prepare
    const message = purchaseMessageFactory({
      registryId: 'reg-ann',
      item: { itemId: 'item-1', title: 'Pram', quantity: 1 },
      purchaser: { displayName: 'Aunt Millicent' },
      giftMessage: 'For the little one',
    });

    // Act
    const response = await invoke(sqsRecordFactory(message));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const mails = await mailbox.to(ADDR.ann);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'gifts@notices.example.com', subject: 'A gift was bought from your registry' });
    expect(mails[0]!.text).toContain('Aunt Millicent bought 1 × “Pram” from your registry “Annabel & Ben”.');
    expect(mails[0]!.html).toContain('href="https://www.example.com/registry/reg-ann"');
    // The owner's signed one-click link, on the stack's unsubscribe endpoint (RFC 8058): a v2 token
    // (sealed claims, then the MAC; docs/unsubscribe.md).
    const unsubscribe = mails[0]!.headers.find((h) => h.name === 'List-Unsubscribe')?.value;
    expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/\?token=v2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}>$/);
    expect(mails[0]!.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const row = await ledgerRow(message.eventId);
    expect(row).toMatchObject({
      outcome: 'SENT',
      recipientCustomerId: 'cus-ann',
      recipientAddress: ADDR.ann,
      locale: 'en',
      template: 'purchase-notice/v1',
      sesMessageId: mails[0]!.messageId,
      // Filed under the shard of the address it went to (lambdas/notices/ledger-table/audit-shards.ts).
      auditState: pendingStateFor(addressHash(ADDR.ann)),
      // And under its day's shard, by the same address (lambdas/notices/ledger-table/day-shards.ts).
      decidedDayShard: expect.stringMatching(/^\d{4}-\d{2}-\d{2}#\d{2}$/),
      expiresAt: expect.any(Number),
    });
    expect(row?.decidedDayShard).toBe(dayShardFor(String(row?.decidedAt), addressHash(ADDR.ann), `evt#${message.eventId}`));
    expect(String(row?.decidedDayShard).slice(0, 10)).toBe(String(row?.decidedAt).slice(0, 10));
    // Not the old one-partition-a-day key: that index is only for rows written before the shards.
    expect(row).not.toHaveProperty('decidedDay');
  });

  it('writes to a German owner in German', async () => {
    // Act
    await invoke(sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-dora', item: { itemId: 'item-1', title: 'Wiege', quantity: 1 } })));

    // Assess
    const [mail] = await mailbox.to(ADDR.dora);
    expect(mail?.subject).toBe('Ein Geschenk von Ihrer Wunschliste wurde gekauft');
    expect(mail?.text).toContain('Hallo Dorothea,');
  });

  describe('guards: nothing is sent and the ledger says which guard said no', () => {
    it.each([
      ['REGISTRY_NOT_FOUND', { registryId: 'reg-nowhere' }, ADDR.nora],
      ['RECIPIENT_MISMATCH', { registryId: 'reg-ann', recipientCustomerId: 'cus-nora' }, ADDR.nora],
      ['REGISTRY_NOT_ACTIVE', { registryId: 'reg-closed' }, ADDR.carl],
      ['OWNER_NOT_FOUND', { registryId: 'reg-orphan' }, ADDR.nora],
      ['NOTIFICATIONS_OFF', { registryId: 'reg-surprise' }, ADDR.sue],
      ['ITEM_NOT_ON_REGISTRY', { registryId: 'reg-ann', item: { itemId: 'item-elsewhere', title: 'Drill', quantity: 1 } }, ADDR.ann],
      ['ADDRESS_OPTED_OUT', { registryId: 'reg-optout' }, ADDR.otto],
      ['ADDRESS_SUPPRESSED', { registryId: 'reg-suppressed' }, ADDR.sam],
    ] as const)('%s', async (reason, overrides, wouldBeRecipient) => {
      // Prepare
      const message = purchaseMessageFactory({ item: { itemId: 'item-1', title: 'Pram', quantity: 1 }, ...overrides });
      const before = (await mailbox.to(wouldBeRecipient)).length;

      // Act
      const response = await invoke(sqsRecordFactory(message));

      // Assess
      expect(response.batchItemFailures).toEqual([]); // decided: the message is deleted
      expect(await ledgerRow(message.eventId)).toMatchObject({ outcome: 'BLOCKED', reason, sender: 'registry-notices' });
      expect(await mailbox.to(wouldBeRecipient)).toHaveLength(before);
    });
  });

  it('quarantines invalid input with its reason, never retries it, and records no notice', async () => {
    // Prepare
    const record = sqsRecordFactory({
      ...purchaseMessageFactory(),
      item: { itemId: 'i', title: 't', quantity: 500 },
      extra: 1,
      [ADDR.nora]: 'smuggled as a field name',
    });

    // Act
    const response = await invoke(record);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: provisioned.names.quarantineQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    const kept = Messages.map((m) => JSON.parse(m.Body!) as { sourceMessageId: string; issues: unknown[]; body: string }).find(
      (m) => m.sourceMessageId === record.messageId,
    );
    expect(kept?.body).toBe(record.body);
    expect(kept?.issues).toEqual(
      expect.arrayContaining([
        { field: 'item.quantity', rule: 'must be at most 99' },
        { field: 'extra', rule: 'is not a field of purchase message v1' },
        { field: ADDR.nora, rule: 'is not a field of purchase message v1' },
      ]),
    );
  });

  it('sends exactly one email for a message delivered twice, and for two copies at the same time', async () => {
    // Prepare
    const redelivered = purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Redelivered', quantity: 1 } });
    const concurrent = purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Concurrent', quantity: 1 } });

    // Act
    await invoke(sqsRecordFactory(redelivered));
    await invoke(sqsRecordFactory(redelivered));
    await Promise.all([invoke(sqsRecordFactory(concurrent)), invoke(sqsRecordFactory(concurrent))]);

    // Assess
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Redelivered' })).toHaveLength(1);
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Concurrent' })).toHaveLength(1);
  });

  it('reports only the throttled record as a batch item failure; the others are not redone, and the retry sends it', async () => {
    // Prepare: SES throttles mail to Dorothea only (the emulator never throttles: the proxy in front of it answers 429).
    const toAnn = sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Batch A', quantity: 1 } }));
    const toDora = sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-dora', item: { itemId: 'item-1', title: 'Batch D', quantity: 1 } }));
    const invalid = sqsRecordFactory('not json');
    ses.refuse = (send) => (send.Destination?.ToAddresses?.includes(ADDR.dora) ? THROTTLED : undefined);

    // Act
    let response: SQSBatchResponse;
    try {
      response = await invoke(toAnn, toDora, invalid);
    } finally {
      ses.refuse = () => undefined;
    }
    const retry = await invoke(toDora); // SQS redelivers only the failed record

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: toDora.messageId }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Batch A' })).toHaveLength(1);
    expect(await mailbox.list({ to: ADDR.dora, containing: 'Batch D' })).toHaveLength(1);
  });

  it('retries only the record whose DynamoDB read was throttled', async () => {
    // Prepare: reads of Dorothea's registry are throttled (DynamoDB Local never throttles).
    const toAnn = sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Ddb A', quantity: 1 } }));
    const toDora = sqsRecordFactory(purchaseMessageFactory({ registryId: 'reg-dora', item: { itemId: 'item-1', title: 'Ddb D', quantity: 1 } }));
    clientsOfHandler.dynamoDb.middlewareStack.add(
      (next) => async (args) => {
        const batch = (args.input as { RequestItems?: Record<string, { Keys?: { pk?: { S?: string } }[] }> }).RequestItems;
        if (Object.values(batch ?? {}).some(({ Keys = [] }) => Keys.some((key) => key.pk?.S === 'reg-dora'))) {
          throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleDoraReads' },
    );

    // Act
    let response: SQSBatchResponse;
    try {
      response = await invoke(toAnn, toDora);
    } finally {
      clientsOfHandler.dynamoDb.middlewareStack.remove('throttleDoraReads');
    }
    const retry = await invoke(toDora);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: toDora.messageId }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Ddb A' })).toHaveLength(1);
    expect(await mailbox.list({ to: ADDR.dora, containing: 'Ddb D' })).toHaveLength(1);
  });

  it('never sends twice when the function dies between the SES call and the ledger write', async () => {
    // Prepare: SES takes the email, then the ledger write "crashes".
    const message = purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Crash', quantity: 1 } });
    const record = sqsRecordFactory(message);
    clientsOfHandler.dynamoDb.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { UpdateExpression?: string };
        if (input.UpdateExpression?.includes(':sent')) throw new Error('simulated crash after SES accepted the email');
        return next(args);
      },
      { step: 'initialize', name: 'crashBeforeMarkSent' },
    );

    // Act
    let first: SQSBatchResponse;
    try {
      first = await invoke(record);
    } finally {
      clientsOfHandler.dynamoDb.middlewareStack.remove('crashBeforeMarkSent');
    }
    await sleep(1_100); // past the claim lease (1 s here; 120 s deployed), as a redelivery after the visibility timeout is
    const redelivery = await invoke(record);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Crash' })).toHaveLength(1);
    expect(await ledgerRow(message.eventId)).toMatchObject({
      outcome: 'UNCERTAIN',
      reason: 'CLAIM_ABANDONED',
      auditState: pendingStateFor(addressHash(ADDR.ann)),
    });
  });

  it('puts records back with a delay while sending is paused, and sends them after the switch is flipped back', async () => {
    // Prepare
    const { PutParameterCommand } = await import('@aws-sdk/client-ssm');
    const flip = (value: string) =>
      aws.ssm.send(new PutParameterCommand({ Name: provisioned.names.killSwitchParameter, Value: value, Overwrite: true, Type: 'String' }));
    const message = purchaseMessageFactory({ registryId: 'reg-ann', item: { itemId: 'item-1', title: 'Paused', quantity: 1 } });
    await flip('true');
    await sleep(1_100); // the switch is cached for KILL_SWITCH_CACHE_SECONDS
    const delayedBefore = await delayedCount();

    // Act
    const whilePaused = await invoke(sqsRecordFactory(message));
    await flip('false');
    await sleep(1_100);
    const afterResume = await invoke(sqsRecordFactory(message));

    // Assess
    expect(whilePaused.batchItemFailures).toEqual([]);
    expect(await delayedCount()).toBe(delayedBefore + 1);
    expect(afterResume.batchItemFailures).toEqual([]);
    expect(await mailbox.list({ to: ADDR.ann, containing: 'Paused' })).toHaveLength(1);
  });

  // Runs last: everything this file made the handler log.
  it('never logs an address, a name or a gift message, in any of the cases above', () => {
    // Prepare
    const logs = output.text();
    const secrets = [...Object.values(ADDR), 'Annabel', 'Dorothea', 'Millicent', 'For the little one', 'Nora'];

    // Assess
    expect(logs).toContain('"message":"purchase notice sent"'); // the logs were captured at all
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });

  async function delayedCount(): Promise<number> {
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: provisioned.names.purchaseQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
  }
});
