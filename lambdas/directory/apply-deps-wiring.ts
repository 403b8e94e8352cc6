import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDirectoryStore } from './tables/directory-store';
import { DynamoDbLedgerErasure } from '../notices/ledger-table/ledger-erasure';
import type { ApplyDeps } from './apply-directory-event';

/** The tables applying directory events writes, by physical name. */
export interface DirectoryTableNames {
  readonly history: string;
  readonly registries: string;
  readonly customers: string;
  /** Erasures remove addresses from it. */
  readonly ledger: string;
}

/**
 * The DynamoDB adapters of {@link applyDirectoryEvent}, for the directory function and for
 * anything that applies events outside it (seed, backfill, tests): the same code, the same tables.
 *
 * @example
 * await applyDirectoryEvent(event, directoryApplyDeps(documentClient, tables));
 */
export function directoryApplyDeps(client: DynamoDBDocumentClient, tables: DirectoryTableNames, now: () => Date = () => new Date()): ApplyDeps {
  return {
    store: new DynamoDbDirectoryStore({ client, historyTable: tables.history, registriesTable: tables.registries, customersTable: tables.customers }),
    erasure: new DynamoDbLedgerErasure({ client, tableName: tables.ledger }),
    now,
  };
}
