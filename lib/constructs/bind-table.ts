import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { DeclaredFunction } from './function-environment';
import { viaService } from './data-key-use';

/**
 * What a function may do with a table: exact DynamoDB actions, never a wildcard and never
 * `Scan`. Each access also implies the matching use of the table's KMS key.
 */
export const TableAccess = {
  /** Point reads only: `GetItem`. */
  READ_ITEMS: { actions: ['dynamodb:GetItem'], writes: false },
  /** Point reads, also several keys in one request: `GetItem`, `BatchGetItem`. */
  BATCH_READ_ITEMS: { actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], writes: false },
  /** Several keys in one request, and nothing else: `BatchGetItem` (the registry and its item). */
  BATCH_GET_ITEMS: { actions: ['dynamodb:BatchGetItem'], writes: false },
  /** Point reads and queries of the table itself (and of the named `indexes`): `GetItem`, `Query`. */
  READ_AND_QUERY: { actions: ['dynamodb:GetItem', 'dynamodb:Query'], writes: false },
  /** `Query` on the table and on the named `indexes`; no point reads. */
  QUERY: { actions: ['dynamodb:Query'], writes: false },
  /**
   * `Query` on the named `indexes` only: not on the table itself, no point reads. Combine with
   * another binding of the same table for those.
   */
  QUERY_INDEXES_ONLY: { actions: ['dynamodb:Query'], writes: false, indexesOnly: true },
  /**
   * Reads and in-place updates of items (the audit's marks on ledger rows): `GetItem`,
   * `UpdateItem`; no new items and no deletes, so the holder cannot rewrite or erase the trail.
   */
  READ_AND_UPDATE_ITEMS: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], writes: true },
  /** Puts and updates, no reads or deletes: `PutItem`, `UpdateItem` (the suppression list from SES events, the directory history). */
  PUT_AND_UPDATE_ITEMS: { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], writes: true },
  /** Puts and deletes, no reads or updates: `PutItem`, `DeleteItem` (the registries' current rows: an item leaves a registry by its delete). */
  PUT_AND_DELETE_ITEMS: { actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], writes: true },
  /** Point reads, puts and updates, no deletes: `GetItem`, `PutItem`, `UpdateItem` (an import's progress; it expires by TTL). */
  READ_PUT_AND_UPDATE_ITEMS: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], writes: true },
  /** New items: `PutItem` alone (an import's, conditional so it never overwrites a row; IAM cannot require the condition). */
  PUT_ITEMS: { actions: ['dynamodb:PutItem'], writes: true },
  /**
   * Conditional single-item writes and no reads: `PutItem`, `UpdateItem`, `DeleteItem`. A write
   * that finds the item gets it back with `ReturnValuesOnConditionCheckFailure`, which needs
   * no read permission (the notify function's ledger).
   */
  WRITE_ITEMS: { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], writes: true },
  /** Updates of existing items only (`UpdateItem`): no puts, no deletes, no reads. */
  UPDATE_ITEMS: { actions: ['dynamodb:UpdateItem'], writes: true },
  /** Items written 25 to a request and nothing else: `BatchWriteItem` (IAM cannot tell its puts from its deletes). */
  BATCH_WRITE_ITEMS: { actions: ['dynamodb:BatchWriteItem'], writes: true },
  /** Conditional single-item writes: `GetItem`, `PutItem`, `UpdateItem`, `DeleteItem`. */
  /** Scan and update items: the one-off re-keying job (a Scan is a migration's tool, never a hot path's). */
  SCAN_AND_UPDATE_ITEMS: { actions: ['dynamodb:Scan', 'dynamodb:UpdateItem'], writes: true },
  /** Get, query, put and delete items: moving items from one key to another (the re-keying job's do-not-mail lists). */
  MOVE_ITEMS: { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], writes: true },
  ITEM_READ_WRITE: {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    writes: true,
  },
} as const;

export type TableAccessLevel = (typeof TableAccess)[keyof typeof TableAccess];

export interface BindTableOptions<N extends string = string> {
  /** The table to bind. */
  readonly table: ITable;
  /** The function that gets the grant and the environment variable, tied to what it reads ({@link declareEnvironment}). */
  readonly fn: DeclaredFunction<N>;
  /** Environment variable that carries the table name, e.g. `LEDGER_TABLE`: one the function's declaration reads. */
  readonly envName: NoInfer<N>;
  /** One of {@link TableAccess}. */
  readonly access: TableAccessLevel;
  /**
   * Also allow `Query` on these indexes. Only meaningful with an access that includes `Query`;
   * required (non-empty) with `TableAccess.QUERY_INDEXES_ONLY`.
   *
   * @default - no index access
   */
  readonly indexes?: readonly string[];
  /**
   * Only items whose partition key matches one of these patterns (`dynamodb:LeadingKeys`,
   * `*` a wildcard): e.g. `['SOURCE#*']` for the send-log import's days in the audit table.
   *
   * @default - every item of the table
   */
  readonly leadingKeys?: readonly string[];
}

/**
 * Grants a function exactly `access` on a table (and on its key) and injects the table
 * name as `envName`, so a function never gets a table it is not told about, or the reverse.
 *
 * @example
 * bindTable({ table: tables.ledger, fn, envName: 'LEDGER_TABLE', access: TableAccess.ITEM_READ_WRITE });
 */
export function bindTable<N extends string>({ table, fn, envName, access, indexes = [], leadingKeys }: BindTableOptions<N>): Grant {
  const indexesOnly = 'indexesOnly' in access && access.indexesOnly;
  if (indexesOnly && indexes.length === 0) throw new Error(`bindTable(${envName}): QUERY_INDEXES_ONLY needs at least one index`);
  fn.addEnvironment(envName, table.tableName);

  const indexArns = access.actions.some((a) => a === 'dynamodb:Query')
    ? indexes.map((name) => `${table.tableArn}/index/${name}`)
    : [];

  const grant = Grant.addToPrincipal({
    grantee: fn,
    actions: [...access.actions],
    resourceArns: indexesOnly ? indexArns : [table.tableArn, ...indexArns],
    ...(leadingKeys ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } } : {}),
  });

  // DynamoDB checks the caller's right to use a customer managed key: reads need Decrypt,
  // writes also Encrypt and GenerateDataKey. Exact actions, so no wildcard for cdk-nag to flag;
  // only through DynamoDB (kms:ViaService), so the function cannot use the key itself.
  if (table.encryptionKey) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: access.writes ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [table.encryptionKey.keyArn],
        conditions: viaService(fn, 'dynamodb'),
      }),
    );
  }
  return grant;
}

export interface BindTableIndexesOptions<N extends string = string> extends Omit<BindTableOptions<N>, 'access' | 'indexes'> {
  /** The indexes it may query: at least one. */
  readonly indexes: readonly [string, ...string[]];
}

/**
 * Grants `Query` on the named indexes of a table and nothing on the table itself
 * ({@link TableAccess.QUERY_INDEXES_ONLY}), and injects the table name as `envName`.
 *
 * @example
 * bindTableIndexes({ table: tables.customers, fn, envName: 'CUSTOMERS_TABLE', indexes: [TABLE_INDEXES.customersByEmailHash] });
 */
export function bindTableIndexes<N extends string>(options: BindTableIndexesOptions<N>): Grant {
  return bindTable<N>({ ...options, access: TableAccess.QUERY_INDEXES_ONLY });
}
