import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { captureOutput } from '../support/captured-output';
import { lambdaContextFactory } from '../support/lambda-context';
import { Mailbox } from '../support/mailbox';
import { provisionNotifyStack, type ProvisionedNotifyStack } from '../support/notify-stack';
import { seedWorld } from '../support/seed-world';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const ANN = 'annabel@notify-purchaser-text.example.com';
const WORLD = {
  registries: [{ registryId: 'reg-ann', ownerCustomerId: 'cus-ann', status: 'ACTIVE', purchaseNotifications: true, title: 'Annabel & Ben', itemIds: ['item-1'] }],
  customers: [{ customerId: 'cus-ann', email: ANN, locale: 'en', firstName: 'Annabel', notificationsOptOut: false }],
  suppressedAddresses: [],
};

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContextFactory>) => Promise<SQSBatchResponse>;

describe('notify handler: what a purchaser wrote reaches the owner, inert (SQS → DynamoDB Local + SES emulator)', () => {
  let handler: Handler;
  let aws: AwsClients;
  let provisioned: ProvisionedNotifyStack;
  const mailbox = new Mailbox();
  const savedEnv = { ...process.env };
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    output = captureOutput();
    provisioned = await provisionNotifyStack(`pt${Date.now().toString(36)}`);
    aws = createAwsClients();
    await seedWorld(aws.documentClient, provisioned.names, WORLD);
    Object.assign(process.env, provisioned.notifyEnvironment);
    ({ handler } = (await import('../../lambdas/notify/handler')) as unknown as { handler: Handler });
  });

  afterAll(() => {
    output?.restore();
    process.env = savedEnv;
    aws?.destroy();
  });

  it('sends one email for a gift message written as a link and a script: no such link or script in the HTML, the words in the text', async () => {
    // Prepare
    const message = purchaseMessageFactory({
      registryId: 'reg-ann',
      item: { itemId: 'item-1', title: 'Pram', quantity: 1 },
      purchaser: { displayName: '<img src=x>' },
      giftMessage: '<a href="http://x.example">click</a><script>x</script>',
    });

    // Act
    const response = await handler({ Records: [sqsRecordFactory(message)] }, lambdaContextFactory());

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const mails = await mailbox.to(ANN);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.html).not.toMatch(/<a href="http:\/\/x|<script|<img/);
    expect(mail!.text).toContain('<img src=x> bought 1 × “Pram”');
    expect(mail!.text).toContain('> <a href="http꞉∕∕x·example">click</a><script>x</script>');
    const row = await aws.documentClient.send(
      new GetCommand({ TableName: provisioned.names.ledgerTable, Key: { noticeId: `evt#${message.eventId}` } }),
    );
    expect(row.Item).toMatchObject({ outcome: 'SENT', sesMessageId: mail!.messageId });
  });
});
