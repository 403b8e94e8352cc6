import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

type Item = Record<string, unknown>;
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/** What a conditional write did: took effect, or not, with the item as it was when sent with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`. */
export type ConditionalWrite = { readonly written: true } | { readonly written: false; readonly existing: Item | undefined };

/**
 * Awaits a conditional write and tells whether it took effect. When its condition failed,
 * `existing` is the item as it was, if the write asked for it with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` (in the same request: no read needed).
 * Any other error is thrown.
 *
 * @example
 * const write = await conditionalWrite(client.send(new PutCommand({ ..., ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })));
 * if (!write.written) console.log(write.existing?.outcome);
 */
export async function conditionalWrite(write: Promise<unknown>): Promise<ConditionalWrite> {
  try {
    await write;
    return { written: true };
  } catch (error) {
    // The document client does not translate an exception's item: it comes as AttributeValues.
    if (error instanceof ConditionalCheckFailedException) return { written: false, existing: error.Item && unmarshall(error.Item) };
    throw error;
  }
}

/**
 * Awaits a conditional write: `true` when it took effect, `false` when its condition
 * failed (the item was there already, or not as expected). Any other error is thrown.
 *
 * @example
 * const written = await conditionHeld(client.send(new PutCommand({ ..., ConditionExpression: 'attribute_not_exists(pk)' })));
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  return (await conditionalWrite(write)).written;
}

/**
 * Strongly consistent reads of up to 100 keys of one table in one `BatchGetItem`, retrying
 * what comes back unprocessed (throttling) with a little backoff. Items come in no order.
 *
 * @example
 * const items = await batchGetAll(client, 'registries', [{ pk: 'reg-1', sk: 'REGISTRY' }, { pk: 'reg-1', sk: 'ITEM#i-1' }]);
 */
export async function batchGetAll(client: DynamoDBDocumentClient, tableName: string, keys: readonly Item[]): Promise<Item[]> {
  if (keys.length > 100) throw new RangeError(`BatchGetItem takes at most 100 keys, got ${keys.length}`);
  const items: Item[] = [];
  let pending: Item[] = [...keys];
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await backoff(attempt);
    const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    items.push(...(out.Responses?.[tableName] ?? []));
    pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
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

/** The object without its `undefined` attributes. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A TTL attribute value (epoch seconds) `days` after `fromMs`. */
export function expiresAfterDays(fromMs: number, days: number): number {
  return Math.floor(fromMs / 1000) + days * 86_400;
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
}
