import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FirstNoticeRegister } from '../ports/first-notices';
import { AuditKeys } from './keys';
import { conditionHeld, expiresAfterDays } from '../../platform/dynamodb/helpers';

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
    const first = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...AuditKeys.firstNotice(key),
            noticeId,
            expiresAt: expiresAfterDays(this.now().getTime(), this.retentionDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (first) return noticeId;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.firstNotice(key), ConsistentRead: true }),
    );
    return typeof Item?.noticeId === 'string' ? Item.noticeId : noticeId;
  }
}
