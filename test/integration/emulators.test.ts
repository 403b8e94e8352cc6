import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteSuppressedDestinationCommand,
  GetAccountCommand,
  GetSuppressedDestinationCommand,
  NotFoundException,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GetParameterError, ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { emulatorEnv, LOCAL_AWS_REGION, LOCAL_CREDENTIALS, PortInUseError, RestartableSes, startEmulators } from '@registry-notices/local-stack';
import { createAwsClients } from '../support/aws-clients';
import { Mailbox } from '../support/mailbox';

const aws = createAwsClients();
const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

afterAll(() => aws.destroy());

describe('SQS emulator (fauxqs)', () => {
  it('hands out queue URLs on its own endpoint, so env-configured clients reach it', async () => {
    // Act
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: unique('url') }));

    // Assess
    expect(new URL(QueueUrl ?? '').origin).toBe(inject('emulatorEndpoints').sqs);
  });

  it('delivers a sent message, with its attributes, to a receiver', async () => {
    // Prepare
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: unique('purchases') }));

    // Act
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"eventId":"e-1"}',
        MessageAttributes: { source: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
    );

    // Assess
    expect(Messages).toHaveLength(1);
    expect(Messages?.[0]?.Body).toBe('{"eventId":"e-1"}');
    expect(Messages?.[0]?.MessageAttributes?.source?.StringValue).toBe('test');
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
  });

  it('accepts astral characters (emoji) in a body as SQS does, single and batched, and still refuses a lone surrogate', async () => {
    // Prepare: fauxqs 2.4.1 refused these; patches/fauxqs+2.4.1.patch carries the upstream fix
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: unique('emoji') }));
    const body = JSON.stringify({ giftMessage: 'Alles Gute 🎁🎉 von 𝒜nna 👩‍👩‍👧' });

    // Act
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const batch = await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'b1', MessageBody: body }] }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const lone = await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'half a pair \uD83C' })).then(
      () => 'accepted',
      (error: unknown) => error,
    );

    // Assess
    expect(batch.Failed ?? []).toEqual([]);
    expect(Messages.map((m) => m.Body)).toEqual([body, body]);
    // fauxqs names it by its query-protocol code (AWS.SimpleQueueService.InvalidMessageContents), so no SDK class.
    expect(lone).toMatchObject({ name: expect.stringMatching(/InvalidMessageContents$/) });
  });
});

describe('DynamoDB emulator (DynamoDB Local)', () => {
  it('returns an item that was put into a new table', async () => {
    // Prepare
    const TableName = unique('registries');
    await aws.dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      }),
    );

    // Act
    await aws.documentClient.send(
      new PutCommand({ TableName, Item: { pk: 'reg-1', sk: 'REGISTRY', status: 'ACTIVE', note: undefined } }),
    );
    const { Item } = await aws.documentClient.send(new GetCommand({ TableName, Key: { pk: 'reg-1', sk: 'REGISTRY' } }));

    // Assess
    expect(Item).toEqual({ pk: 'reg-1', sk: 'REGISTRY', status: 'ACTIVE' });
  });
});

describe('SES v2 emulator (aws-ses-v2-local)', () => {
  it('puts a sent email in the mailbox, findable by its recipient', async () => {
    // Prepare
    const recipient = `${unique('owner')}@example.com`;
    const mailbox = new Mailbox();

    // Act
    const { MessageId } = await aws.ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'Registry Notices <notices@example.com>',
        Destination: { ToAddresses: [`Owner <${recipient.toUpperCase()}>`] },
        Content: {
          Simple: {
            Subject: { Data: 'A gift was purchased from your registry' },
            Body: { Html: { Data: '<p>Hello</p>' }, Text: { Data: 'Hello' } },
            Headers: [{ Name: 'List-Unsubscribe', Value: '<https://example.com/u>' }],
          },
        },
      }),
    );
    const received = await mailbox.to(recipient);

    // Assess
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      messageId: MessageId,
      from: 'Registry Notices <notices@example.com>',
      subject: 'A gift was purchased from your registry',
      html: '<p>Hello</p>',
      text: 'Hello',
      headers: [{ name: 'List-Unsubscribe', value: '<https://example.com/u>' }],
    });
  });

  it('reports a sending quota through GetAccount', async () => {
    // Act
    const account = await aws.ses.send(new GetAccountCommand({}));

    // Assess
    expect(account.SendQuota?.MaxSendRate).toBeGreaterThan(0);
    expect(account.SendingEnabled).toBe(true);
  });

  it('keeps an account suppression list as SES does: put, read, delete, and NotFoundException for an address not on it', async () => {
    // Prepare
    const address = `${unique('suppressed')}@example.com`;
    await aws.ses.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: 'BOUNCE' }));

    // Act
    const listed = await aws.ses.send(new GetSuppressedDestinationCommand({ EmailAddress: address.toUpperCase() }));
    await aws.ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }));

    // Assess
    expect(listed.SuppressedDestination).toMatchObject({ EmailAddress: address, Reason: 'BOUNCE' });
    await expect(aws.ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(aws.ses.send(new GetSuppressedDestinationCommand({ EmailAddress: address }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('empties the mailbox on clear', async () => {
    // Prepare: an SES emulator of its own, as clearing the run's would empty every other file's mailbox.
    const own = await RestartableSes.start();
    const ses = new SESv2Client({ endpoint: own.url, region: LOCAL_AWS_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const mailbox = new Mailbox(own.url);
      const recipient = `${unique('cleared')}@example.com`;
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'notices@example.com',
          Destination: { ToAddresses: [recipient] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'x' } } } },
        }),
      );
      expect(await mailbox.to(recipient)).toHaveLength(1);

      // Act
      await mailbox.clear();

      // Assess
      expect(await mailbox.list()).toEqual([]);
    } finally {
      ses.destroy();
      await own.stop();
    }
  });
});

describe('SSM emulator', () => {
  it('stores a parameter and returns it with its version', async () => {
    // Prepare
    const Name = `/registry-notices/${unique('test')}/sending-paused`;

    // Act
    const put = await aws.ssm.send(new PutParameterCommand({ Name, Value: 'false', Type: 'String' }));
    const { Parameter } = await aws.ssm.send(new GetParameterCommand({ Name }));

    // Assess
    expect(put.Version).toBe(1);
    expect(Parameter).toMatchObject({ Name, Value: 'false', Type: 'String', Version: 1 });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('refuses to overwrite without Overwrite, and bumps the version with it', async () => {
    // Prepare
    const Name = `/registry-notices/${unique('test')}/sending-paused`;
    await aws.ssm.send(new PutParameterCommand({ Name, Value: 'false', Type: 'String' }));

    // Act
    const refused = aws.ssm.send(new PutParameterCommand({ Name, Value: 'true', Type: 'String' }));
    const overwritten = await refused.catch(() =>
      aws.ssm.send(new PutParameterCommand({ Name, Value: 'true', Overwrite: true })),
    );
    const { Parameter } = await aws.ssm.send(new GetParameterCommand({ Name }));

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ParameterAlreadyExists);
    expect(overwritten.Version).toBe(2);
    expect(Parameter).toMatchObject({ Value: 'true', Type: 'String', Version: 2 });
  });

  it('answers ParameterNotFound for a missing or deleted parameter', async () => {
    // Prepare
    const Name = `/registry-notices/${unique('test')}/gone`;
    await aws.ssm.send(new PutParameterCommand({ Name, Value: 'x', Type: 'String' }));

    // Act: both settled together, so neither rejection waits unhandled while the other is awaited
    await aws.ssm.send(new DeleteParameterCommand({ Name }));
    const [get, deleteAgain] = await Promise.allSettled([
      aws.ssm.send(new GetParameterCommand({ Name })),
      aws.ssm.send(new DeleteParameterCommand({ Name })),
    ]);

    // Assess
    expect(get).toMatchObject({ status: 'rejected', reason: expect.any(ParameterNotFound) });
    expect(deleteAgain).toMatchObject({ status: 'rejected', reason: expect.any(ParameterNotFound) });
  });

  it('returns found and missing names separately from GetParameters', async () => {
    // Prepare
    const present = `/registry-notices/${unique('test')}/present`;
    const missing = `/registry-notices/${unique('test')}/missing`;
    await aws.ssm.send(new PutParameterCommand({ Name: present, Value: 'yes', Type: 'String' }));

    // Act
    const result = await aws.ssm.send(new GetParametersCommand({ Names: [present, missing] }));

    // Assess
    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([[present, 'yes']]);
    expect(result.InvalidParameters).toEqual([missing]);
  });

  it('hides a SecureString value unless decryption is asked for, like real SSM', async () => {
    // Prepare
    const Name = `/registry-notices/${unique('test')}/secret`;
    await aws.ssm.send(new PutParameterCommand({ Name, Value: 's3cret', Type: 'SecureString' }));

    // Act
    const encrypted = await aws.ssm.send(new GetParameterCommand({ Name }));
    const decrypted = await aws.ssm.send(new GetParameterCommand({ Name, WithDecryption: true }));

    // Assess
    expect(encrypted.Parameter?.Value).not.toBe('s3cret');
    expect(decrypted.Parameter?.Value).toBe('s3cret');
  });

  it("serves Powertools' getParameter, including not-found errors", async () => {
    // Prepare: Powertools builds its own client from the env the global setup exported
    const Name = `/registry-notices/${unique('test')}/sending-paused`;
    await aws.ssm.send(new PutParameterCommand({ Name, Value: 'true', Type: 'String' }));
    const missing = `/registry-notices/${unique('test')}/missing`;

    // Act: the two failures settled together, so neither waits unhandled while the other is awaited
    const value = await getParameter(Name, { forceFetch: true });
    const [notFound, failed] = await Promise.allSettled([
      getParameter(missing, { forceFetch: true, throwOnMissing: true }),
      getParameter(missing, { forceFetch: true }),
    ]);

    // Assess
    expect(value).toBe('true');
    expect(notFound).toMatchObject({ status: 'rejected', reason: expect.any(ParameterNotFoundError) });
    expect(failed).toSatisfy(
      (result: PromiseSettledResult<unknown>) =>
        result.status === 'rejected' && result.reason instanceof GetParameterError && result.reason.cause instanceof ParameterNotFound,
    );
  });
});

describe('emulatorEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('points SDK clients built with no configuration at every emulator', async () => {
    // Prepare: an environment holding nothing AWS-related but what emulatorEnv returns
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('AWS_'))) vi.stubEnv(key, undefined);
    for (const [key, value] of Object.entries(emulatorEnv(inject('emulatorEndpoints')))) vi.stubEnv(key, value);
    const clients = [new SQSClient(), new SESv2Client(), new DynamoDBClient(), new SSMClient()] as const;
    const [sqs, ses, dynamodb, ssm] = clients;

    try {
      // Act
      const results = await Promise.allSettled([
        sqs.send(new CreateQueueCommand({ QueueName: unique('env') })).then(({ QueueUrl }) =>
          // A QueueUrl call: the SDK sends it to the QueueUrl's host when no explicit endpoint is set.
          sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })),
        ),
        ses.send(new GetAccountCommand({})),
        dynamodb.send(new ListTablesCommand({})),
        ssm.send(new GetParameterCommand({ Name: `/${unique('probe')}` })),
      ]);

      // Assess
      expect(results.slice(0, 3).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(results[3]).toMatchObject({ status: 'rejected', reason: expect.any(ParameterNotFound) });
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe('startEmulators', () => {
  it('fails naming the emulator, the port and the override when a port is taken', async () => {
    // Prepare
    const squatter = await listenOnFreePort();
    const port = (squatter.address() as { port: number }).port;

    try {
      // Act
      const start = startEmulators({ ports: { sqs: 0, ses: 0, dynamodb: port, ssm: 0, kms: 0 } });

      // Assess
      await expect(start).rejects.toSatisfy(
        (error) =>
          error instanceof PortInUseError &&
          error.emulator === 'dynamodb' &&
          error.port === port &&
          error.message.includes(`Port ${port}`) &&
          error.message.includes('EMULATOR_PORT_DYNAMODB'),
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
