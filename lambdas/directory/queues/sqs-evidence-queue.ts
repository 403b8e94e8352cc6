import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RetryLaterError } from '../../platform/function-errors';
import { erasureDrainRequestFor, type ErasureDrainFollowUps, type ErasureDrainRequest, type ErasureDrainRequests } from '../erasure-drain-request';
import type { EvidenceQueue, HeldMessage } from '../ports/evidence';

const COUNTS = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

export interface SqsEvidenceQueueOptions {
  readonly client: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /** How long a received message stays hidden: longer than a whole pass, so a crash shows it again by itself. */
  readonly holdSeconds: number;
}

/**
 * A DLQ or a quarantine read whole for an erasure: ReceiveMessage (a short long-poll: a plain
 * short poll may answer empty while messages are there), DeleteMessageBatch,
 * ChangeMessageVisibilityBatch to 0, ten at a time.
 */
export class SqsEvidenceQueue implements EvidenceQueue {
  readonly name: string;

  constructor(private readonly options: SqsEvidenceQueueOptions) {
    this.name = options.queueUrl.slice(options.queueUrl.lastIndexOf('/') + 1);
  }

  async holdsMessages(): Promise<boolean> {
    const a = await this.counts();
    return a.ApproximateNumberOfMessages + a.ApproximateNumberOfMessagesNotVisible + a.ApproximateNumberOfMessagesDelayed > 0;
  }

  async hiddenCount(): Promise<number> {
    const a = await this.counts();
    return a.ApproximateNumberOfMessagesNotVisible + a.ApproximateNumberOfMessagesDelayed;
  }

  private async counts(): Promise<Record<(typeof COUNTS)[number], number>> {
    const { Attributes: a = {} } = await this.options.client.send(new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: [...COUNTS] }));
    return Object.fromEntries(COUNTS.map((name) => [name, Number(a[name] ?? 0)])) as Record<(typeof COUNTS)[number], number>;
  }

  async receive(): Promise<HeldMessage[]> {
    const { Messages: messages = [] } = await this.options.client.send(
      new ReceiveMessageCommand({ QueueUrl: this.options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: this.options.holdSeconds }),
    );
    return messages.flatMap((m) => (m.ReceiptHandle ? [{ receiptHandle: m.ReceiptHandle, body: m.Body ?? '' }] : []));
  }

  async remove(messages: readonly HeldMessage[]): Promise<void> {
    for (const batch of tens(messages)) {
      const { Failed: failed = [] } = await this.options.client.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })) }),
      );
      // Still hidden until the hold ends: the retried pass receives and deletes it then.
      if (failed.length > 0) throw new RetryLaterError(`${this.name} refused to delete ${failed.length} messages: ${failed.map((f) => f.Code).join(', ')}`);
    }
  }

  async release(messages: readonly HeldMessage[]): Promise<void> {
    for (const batch of tens(messages)) {
      // A message not shown again now is shown when its hold ends: nothing to retry for it.
      await this.options.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}

/** The erasure drain queue, as the directory and import functions ask for a drain after an erasure. */
export class SqsErasureDrainRequests implements ErasureDrainRequests {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async request(customerId: string, addressHashes: readonly string[]): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(erasureDrainRequestFor(customerId, addressHashes)) }));
  }
}

/** The erasure drain queue, as the drain sends a request again (`DelaySeconds`, at most 900). */
export class SqsErasureDrainFollowUps implements ErasureDrainFollowUps {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
    /** Delays are cut to this (a test, or a local demo, takes the next request at once and sets its clock instead). */
    private readonly maxDelaySeconds = 900,
  ) {}

  async send(request: ErasureDrainRequest, delaySeconds: number): Promise<void> {
    const DelaySeconds = Math.min(delaySeconds, this.maxDelaySeconds);
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(request), DelaySeconds }));
  }
}

function tens<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 10) out.push(items.slice(i, i + 10));
  return out;
}
