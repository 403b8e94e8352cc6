import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One message sent, or refused by SQS. */
export interface SentEvent {
  readonly index: number;
  readonly messageId?: string;
  readonly error?: string;
}

/**
 * Sends message bodies to the purchase queue, ten per SendMessageBatch, in order.
 * Equivalent, per body, to `aws sqs send-message --queue-url <url> --message-body file://event.json`.
 *
 * @example
 * const sent = await sendPurchaseEvents(sqs, queueUrl, readPurchaseEvents('events.json'));
 * sent.filter((s) => s.error).length // 0
 */
export async function sendPurchaseEvents(client: SQSClient, queueUrl: string, bodies: readonly string[]): Promise<SentEvent[]> {
  const results: SentEvent[] = [];
  for (let start = 0; start < bodies.length; start += 10) {
    const chunk = bodies.slice(start, start + 10);
    const response = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, offset) => ({ Id: String(start + offset), MessageBody: body })),
      }),
    );
    for (const ok of response.Successful ?? []) results.push({ index: Number(ok.Id), messageId: ok.MessageId ?? '' });
    for (const failed of response.Failed ?? []) {
      results.push({ index: Number(failed.Id), error: `${failed.Code}: ${failed.Message ?? ''}` });
    }
  }
  return results.sort((a, b) => a.index - b.index);
}
