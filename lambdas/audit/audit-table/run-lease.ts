import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunLease } from '../ports/run-lease';
import { AuditKeys } from './keys';
import { conditionHeld, expiresAfterDays } from '../../platform/dynamodb/helpers';

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

  acquire(holder: string, now: Date, until: Date): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...AuditKeys.runLease(this.name),
            holder,
            leaseUntil: until.toISOString(),
            // Let TTL clear long-dead leases; the condition below does not depend on it.
            expiresAt: expiresAfterDays(until.getTime(), 1),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR holder = :holder',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':holder': holder },
        }),
      ),
    );
  }

  async release(holder: string): Promise<void> {
    await conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: AuditKeys.runLease(this.name),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      ),
    );
  }

  async heldUntil(): Promise<Date | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: AuditKeys.runLease(this.name), ConsistentRead: true }));
    return typeof Item?.leaseUntil === 'string' ? new Date(Item.leaseUntil) : undefined;
  }
}
