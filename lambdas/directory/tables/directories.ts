import { GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Customer, Registry } from '../facts';
import type { CustomerDirectory, RegistryDirectory, RegistryOwners } from '../ports/directories';
import { batchGetAll, fromAttributes, toAttributes } from '../../platform/dynamodb/helpers';

/** Sort key of the registry item itself, beside its `ITEM#<itemId>` items. */
export const REGISTRY_SK = 'REGISTRY';
export const itemSk = (itemId: string): string => `ITEM#${itemId}`;

/** Registries and their items from the registries table (see docs/data-model.md). */
export class DynamoDbRegistryDirectory implements RegistryDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getRegistryWithItem(registryId: string, itemId: string): Promise<{ registry: Registry | undefined; itemOnRegistry: boolean }> {
    // One BatchGetItem for both (one request, one round trip), strongly consistent: a
    // registry closed a moment ago must already count as closed.
    const item = itemSk(itemId);
    const found = await batchGetAll(this.client, this.tableName, [
      { pk: registryId, sk: REGISTRY_SK },
      { pk: registryId, sk: item },
    ]);
    const registry = found.find((i) => i.sk === REGISTRY_SK);
    return {
      registry: registry ? toRegistry(registry) : undefined,
      itemOnRegistry: found.some((i) => i.sk === item),
    };
  }
}

/**
 * Registry owners from the registries table's sparse GSI `byOwner` (partition
 * `ownerCustomerId`, keys only): only registry items carry `ownerCustomerId`, so the index
 * holds registries, never their items. One `Query` of at most one key per customer.
 * A GSI is eventually consistent: a registry created a moment ago may not show yet.
 */
export class DynamoDbRegistryOwners implements RegistryOwners {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly indexName = 'byOwner',
  ) {}

  async ownsARegistry(customerId: string): Promise<boolean> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: this.indexName,
        KeyConditionExpression: 'ownerCustomerId = :c',
        ExpressionAttributeValues: toAttributes({ ':c': customerId }),
        Limit: 1,
      }),
    );
    return (Items ?? []).length > 0;
  }
}

/** Customers from the customers table. */
export class DynamoDbCustomerDirectory implements CustomerDirectory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getCustomer(customerId: string): Promise<Customer | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toAttributes({ customerId }), ConsistentRead: true }),
    );
    return Item ? toCustomer(fromAttributes(Item)) : undefined;
  }
}

/** A customers-table item as a `Customer`. */
export function toCustomer(item: Record<string, unknown>): Customer {
  return {
    customerId: String(item.customerId),
    email: typeof item.email === 'string' ? item.email : '',
    locale: typeof item.locale === 'string' ? item.locale : 'en',
    firstName: typeof item.firstName === 'string' ? item.firstName : undefined,
    // Anything but an explicit `false` counts as opted out: when unsure, do not mail.
    notificationsOptOut: item.notificationsOptOut !== false,
  };
}

function toRegistry(item: Record<string, unknown>): Registry {
  return {
    registryId: String(item.registryId ?? item.pk),
    ownerCustomerId: String(item.ownerCustomerId ?? ''),
    status: String(item.status ?? ''),
    purchaseNotifications: item.purchaseNotifications === true,
    title: typeof item.title === 'string' ? item.title : undefined,
  };
}
