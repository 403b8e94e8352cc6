import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type BatchWriteCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { backoff } from './helpers';

type Item = Record<string, unknown>;
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/**
 * The document client the audit's adapters use, over a function's DynamoDB client. The notify
 * path (directories, notice ledger) uses the client itself with `toAttributes`: the
 * document client is 7 KB of a bundle the notify function does not need.
 */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
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
      if (attempt > 0) await backoff(attempt);
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: chunk } }));
      chunk = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/**
 * Strongly consistent reads of any number of keys of one table, 100 to a `BatchGetItem` (side
 * by side), retrying what comes back unprocessed. Items come in no order; absent keys bring none.
 *
 * @example
 * const items = await batchGetDocuments(client, 'audit', keys);
 */
export async function batchGetDocuments(client: DynamoDBDocumentClient, tableName: string, keys: readonly Item[]): Promise<Item[]> {
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Item[] = [];
      let pending: Item[] = chunk;
      // BatchGetItem may hand back throttled keys: ask again for those with a little backoff.
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0) await backoff(attempt);
        const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
        items.push(...(out.Responses?.[tableName] ?? []));
        pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
      return items;
    }),
  );
  return pages.flat();
}
