import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type BatchWriteCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
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
