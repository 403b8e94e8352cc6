import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsClient } from '../../lambdas/platform/aws/sqs-client';
import { createAwsClients, type AwsClients } from '../support/aws-clients';

describe("sqsClient (the functions' SQSClient) against the SQS emulator", () => {
  let aws: AwsClients;
  let queueUrl: string;

  beforeAll(async () => {
    aws = createAwsClients();
    ({ QueueUrl: queueUrl = '' } = await aws.sqs.send(new CreateQueueCommand({ QueueName: `sqs-client-${Date.now().toString(36)}` })));
  });
  afterAll(() => aws?.destroy());

  const receiveAll = async (count: number) => {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    expect(Messages).toHaveLength(count);
    return Messages;
  };

  it('sends a message with text attributes that is read back as sent, astral characters included', async () => {
    // Prepare: the global setup sets AWS_ENDPOINT_URL_SQS, AWS_REGION and the keys, as the local stack does.
    const client = sqsClient();
    const body = JSON.stringify({ giftMessage: 'Für euch 🎁 "alles" Gute' });

    // Act
    const { MessageId } = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: 'INVALID_MESSAGE' }, count: { DataType: 'Number', StringValue: '3' } },
      }),
    );

    // Assess
    const [message] = await receiveAll(1);
    expect(message?.MessageId).toBe(MessageId);
    expect(message?.Body).toBe(body);
    expect(message?.MessageAttributes?.reason?.StringValue).toBe('INVALID_MESSAGE');
    expect(message?.MessageAttributes?.count).toMatchObject({ DataType: 'Number', StringValue: '3' });
  });

  it('sends a batch and tells which entries were taken', async () => {
    // Prepare
    const client = sqsClient();

    // Act
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second' },
        ],
      }),
    );

    // Assess
    expect((sent.Successful ?? []).map((s) => s.Id).sort()).toEqual(['a', 'b']);
    expect(sent.Failed ?? []).toEqual([]);
    expect((await receiveAll(2)).map((m) => m.Body).sort()).toEqual(['first', 'second']);
  });

  it('names the error SQS gives for a queue that does not exist, without retrying it', async () => {
    // Prepare
    const client = sqsClient();

    // Act
    const error = await client.send(new SendMessageCommand({ QueueUrl: `${queueUrl}-missing`, MessageBody: 'x' })).catch((e: unknown) => e);

    // Assess
    expect((error as Error).name).toMatch(/NonExistentQueue|QueueDoesNotExist/);
    expect(error).toMatchObject({ $metadata: { attempts: 1 } });
  });

  it('refuses an answer whose MD5 is not of the body it sent', async () => {
    // Prepare: a server that answers SendMessage with another body's digest.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: '0'.repeat(32) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = sqsClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });

    // Act
    const error = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' })).catch((e: unknown) => e);
    server.close();

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/checksum/i);
  });
});
