import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunLease } from '../ports/run-lease';
import { AuditKeys } from './audit-table-keys';

/**
 * A lease in the audit table: a put that succeeds only when no live lease is there.
 * Timeline of two overlapping runs:
 *
 *   run A: acquire ✓ (until T+lease) ───── work ───── release
 *   run B:        acquire ✗ (A's lease live) → does nothing this time
 *
 * A run that dies keeps the lease until it expires (longer than the function's timeout),
 * after which the next run takes it over.
 */
export class DynamoDbRunLease implements RunLease {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly name = 'audit-run',
  ) {}

  async acquire(holder: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...AuditKeys.runLease(this.name),
            holder,
            leaseUntil: until.toISOString(),
            // Let TTL clear long-dead leases; the condition below does not depend on it.
            expiresAt: Math.floor(until.getTime() / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':holder': holder },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: AuditKeys.runLease(this.name),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
