import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CorrectionsCursor, CorrectionsProgress } from '../ports/corrections-cursor';
import { AuditKeys } from './keys';
import { stripUndefined } from '../../platform/dynamodb/helpers';

/** The audit's place in the corrections log: one item of the audit table (`CORRECTIONS` / `progress`). */
export class DynamoDbCorrectionsCursor implements CorrectionsCursor {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<CorrectionsProgress | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: AuditKeys.correctionsProgress, ConsistentRead: true }));
    if (typeof Item?.appliedFrom !== 'string') return undefined;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return { appliedFrom: Item.appliedFrom, appliedBefore: str(Item.appliedBefore), cursor: str(Item.cursor) };
  }

  async save(progress: CorrectionsProgress): Promise<void> {
    // Only one run holds the lease, so a plain put: the last run's place wins.
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...AuditKeys.correctionsProgress, ...stripUndefined(progress) } }));
  }
}
