import { BatchGetItemCommand, ConditionalCheckFailedException, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

// The document client's helpers are in dynamodb-document.ts: lib-dynamodb is not free of side
// effects for esbuild, so importing it here would put it in the notify bundle, which uses none.

type Item = Record<string, unknown>;

/**
 * Plain values as DynamoDB attribute values, `undefined` attributes dropped (as the document
 * client does with `removeUndefinedValues`).
 *
 * @example
 * toAttributes({ pk: 'reg-1', n: 2, gone: undefined }) // { pk: { S: 'reg-1' }, n: { N: '2' } }
 */
export function toAttributes(value: Item): Record<string, AttributeValue> {
  return marshall(value, { removeUndefinedValues: true });
}

/** DynamoDB attribute values as plain values (numbers as numbers). */
export function fromAttributes(item: Record<string, AttributeValue>): Item {
  return unmarshall(item);
}

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
    // The item comes as attribute values whichever client wrote: the document client does not translate errors.
    if (error instanceof ConditionalCheckFailedException) return { written: false, existing: error.Item && fromAttributes(error.Item) };
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
export async function batchGetAll(client: DynamoDBClient, tableName: string, keys: readonly Item[]): Promise<Item[]> {
  if (keys.length > 100) throw new RangeError(`BatchGetItem takes at most 100 keys, got ${keys.length}`);
  const items: Item[] = [];
  let pending = keys.map(toAttributes);
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await backoff(attempt);
    const out = await client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    items.push(...(out.Responses?.[tableName] ?? []).map(fromAttributes));
    pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}

/** The object without its `undefined` attributes. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A TTL attribute value (epoch seconds) `days` after `fromMs`. */
export function expiresAfterDays(fromMs: number, days: number): number {
  return Math.floor(fromMs / 1000) + days * 86_400;
}

/** Waits a little longer after each unprocessed answer of a batch request (50 ms doubling, at most 1 s). */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
}
