import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  QueryCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/**
 * Awaits a conditional write: `true` when it took effect, `false` when its condition
 * failed (the item was there already, or not as expected). Any other error is thrown.
 *
 * @example
 * const written = await conditionHeld(client.send(new PutCommand({ ..., ConditionExpression: 'attribute_not_exists(pk)' })));
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Every item a query matches, page after page. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writes put and delete requests 25 to a `BatchWriteItem`, retrying what comes back unprocessed. */
export async function batchWriteAll(client: DynamoDBDocumentClient, tableName: string, requests: WriteRequests): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let chunk = requests.slice(i, i + 25);
    // BatchWriteItem may hand back throttled items: retry them with a little backoff.
    for (let attempt = 0; chunk.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: chunk } }));
      chunk = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** The object without its `undefined` attributes. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A TTL attribute value (epoch seconds) `days` after `fromMs`. */
export function expiresAfterDays(fromMs: number, days: number): number {
  return Math.floor(fromMs / 1000) + days * 86_400;
}
