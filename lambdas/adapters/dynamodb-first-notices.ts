import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FirstNoticeRegister } from '../ports/first-notices';
import { AuditKeys } from './audit-table-keys';

/**
 * The first notice per (address hash, purchase event) in the audit table: a put
 * conditional on the key, so of two notices for one event exactly one is "first".
 * Items expire with the ledger's retention.
 */
export class DynamoDbFirstNotices implements FirstNoticeRegister {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async firstFor(key: string, noticeId: string): Promise<string> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...AuditKeys.firstNotice(key),
            noticeId,
            expiresAt: Math.floor(this.now().getTime() / 1000) + this.retentionDays * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return noticeId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.firstNotice(key), ConsistentRead: true }),
    );
    return typeof Item?.noticeId === 'string' ? Item.noticeId : noticeId;
  }
}
