import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Deferral } from './deferral';

/**
 * Defers by sending the message again with a delay. A new message starts with a
 * receive count of 0, so a long pause never walks messages into the DLQ; a copy
 * that also survives is harmless, since the ledger decides each eventId once.
 */
export class SqsDeferral implements Deferral {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async defer(body: string, delaySeconds: number): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body, DelaySeconds: Math.min(Math.max(delaySeconds, 0), 900) }));
  }
}
