import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ApologyMessage } from '../apology-message';
import { RetryLaterError } from '../../platform/function-errors';
import type { ApologyQueue } from '../ports/apology-queue';

/** SQS takes at most this many messages in one `SendMessageBatch`. */
const SQS_BATCH = 10;

/** The apology queue on SQS (`APOLOGY_QUEUE_URL`). */
export class SqsApologyQueue implements ApologyQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly ApologyMessage[]): Promise<void> {
    const batches: ApologyMessage[][] = [];
    for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        const { Failed: failed = [] } = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })) }),
        );
        // The caller saves its cursor only after this returns: a failed entry is enqueued again then.
        if (failed.length > 0) throw new RetryLaterError(`${failed.length} apology message(s) not enqueued: ${failed[0]!.Code}`);
      }),
    );
  }

  async defer(message: ApologyMessage, delaySeconds: number): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(Math.max(Math.ceil(delaySeconds), 0), 900),
      }),
    );
  }
}
