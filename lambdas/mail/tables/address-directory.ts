import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError } from '../../platform/function-errors';
import type { Customer } from '../../directory/facts';
import type { AddressDirectory } from '../ports/address-directory';
import { toCustomer } from '../../directory/tables/directories';
import { unsubscribeScopeKey } from './unsubscribes-table';

export interface DynamoDbAddressDirectoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly customersTable: string;
  /**
   * Needed by `isSuppressed` only: the row audit asks who has an address, never whether it is
   * suppressed, and is not granted the table.
   *
   * @default - none: `isSuppressed` throws a ConfigurationError
   */
  readonly suppressionsTable?: string;
  /**
   * Needed by `unsubscribedFromAll` only (the row audit never asks it, and is not granted the table).
   *
   * @default - none: `unsubscribedFromAll` throws a ConfigurationError
   */
  readonly unsubscribesTable?: string;
  /** @default 'byEmailHash' */
  readonly emailHashIndex?: string;
}

/** The key of an address's suppression item. */
export function suppressionKey(addressHash: string): Record<string, string> {
  return { emailHash: addressHash };
}

/** The key of an address's unsubscribe from all mail. */
export function unsubscribedFromAllKey(addressHash: string): Record<string, string> {
  return { emailHash: addressHash, scope: unsubscribeScopeKey({ kind: 'ALL' }) };
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
    if (this.options.unsubscribesTable === undefined) throw new ConfigurationError('this address directory was wired without the unsubscribes table');
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.unsubscribesTable, Key: unsubscribedFromAllKey(addressHash), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  async isSuppressed(addressHash: string): Promise<boolean> {
    if (this.options.suppressionsTable === undefined) throw new ConfigurationError('this address directory was wired without the suppressions table');
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.suppressionsTable, Key: suppressionKey(addressHash), ConsistentRead: true }),
    );
    return Item !== undefined;
  }
}
