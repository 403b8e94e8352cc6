import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../domain/facts';
import type { AddressDirectory } from '../ports/address-directory';
import { toCustomer } from './dynamodb-directories';
import { unsubscribeScopeKey } from './dynamodb-unsubscribes';

export interface DynamoDbAddressDirectoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly customersTable: string;
  readonly suppressionsTable: string;
  readonly unsubscribesTable: string;
  /** @default 'byEmailHash' */
  readonly emailHashIndex?: string;
}

/** Customers by address hash (GSI `byEmailHash`), suppressions and unsubscribes by hash (the tables' keys). */
export class DynamoDbAddressDirectory implements AddressDirectory {
  constructor(private readonly options: DynamoDbAddressDirectoryOptions) {}

  async customerByAddressHash(addressHash: string): Promise<Customer | undefined> {
    const { Items } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.customersTable,
        IndexName: this.options.emailHashIndex ?? 'byEmailHash',
        KeyConditionExpression: 'emailHash = :h',
        ExpressionAttributeValues: { ':h': addressHash },
        Limit: 2,
      }),
    );
    const items = Items ?? [];
    const item = items[0];
    if (!item) return undefined;
    return {
      ...toCustomer(item),
      // Two customers with one address, or anything but an explicit false: when unsure, do not mail.
      notificationsOptOut: items.length > 1 || items.some((i) => i.notificationsOptOut !== false),
    };
  }

  async unsubscribedFromAll(addressHash: string): Promise<boolean> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.unsubscribesTable,
        Key: { emailHash: addressHash, scope: unsubscribeScopeKey({ kind: 'ALL' }) },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async isSuppressed(addressHash: string): Promise<boolean> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.suppressionsTable, Key: { emailHash: addressHash }, ConsistentRead: true }),
    );
    return Item !== undefined;
  }
}
