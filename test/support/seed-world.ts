import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addressHash } from '../../lambdas/directory/address-hash';
import type { Customer, Registry } from '../../lambdas/directory/facts';

/** Registries (with their item ids), customers and suppressed addresses to put in the tables. */
export interface World {
  readonly registries?: readonly (Registry & { readonly itemIds: readonly string[] })[];
  readonly customers?: readonly Customer[];
  readonly suppressedAddresses?: readonly string[];
}

/** Writes a world into the tables in the item shapes of docs/data-model.md. */
export async function seedWorld(
  client: DynamoDBDocumentClient,
  tables: { registriesTable: string; customersTable: string; suppressionsTable: string },
  world: World,
): Promise<void> {
  const now = new Date().toISOString();
  const puts: { table: string; item: Record<string, unknown> }[] = [];
  for (const { itemIds, ...registry } of world.registries ?? []) {
    puts.push({ table: tables.registriesTable, item: { pk: registry.registryId, sk: 'REGISTRY', ...registry, updatedAt: now } });
    for (const itemId of itemIds) {
      puts.push({
        table: tables.registriesTable,
        item: { pk: registry.registryId, sk: `ITEM#${itemId}`, registryId: registry.registryId, itemId, title: itemId },
      });
    }
  }
  for (const customer of world.customers ?? []) {
    puts.push({ table: tables.customersTable, item: { ...customer, emailHash: addressHash(customer.email), updatedAt: now } });
  }
  for (const address of world.suppressedAddresses ?? []) {
    puts.push({ table: tables.suppressionsTable, item: { emailHash: addressHash(address), reason: 'MANUAL', createdAt: now } });
  }
  for (let i = 0; i < puts.length; i += 25) {
    const chunk = puts.slice(i, i + 25);
    const requestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
    for (const { table, item } of chunk) (requestItems[table] ??= []).push({ PutRequest: { Item: item } });
    await client.send(new BatchWriteCommand({ RequestItems: requestItems }));
  }
}
