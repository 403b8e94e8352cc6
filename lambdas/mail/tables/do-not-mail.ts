import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { AddressStanding, DoNotMailList } from '../../directory/ports/directories';
import { backoff } from '../../platform/dynamodb/helpers';
import { unsubscribeScopeKey } from './unsubscribes-table';

/** The two tables of the do-not-mail lists. */
export interface DoNotMailTables {
  readonly suppressions: string;
  readonly unsubscribes: string;
}

/**
 * Suppressions and unsubscribes of one address in one strongly consistent `BatchGetItem`
 * (one request, one round trip, as the suppression `GetItem` alone was): the suppression item,
 * and the unsubscribes from all mail and from this registry's notices. What comes back
 * unprocessed (throttling) is asked again with a little backoff. Given both hashes of an address
 * (keyed and legacy, `addressHashes`), it asks for both in the same request: a suppression or an
 * unsubscribe stored before keyed hashes still counts (docs/data-model.md, "Address hashes").
 *
 * @example
 * await new DynamoDbDoNotMail(client, tables).standing(addressHash, 'reg-1') // { suppressed: false, unsubscribed: true }
 */
export class DynamoDbDoNotMail implements DoNotMailList {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tables: DoNotMailTables,
  ) {}

  async standing(addressHash: string | readonly string[], registryId: string): Promise<AddressStanding> {
    const { suppressions, unsubscribes } = this.tables;
    const hashes = [...new Set(typeof addressHash === 'string' ? [addressHash] : addressHash)].map((h) => ({ S: h }));
    let pending: Record<string, KeysAndAttributes> = {
      [suppressions]: { Keys: hashes.map((hash) => ({ emailHash: hash })), ConsistentRead: true },
      [unsubscribes]: {
        Keys: hashes.flatMap((hash) => [
          { emailHash: hash, scope: { S: unsubscribeScopeKey({ kind: 'ALL' }) } },
          { emailHash: hash, scope: { S: unsubscribeScopeKey({ kind: 'REGISTRY', registryId }) } },
        ]),
        ConsistentRead: true,
      },
    };
    const found: Record<string, Record<string, AttributeValue>[]> = {};
    for (let attempt = 0; Object.keys(pending).length > 0; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const out = await this.client.send(new BatchGetItemCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(out.Responses ?? {})) (found[table] ??= []).push(...items);
      pending = out.UnprocessedKeys ?? {};
    }
    return { suppressed: (found[suppressions] ?? []).length > 0, unsubscribed: (found[unsubscribes] ?? []).length > 0 };
  }
}
