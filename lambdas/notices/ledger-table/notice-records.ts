import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NoticeOutcome, ResendState } from '../ledger-entry';
import type { NoticeRecord, NoticeRecords, ResendApproval } from '../ports/notice-records';
import { conditionHeld } from '../../platform/dynamodb/helpers';
import { queryAll } from '../../platform/dynamodb/document';
import { IN_DOUBT_ATTRIBUTE } from './notice-ledger';
import { SES_EVENTS_ATTRIBUTE } from './mail-events';

/** Index names (docs/data-model.md). */
export interface NoticeRecordIndexes {
  /** @default 'byDoubt' */
  readonly doubt?: string;
  /** @default 'byAddress' */
  readonly address?: string;
}

/** The notice ledger for the operator commands: point reads, the doubt and address indexes, the re-send approval. */
export class DynamoDbNoticeRecords implements NoticeRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexes: NoticeRecordIndexes = {},
  ) {}

  async get(noticeId: string): Promise<NoticeRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { noticeId }, ConsistentRead: true }));
    return Item as NoticeRecord | undefined;
  }

  async noticeIdsTo(addressHash: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: this.indexes.address ?? 'byAddress',
      KeyConditionExpression: 'recipientAddressHash = :h',
      ExpressionAttributeValues: { ':h': addressHash },
      ScanIndexForward: false,
    });
    return items.map((i) => String(i.noticeId));
  }

  async inDoubt(): Promise<NoticeRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: this.indexes.doubt ?? 'byDoubt',
      KeyConditionExpression: '#doubt = :doubt',
      ExpressionAttributeNames: { '#doubt': IN_DOUBT_ATTRIBUTE },
      ExpressionAttributeValues: { ':doubt': NoticeOutcome.UNCERTAIN },
    });
    return items as unknown as NoticeRecord[];
  }

  approveResend(noticeId: string, approval: ResendApproval): Promise<boolean> {
    // The one guard against a second re-send: written only where no re-send exists yet.
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { noticeId },
          UpdateExpression: 'SET resend = :resend',
          ConditionExpression:
            'outcome = :uncertain AND attribute_not_exists(resend) AND attribute_not_exists(#events) AND attribute_exists(purchaseMessage) AND settledAt < :before',
          ExpressionAttributeNames: { '#events': SES_EVENTS_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':resend': { state: ResendState.APPROVED, by: approval.by, at: approval.at },
            ':uncertain': NoticeOutcome.UNCERTAIN,
            ':before': approval.inDoubtBefore,
          },
        }),
      ),
    );
  }
}
