import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addressHashes } from '../../directory/address-hash';
import type { RecipientFacts, RecipientFactsReader } from './recipient-facts';
import { DynamoDbAddressDirectory, suppressionKey, unsubscribedFromAllKey } from '../../mail/tables/address-directory';
import { backoff } from '../../platform/dynamodb/helpers';
import { toNotice } from '../dynamodb-ledger-audit';

type Item = Record<string, unknown>;
type KeysAndAttributes = { Keys: Item[]; ConsistentRead?: boolean };

export interface DynamoDbRecipientFactsOptions {
  readonly client: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly customersTable: string;
  readonly suppressionsTable: string;
  readonly unsubscribesTable: string;
}

/**
 * A recipient's facts in two requests side by side: one strongly consistent `BatchGetItem` for
 * the ledger row, the suppression and the unsubscribe (three tables), and the customer by
 * `byEmailHash` (a query: an index cannot be read in a batch). Keys that come back unprocessed
 * (throttling) are asked again with a little backoff.
 *
 * A row stored before keyed hashes is planned under its legacy hash: the suppression, the
 * unsubscribe and the customer are then asked again under the address's keyed hash (one more
 * round trip, only for such rows), so a suppression or an unsubscribe recorded since still
 * counts (docs/data-model.md, "Address hashes").
 */
export class DynamoDbRecipientFacts implements RecipientFactsReader {
  readonly #customers: DynamoDbAddressDirectory;

  constructor(private readonly options: DynamoDbRecipientFactsOptions) {
    this.#customers = new DynamoDbAddressDirectory({ client: options.client, customersTable: options.customersTable });
  }

  async read(noticeId: string, addressHash: string): Promise<RecipientFacts> {
    const { ledgerTable, suppressionsTable, unsubscribesTable } = this.options;
    const [items, customer] = await Promise.all([
      this.#batchGet({
        [ledgerTable]: { Keys: [{ noticeId }], ConsistentRead: true },
        [suppressionsTable]: { Keys: [suppressionKey(addressHash)], ConsistentRead: true },
        [unsubscribesTable]: { Keys: [unsubscribedFromAllKey(addressHash)], ConsistentRead: true },
      }),
      this.#customers.customerByAddressHash(addressHash),
    ]);
    const row = items[ledgerTable]?.[0];
    const facts: RecipientFacts = {
      row: row && toNotice(row),
      suppressed: (items[suppressionsTable]?.length ?? 0) > 0,
      unsubscribedFromAll: (items[unsubscribesTable]?.length ?? 0) > 0,
      customer,
    };
    // A row planned under its legacy hash: its address's keyed hash too (the sender refuses a row
    // whose hashes are not the planned one). A row planned under the keyed hash costs nothing more.
    const [keyed, legacy] = facts.row?.recipientAddress ? addressHashes(facts.row.recipientAddress) : [];
    if (keyed === undefined || addressHash !== legacy) return facts;
    return this.#alsoUnder(facts, [keyed]);
  }

  /** The same facts under the address's other hashes; any one suppression or unsubscribe counts. */
  async #alsoUnder(facts: RecipientFacts, hashes: readonly string[]): Promise<RecipientFacts> {
    const { suppressionsTable, unsubscribesTable } = this.options;
    const [items, customers] = await Promise.all([
      this.#batchGet({
        [suppressionsTable]: { Keys: hashes.map(suppressionKey), ConsistentRead: true },
        [unsubscribesTable]: { Keys: hashes.map(unsubscribedFromAllKey), ConsistentRead: true },
      }),
      Promise.all(hashes.map((hash) => this.#customers.customerByAddressHash(hash))),
    ]);
    return {
      ...facts,
      suppressed: facts.suppressed || (items[suppressionsTable]?.length ?? 0) > 0,
      unsubscribedFromAll: facts.unsubscribedFromAll || (items[unsubscribesTable]?.length ?? 0) > 0,
      customer: facts.customer ?? customers.find((c) => c !== undefined),
    };
  }

  async #batchGet(request: Record<string, KeysAndAttributes>): Promise<Record<string, Item[]>> {
    const found: Record<string, Item[]> = {};
    let pending: Record<string, KeysAndAttributes> | undefined = request;
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const out = await this.options.client.send(new BatchGetCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(out.Responses ?? {})) (found[table] ??= []).push(...items);
      pending = out.UnprocessedKeys as Record<string, KeysAndAttributes> | undefined;
    }
    return found;
  }
}
