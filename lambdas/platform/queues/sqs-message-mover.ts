import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageMover } from './message-mover';

export interface SqsMessageMoverOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly fromQueueUrl: string;
  readonly toQueueUrl: string;
  /**
   * How long a received message stays hidden while it is moved; one that could not be sent
   * is back on the source after this.
   *
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * Moves messages between SQS queues by receive → send → delete, ten at a time, bodies and
 * message attributes as they are. Hand-written instead of SQS's `StartMessageMoveTask`,
 * which moves asynchronously (an exact count only by polling the task afterwards) and which
 * the SQS emulator does not implement: this way the same code runs locally and on AWS.
 * A message is deleted from the source only once the target has it, so a crash in between
 * leaves a copy on each: harmless for purchases, whose ledger row makes a second delivery
 * a no-op.
 */
export class SqsMessageMover implements MessageMover {
  constructor(private readonly options: SqsMessageMoverOptions) {}

  async moveBatch(limit: number): Promise<number> {
    const { client, fromQueueUrl, toQueueUrl } = this.options;
    const { Messages: messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: fromQueueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, limit)),
        // A short long-poll: a plain short poll may answer empty while messages are there.
        WaitTimeSeconds: 1,
        VisibilityTimeout: this.options.visibilityTimeoutSeconds ?? 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) return 0;
    const { Successful: sent = [] } = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: toQueueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length > 0 ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    );
    const moved = sent.map((s) => messages[Number(s.Id)]).filter((m) => m !== undefined);
    if (moved.length > 0) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: fromQueueUrl,
          Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    return moved.length;
  }
}
