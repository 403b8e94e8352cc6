import type { SqsJsonClient } from '../commons/clients/sqs-json-client';
import type { ApologyMessage } from '../domain/apology/apology-message';
import { RetryLaterError } from '../commons/errors';
import type { ApologyQueue } from '../ports/apology-queue';

/** SQS takes at most this many messages in one `SendMessageBatch`. */
const SQS_BATCH = 10;

/** The apology queue on SQS (`APOLOGY_QUEUE_URL`). */
export class SqsApologyQueue implements ApologyQueue {
  constructor(
    private readonly client: SqsJsonClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly ApologyMessage[]): Promise<void> {
    const batches: ApologyMessage[][] = [];
    for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        const out = await this.client.sendMessageBatch(
          this.queueUrl,
          batch.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })),
        );
        // The caller saves its cursor only after this returns: a failed entry is enqueued again then.
        if (out.Failed.length > 0) throw new RetryLaterError(`${out.Failed.length} apology message(s) not enqueued: ${out.Failed[0]!.Code}`);
      }),
    );
  }

  async defer(message: ApologyMessage, delaySeconds: number): Promise<void> {
    await this.client.sendMessage({
      QueueUrl: this.queueUrl,
      MessageBody: JSON.stringify(message),
      DelaySeconds: Math.min(Math.max(Math.ceil(delaySeconds), 0), 900),
    });
  }
}
