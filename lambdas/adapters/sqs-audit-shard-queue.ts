import { AuditShardQueueError } from '../commons/errors';
import type { SqsJsonClient } from '../commons/clients/sqs-json-client';
import { auditShardMessageFor } from '../domain/audit/audit-shard-message';
import type { AuditShardQueue } from '../ports/audit-shard-queue';

/** The audit queue (SQS): one message per shard, sent ten to a request. */
export class SqsAuditShardQueue implements AuditShardQueue {
  constructor(
    private readonly client: SqsJsonClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(states: readonly string[]): Promise<void> {
    for (let i = 0; i < states.length; i += 10) {
      const batch = states.slice(i, i + 10);
      const out = await this.client.sendMessageBatch(
        this.queueUrl,
        batch.map((state, n) => ({ Id: String(n), MessageBody: JSON.stringify(auditShardMessageFor(state)) })),
      );
      if (out.Failed.length > 0) {
        throw new AuditShardQueueError(`the audit queue refused ${out.Failed.length} of ${batch.length} shard messages: ${out.Failed.map((f) => f.Code).join(', ')}`);
      }
    }
  }
}
