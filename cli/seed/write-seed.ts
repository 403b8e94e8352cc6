import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SeedData } from './seed-file';
import { seedItems } from './seed-items';

/** Where the seed goes: the three data tables' physical names. */
export interface SeedTables {
  readonly registries: string;
  readonly customers: string;
  readonly suppressions: string;
}

/** How many items were written to each table. */
export interface SeedCounts {
  readonly registries: number;
  readonly customers: number;
  readonly suppressions: number;
}

/**
 * Writes seed data into the tables (put: an existing item with the same key is replaced),
 * 25 items per BatchWriteItem, retrying unprocessed items.
 *
 * @example
 * await writeSeed(documentClient, tables, readSeedFile('local/demo/seed.json'));
 */
export async function writeSeed(client: DynamoDBDocumentClient, tables: SeedTables, seed: SeedData): Promise<SeedCounts> {
  const items = seedItems(seed, new Date().toISOString());
  await putAll(client, tables.registries, items.registries);
  await putAll(client, tables.customers, items.customers);
  await putAll(client, tables.suppressions, items.suppressions);
  return { registries: items.registries.length, customers: items.customers.length, suppressions: items.suppressions.length };
}

async function putAll(client: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const response = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (response.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (attempt > 8 && requests.length > 0) throw new Error(`${requests.length} items of ${table} stayed unprocessed`);
    }
  }
}
