import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Quarantine, QuarantinedMessage } from '../ports/quarantine';

/**
 * Keeps invalid messages on the quarantine queue (14 days) with their reasons:
 * the body as it came, and the issues both in the JSON envelope and as a message
 * attribute, so an operator can read them without parsing.
 */
export class SqsQuarantine implements Quarantine {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async put(message: QuarantinedMessage): Promise<void> {
    const summary = message.issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({
          reason: 'INVALID_MESSAGE',
          issues: message.issues,
          sourceMessageId: message.sourceMessageId,
          receivedAt: message.receivedAt,
          body: message.body,
        }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: 'INVALID_MESSAGE' },
          issues: { DataType: 'String', StringValue: summary.slice(0, 1024) || '(none)' },
          sourceMessageId: { DataType: 'String', StringValue: message.sourceMessageId },
        },
      }),
    );
  }
}
