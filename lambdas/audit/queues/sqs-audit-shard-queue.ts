import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { AuditShardQueueError } from '../../platform/function-errors';
import { auditShardMessageFor } from '../audit-shard-message';
import type { AuditShardQueue } from '../ports/audit-shard-queue';

/** The audit queue (SQS): one message per shard, sent ten to a request. */
export class SqsAuditShardQueue implements AuditShardQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async enqueue(states: readonly string[]): Promise<void> {
    for (let i = 0; i < states.length; i += 10) {
      const batch = states.slice(i, i + 10);
      const { Failed: failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((state, n) => ({ Id: String(n), MessageBody: JSON.stringify(auditShardMessageFor(state)) })),
        }),
      );
      if (failed.length > 0) {
        throw new AuditShardQueueError(`the audit queue refused ${failed.length} of ${batch.length} shard messages: ${failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
