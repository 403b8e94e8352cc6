import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The audit table's record of operator acts that are no incident's: one partition per kind of
 * act (`REVEALS`, `SENDING`), one item per act under `sk` `<KIND>#<at>#<uuid>`, never
 * overwritten, read newest first with one `Query`. The keys, the write and the read of those
 * partitions; what an act holds is its caller's (reveal-records.ts, switch-changes.ts).
 */
export const OperatorActPartition = {
  /** `notice show --reveal`: `REVEAL#<at>#<uuid>`. */
  REVEALS: { pk: 'REVEALS', kind: 'REVEAL' },
  /** `sending pause|resume`: `CHANGE#<at>#<uuid>`. */
  SENDING: { pk: 'SENDING', kind: 'CHANGE' },
} as const;
export type OperatorActPartition = (typeof OperatorActPartition)[keyof typeof OperatorActPartition];

/** Records one act at `at`; a second act at the same instant gets its own item. */
export async function appendOperatorAct(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: OperatorActPartition,
  at: string,
  fields: Record<string, unknown>,
): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk: partition.pk, sk: `${partition.kind}#${at}#${randomUUID()}`, ...fields },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The newest `limit` acts of a partition, newest first, as stored. */
export async function latestOperatorActs(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: OperatorActPartition,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
      ExpressionAttributeValues: { ':pk': partition.pk, ':kind': `${partition.kind}#` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items;
}
