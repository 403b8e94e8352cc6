import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImportProgress, ImportProgressStore } from '../ports/import-progress';
import { conditionHeld, expiresAfterDays } from '../../platform/dynamodb/helpers';

export interface DynamoDbImportProgressOptions {
  readonly client: DynamoDBDocumentClient;
  /** `IMPORT_PROGRESS_TABLE` */
  readonly tableName: string;
  /** Days a progress item is kept (TTL `expiresAt`). @default 30 */
  readonly retentionDays?: number;
}

/** Import progress items by `importId` (one per object version), kept 30 days. */
export class DynamoDbImportProgress implements ImportProgressStore {
  constructor(private readonly options: DynamoDbImportProgressOptions) {}

  async start(progress: ImportProgress): Promise<'started' | 'exists'> {
    const started = await conditionHeld(
      this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...progress, expiresAt: expiresAfterDays(Date.parse(progress.startedAt), this.options.retentionDays ?? 30) },
          ConditionExpression: 'attribute_not_exists(importId)',
        }),
      ),
    );
    return started ? 'started' : 'exists';
  }

  async get(importId: string): Promise<ImportProgress | undefined> {
    const { Item } = await this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: { importId }, ConsistentRead: true }));
    return Item as ImportProgress | undefined;
  }

  async advance(from: ImportProgress['position'], to: Pick<ImportProgress, 'importId' | 'state' | 'position' | 'report' | 'updatedAt' | 'erased'>): Promise<'moved' | 'lost'> {
    const moved = await conditionHeld(
      this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { importId: to.importId },
          UpdateExpression: `SET #state = :state, #position = :position, #report = :report, updatedAt = :at${to.erased ? ', #erased = :erased' : ''}`,
          ConditionExpression: '#state = :running AND #position.nextOffset = :fromOffset',
          ExpressionAttributeNames: { '#state': 'state', '#position': 'position', '#report': 'report', ...(to.erased ? { '#erased': 'erased' } : {}) },
          ExpressionAttributeValues: {
            ':state': to.state,
            ':position': to.position,
            ':report': to.report,
            ':at': to.updatedAt,
            ':running': 'RUNNING',
            ':fromOffset': from.nextOffset,
            ...(to.erased ? { ':erased': to.erased } : {}),
          },
        }),
      ),
    );
    return moved ? 'moved' : 'lost';
  }
}
