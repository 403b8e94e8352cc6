import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What the raw baseline talks to: the same emulators and tables as the pipeline. */
export interface RawBaselineOptions {
  readonly sqs: SQSClient;
  readonly ses: SESv2Client;
  readonly documentClient: DynamoDBDocumentClient;
  readonly queueUrl: string;
  readonly tables: { readonly registries: string; readonly customers: string; readonly suppressions: string; readonly ledger: string };
  readonly sender: string;
  /** Workers, as the mapping's maximum concurrency. */
  readonly concurrency: number;
  /** Messages per receive, as the mapping's batch size (≤ 10). */
  readonly batchSize: number;
  /** Stop once this many messages were processed (by this process). @default never */
  readonly expected?: number;
  /** Told after each batch how many messages it held. */
  readonly onProcessed?: (count: number) => void;
}

/**
 * The least a notice needs, as plain SDK calls and nothing else: receive a batch, and per
 * message read the registry and item, the owner, the suppression entry, claim the ledger
 * row (conditional put), send the email, mark the row SENT; delete the batch. No Lambda
 * runtime, no Middy, no Powertools, no validation, no guards beyond the reads.
 * Resolves with the number processed.
 *
 * @example
 * await runRawBaseline({ sqs, ses, documentClient, queueUrl, tables, sender, concurrency: 1, batchSize: 10, expected: 500 });
 */
export async function runRawBaseline(options: RawBaselineOptions): Promise<number> {
  let processed = 0;
  const worker = async (): Promise<void> => {
    while (processed < (options.expected ?? Number.POSITIVE_INFINITY)) {
      const { Messages = [] } = await options.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: options.batchSize, WaitTimeSeconds: 1 }),
      );
      if (Messages.length === 0) continue;
      await Promise.all(Messages.map((message) => notice(options, JSON.parse(message.Body ?? '{}') as RawEvent)));
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        }),
      );
      processed += Messages.length;
      options.onProcessed?.(Messages.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return processed;
}

interface RawEvent {
  eventId: string;
  registryId: string;
  item: { itemId: string; title: string };
}

async function notice(options: RawBaselineOptions, event: RawEvent): Promise<void> {
  const { documentClient: db, tables } = options;
  const { Responses } = await db.send(
    new BatchGetCommand({
      RequestItems: {
        [tables.registries]: {
          Keys: [
            { pk: event.registryId, sk: 'REGISTRY' },
            { pk: event.registryId, sk: `ITEM#${event.item.itemId}` },
          ],
        },
      },
    }),
  );
  const registry = Responses?.[tables.registries]?.find((item) => item.sk === 'REGISTRY');
  const owner = await db.send(new GetCommand({ TableName: tables.customers, Key: { customerId: registry?.ownerCustomerId } }));
  const email = String(owner.Item?.email);
  await db.send(new GetCommand({ TableName: tables.suppressions, Key: { emailHash: owner.Item?.emailHash } }));
  const noticeId = `evt#${event.eventId}`;
  await db.send(
    new PutCommand({
      TableName: tables.ledger,
      Item: { noticeId, eventId: event.eventId, registryId: event.registryId, outcome: 'SENDING', decidedAt: new Date().toISOString() },
      ConditionExpression: 'attribute_not_exists(noticeId)',
    }),
  );
  const sent = await options.ses.send(
    new SendEmailCommand({
      FromEmailAddress: options.sender,
      Destination: { ToAddresses: [email] },
      Content: { Simple: { Subject: { Data: 'A gift from your registry' }, Body: { Text: { Data: `Someone bought ${event.item.title}.` } } } },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: tables.ledger,
      Key: { noticeId },
      UpdateExpression: 'SET outcome = :sent, sesMessageId = :id',
      ExpressionAttributeValues: { ':sent': 'SENT', ':id': sent.MessageId ?? '' },
    }),
  );
}
