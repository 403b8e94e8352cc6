import { createHash } from 'node:crypto';
import { AwsCallError } from '../errors';
import { lazyAwsJsonCall, type AwsJsonCall, type AwsJsonCallOptions } from './aws-json-call';

/** A message attribute as our functions send them: text (`String`, `Number`), never binary. */
export interface SqsTextAttribute {
  readonly DataType: 'String' | 'Number';
  readonly StringValue: string;
}

/** `SendMessage`'s request, as SQS's JSON protocol names it (the SDK's `SendMessageRequest`, text attributes only). */
export interface SqsSendMessageInput {
  readonly QueueUrl: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageAttributes?: Readonly<Record<string, SqsTextAttribute>>;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

/** One entry of `SendMessageBatch`. */
export interface SqsBatchEntry extends Omit<SqsSendMessageInput, 'QueueUrl'> {
  readonly Id: string;
}

/** `SendMessageBatch`'s answer: which entries SQS took, and which it refused and why. */
export interface SqsSendMessageBatchOutput {
  readonly Successful: readonly { readonly Id: string; readonly MessageId: string }[];
  readonly Failed: readonly { readonly Id: string; readonly Code: string; readonly SenderFault: boolean; readonly Message?: string }[];
}

/** A message as `ReceiveMessage` hands it out (the fields a mover needs). */
export interface SqsReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly MessageAttributes?: Readonly<Record<string, SqsTextAttribute>>;
}

/** `ReceiveMessage`'s request, as SQS's JSON protocol names it. */
export interface SqsReceiveMessageInput {
  readonly QueueUrl: string;
  readonly MaxNumberOfMessages?: number;
  readonly WaitTimeSeconds?: number;
  readonly VisibilityTimeout?: number;
  readonly MessageAttributeNames?: readonly string[];
}

/**
 * Sends SQS messages over SQS's JSON protocol ({@link awsJsonCall}): the only SQS calls our
 * functions make (quarantine, deferral, fan-out), without the 24 KB `SQSClient`. Like the SDK,
 * it checks the MD5 digest SQS returns of each body it stored. The operator's `dlq redrive`
 * also receives and deletes (`receiveMessage`, `deleteMessageBatch`). The call is set up on first
 * use, so importing this module needs no environment.
 *
 * @example
 * await new SqsJsonClient().sendMessage({ QueueUrl: url, MessageBody: '{}' }); // { MessageId: '...' }
 */
export class SqsJsonClient {
  private readonly sqs: AwsJsonCall;

  constructor(options: AwsJsonCallOptions = {}) {
    this.sqs = lazyAwsJsonCall({ service: 'sqs', targetPrefix: 'AmazonSQS', jsonVersion: '1.0' }, options);
  }

  async sendMessage(input: SqsSendMessageInput): Promise<{ readonly MessageId: string }> {
    const answer = (await this.sqs('SendMessage', input)) as { MessageId?: string; MD5OfMessageBody?: string };
    checkDigest('SendMessage', input.MessageBody, answer.MD5OfMessageBody);
    return { MessageId: String(answer.MessageId) };
  }

  async sendMessageBatch(queueUrl: string, entries: readonly SqsBatchEntry[]): Promise<SqsSendMessageBatchOutput> {
    const answer = (await this.sqs('SendMessageBatch', { QueueUrl: queueUrl, Entries: entries })) as {
      Successful?: { Id: string; MessageId: string; MD5OfMessageBody?: string }[];
      Failed?: SqsSendMessageBatchOutput['Failed'];
    };
    const bodies = new Map(entries.map((e) => [e.Id, e.MessageBody]));
    for (const sent of answer.Successful ?? []) checkDigest('SendMessageBatch', bodies.get(sent.Id) ?? '', sent.MD5OfMessageBody);
    return {
      Successful: (answer.Successful ?? []).map(({ Id, MessageId }) => ({ Id, MessageId })),
      Failed: answer.Failed ?? [],
    };
  }

  async receiveMessage(input: SqsReceiveMessageInput): Promise<readonly SqsReceivedMessage[]> {
    const answer = (await this.sqs('ReceiveMessage', input)) as { Messages?: (SqsReceivedMessage & { MD5OfBody?: string })[] };
    return (answer.Messages ?? []).map(({ MessageId, ReceiptHandle, Body, MessageAttributes, MD5OfBody }) => {
      if (MD5OfBody !== undefined) checkDigest('ReceiveMessage', Body, MD5OfBody);
      return { MessageId, ReceiptHandle, Body, ...(MessageAttributes ? { MessageAttributes } : {}) };
    });
  }

  async deleteMessageBatch(queueUrl: string, entries: readonly { readonly Id: string; readonly ReceiptHandle: string }[]): Promise<SqsSendMessageBatchOutput['Failed']> {
    const answer = (await this.sqs('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: entries })) as { Failed?: SqsSendMessageBatchOutput['Failed'] };
    return answer.Failed ?? [];
  }
}

function checkDigest(operation: string, body: string, md5: string | undefined): void {
  if (md5 !== createHash('md5').update(body, 'utf8').digest('hex')) {
    throw new AwsCallError('sqs', operation, 'ChecksumMismatch', false);
  }
}
