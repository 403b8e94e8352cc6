import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../lambdas/adapters/ses-mailer';
import { RecipientNotPlainError } from '../../lambdas/commons/errors';
import { purchaseMessageFactory, sqsRecordFactory } from '../helpers/factories';
import { createAwsClients, type AwsClients } from '../support/aws-clients';
import { captureOutput } from '../support/captured-output';
import { lambdaContextFactory } from '../support/lambda-context';
import { Mailbox } from '../support/mailbox';
import { provisionNotifyStack, type ProvisionedNotifyStack } from '../support/notify-stack';
import { seedWorld } from '../support/seed-world';

// Addresses unique to this file: the SES emulator's mailbox is shared by the run.
const at = (name: string) => `${name}@own-data.example.com`;
const BAD_OWNER_ADDRESSES = {
  'reg-crlf': `${at('pia')}\r\nBcc: ${at('evil')}`,
  'reg-list': `${at('pia')}, ${at('evil')}`,
  'reg-display': `Pia <${at('pia')}>`,
} as const;

const WORLD = {
  registries: Object.keys(BAD_OWNER_ADDRESSES).map((registryId) => ({
    registryId,
    ownerCustomerId: `cus-${registryId}`,
    status: 'ACTIVE',
    purchaseNotifications: true,
    title: 'Pia',
    itemIds: ['item-1'],
  })),
  customers: Object.entries(BAD_OWNER_ADDRESSES).map(([registryId, email]) => ({
    customerId: `cus-${registryId}`,
    email,
    locale: 'en',
    notificationsOptOut: false,
  })),
};

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContextFactory>) => Promise<SQSBatchResponse>;

/** "Our own data is checked before we send from it" (issue 8), through the notify handler and the SES emulator. */
describe('notify handler: our own data is checked before we send from it', () => {
  let handler: Handler;
  let aws: AwsClients;
  let provisioned: ProvisionedNotifyStack;
  const mailbox = new Mailbox();
  const savedEnv = { ...process.env };
  let output: ReturnType<typeof captureOutput>;

  const invoke = (...records: SQSRecord[]) => handler({ Records: records }, lambdaContextFactory());
  const ledgerRow = async (eventId: string) =>
    (await aws.documentClient.send(new GetCommand({ TableName: provisioned.names.ledgerTable, Key: { noticeId: `evt#${eventId}` } }))).Item;
  const mailOfThisFile = async () => (await mailbox.list()).filter((m) => [...m.to, ...m.cc, ...m.bcc].some((a) => a.includes('own-data.example.com')));

  beforeAll(async () => {
    output = captureOutput();
    provisioned = await provisionNotifyStack(`od${Date.now().toString(36)}`);
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

  it.each(Object.keys(BAD_OWNER_ADDRESSES))('blocks an owner address that is not one plain address (%s), and SES gets nothing', async (registryId) => {
    // Prepare
    const message = purchaseMessageFactory({ registryId, item: { itemId: 'item-1', title: `Marker ${registryId}`, quantity: 1 } });

    // Act
    const response = await invoke(sqsRecordFactory(message));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await ledgerRow(message.eventId)).toMatchObject({ outcome: 'BLOCKED', reason: 'OWNER_ADDRESS_INVALID' });
    expect(await ledgerRow(message.eventId)).not.toHaveProperty('recipientAddress');
    expect(await mailbox.list({ containing: `Marker ${registryId}` })).toEqual([]);
    expect(await mailOfThisFile()).toEqual([]);
    // The address is personal data, malformed or not: never in the logs.
    expect(output.text()).not.toContain('pia@');
  });

  it('the SES mailer refuses such a recipient itself, before SES, whatever its caller', async () => {
    // Prepare
    const mailer = new SesMailer({ client: aws.ses, fromAddress: 'gifts@notices.example.com', configurationSetName: 'registry-notices' });

    // Act
    const sending = mailer.send({ to: BAD_OWNER_ADDRESSES['reg-crlf'], subject: 'Marker mailer', html: '<p>x</p>', text: 'x', tags: {} });

    // Assess
    await expect(sending).rejects.toBeInstanceOf(RecipientNotPlainError);
    await expect(sending).rejects.toMatchObject({ reason: 'RECIPIENT_NOT_PLAIN' });
    expect(await mailbox.list({ containing: 'Marker mailer' })).toEqual([]);
    expect(await mailOfThisFile()).toEqual([]);
  });
});
