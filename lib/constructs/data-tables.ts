import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Attribute, GlobalSecondaryIndexProps } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Index names of docs/data-model.md; the functions query them by these names. */
export const TABLE_INDEXES = {
  registriesByOwner: 'byOwner',
  customersByEmailHash: 'byEmailHash',
  ledgerByAuditState: 'byAuditState',
  ledgerByDecidedDay: 'byDecidedDay',
  ledgerByDecidedDayShard: 'byDecidedDayShard',
  ledgerByAddress: 'byAddress',
  ledgerByDoubt: 'byDoubt',
  historyByOwner: 'byOwner',
  historyByEmailHash: 'byEmailHash',
  historyByCorrectionDay: 'byCorrectionDay',
} as const;

/** The ledger's TTL attribute (epoch seconds). */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAt';

/** The suppressions table's TTL attribute: only soft-bounce counters carry it, never a suppression. */
export const SUPPRESSIONS_TTL_ATTRIBUTE = 'expiresAt';

export interface DataTablesProps {
  /**
   * Customer managed key that encrypts every table.
   */
  readonly encryptionKey: IKey;
  /**
   * What happens to the tables when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN - registries, customers and the ledger are business data
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Turn on DynamoDB deletion protection, so not even a console click drops a table.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** A table's keys (string attributes, as every key of the data model is) and TTL attribute. */
export interface TableKeys {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
}

const { ALL, KEYS_ONLY } = ProjectionType;

/** A global secondary index on string keys: `projection` is ALL, KEYS_ONLY or the non-key attributes it includes. */
export interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly projection: typeof ALL | typeof KEYS_ONLY | readonly string[];
}

function stringAttribute(name: string): Attribute {
  return { name, type: AttributeType.STRING };
}

function globalSecondaryIndex(spec: IndexSpec): GlobalSecondaryIndexProps {
  const { indexName, partitionKey, sortKey, projection } = spec;
  return {
    indexName,
    partitionKey: stringAttribute(partitionKey),
    ...(sortKey ? { sortKey: stringAttribute(sortKey) } : {}),
    ...(typeof projection === 'string'
      ? { projectionType: projection }
      : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection] }),
  };
}

export interface ServiceTableProps extends TableKeys {
  /** Customer managed key that encrypts the table. */
  readonly encryptionKey: IKey;
  /**
   * What happens to the table when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Its global secondary indexes, in the order they are added.
   *
   * @default - none
   */
  readonly indexes?: readonly IndexSpec[];
}

/**
 * A table as every table of ours is: on-demand, point-in-time recovery, encrypted with a
 * customer managed key, retained and deletion-protected unless told otherwise, on string keys.
 *
 * @example
 * serviceTable(this, 'ProgressTable', { partitionKey: 'importId', timeToLiveAttribute: 'expiresAt', encryptionKey });
 */
export function serviceTable(scope: Construct, id: string, props: ServiceTableProps): Table {
  const { partitionKey, sortKey, timeToLiveAttribute, indexes = [] } = props;
  const table = new Table(scope, id, {
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: props.encryptionKey,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: props.deletionProtection ?? true,
    partitionKey: stringAttribute(partitionKey),
    ...(sortKey ? { sortKey: stringAttribute(sortKey) } : {}),
    ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
  });
  for (const index of indexes) table.addGlobalSecondaryIndex(globalSecondaryIndex(index));
  return table;
}

/**
 * The six tables of docs/data-model.md: on-demand, point-in-time recovery, encrypted with
 * the stack's data key, retained. Keys and indexes are exactly those of the data model.
 */
export class DataTables extends Construct {
  /** Registries and their items (`pk` = registryId, `sk` = `REGISTRY` | `ITEM#<itemId>`), with sparse GSI `byOwner`. */
  public readonly registries: Table;
  /** Customers by `customerId`, with GSI `byEmailHash`. */
  public readonly customers: Table;
  /** Never-mail list by `emailHash` (and soft-bounce counters, with TTL `expiresAt`). */
  public readonly suppressions: Table;
  /**
   * What recipients unsubscribed from, by `emailHash` and `scope` (`ALL` | `REGISTRY#<id>`):
   * written only by the unsubscribe endpoint, never by the directory feed.
   */
  public readonly unsubscribes: Table;
  /** Notice ledger by `noticeId`, TTL `expiresAt`, GSIs `byAuditState`, `byDecidedDay`, `byAddress`, `byDoubt` and `byDecidedDayShard`. */
  public readonly ledger: Table;
  /**
   * What was true when: one partition per timeline (registry, item on a registry, customer), one
   * item per fact (`pk`, `sk` = `AT#<effectiveAt>#<version>`), with keys-only GSIs `byOwner` and
   * `byEmailHash` and the sparse corrections GSI `byCorrectionDay`.
   */
  public readonly directoryHistory: Table;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);

    const table = (tableId: string, keys: TableKeys, indexes: readonly IndexSpec[] = []): Table =>
      serviceTable(this, tableId, {
        ...keys,
        indexes,
        encryptionKey: props.encryptionKey,
        removalPolicy: props.removalPolicy,
        deletionProtection: props.deletionProtection,
      });

    this.registries = table('RegistriesTable', { partitionKey: 'pk', sortKey: 'sk' }, [
      // Sparse: only registry items carry `ownerCustomerId` (item rows do not), so the index
      // holds registries only. Keys only: the audit asks "does this customer own any registry?".
      { indexName: TABLE_INDEXES.registriesByOwner, partitionKey: 'ownerCustomerId', projection: KEYS_ONLY },
    ]);

    this.customers = table('CustomersTable', { partitionKey: 'customerId' }, [
      { indexName: TABLE_INDEXES.customersByEmailHash, partitionKey: 'emailHash', projection: ALL },
    ]);

    // Keyed by hash, so the table holds no address in the clear.
    this.suppressions = table('SuppressionsTable', {
      partitionKey: 'emailHash',
      timeToLiveAttribute: SUPPRESSIONS_TTL_ATTRIBUTE,
    });

    // Its own table: the directory feed rewrites customers (their opt-out included) from the
    // shop's data, and a recipient's unsubscribe must outlive every such rewrite.
    this.unsubscribes = table('UnsubscribesTable', { partitionKey: 'emailHash', sortKey: 'scope' });

    this.ledger = table('LedgerTable', { partitionKey: 'noticeId', timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE }, [
      // Sparse: `auditState` is removed once audited, so an audit run reads only new rows.
      { indexName: TABLE_INDEXES.ledgerByAuditState, partitionKey: 'auditState', sortKey: 'decidedAt', projection: ALL },
      // An incident's time window, one query per day: rows written before the day shards only
      // (`decidedDay`; none is written now). Dropped once they have expired: docs/data-model.md.
      { indexName: TABLE_INDEXES.ledgerByDecidedDay, partitionKey: 'decidedDay', sortKey: 'decidedAt', projection: ALL },
      // The notices mailed to an address in a span of time: what a directory correction touches.
      // Sparse (only rows that name an address: claims and imports, never a BLOCKED decision) and
      // narrow: its attributes are set when the row is written and never change, so the notify
      // function pays one index write per notice, and none for its later updates. One index, not
      // one per kind of correction: CloudFormation adds a single GSI to a table per update.
      {
        indexName: TABLE_INDEXES.ledgerByAddress,
        partitionKey: 'recipientAddressHash',
        sortKey: 'decidedAt',
        projection: ['registryId', 'itemId'],
      },
      // Sparse: only notices in doubt carry `inDoubt`, so `notice uncertain` reads just those.
      { indexName: TABLE_INDEXES.ledgerByDoubt, partitionKey: 'inDoubt', sortKey: 'settledAt', projection: ALL },
      // An incident's day, spread over 32 partitions (`decidedDayShard` = `<day>#<nn>`,
      // lambdas/notices/ledger-table/day-shards.ts): every write of a row writes it, and one key a
      // day took ~2,500 writes/s at 500 notices/s. Last, so a stack that has the others adds it alone.
      { indexName: TABLE_INDEXES.ledgerByDecidedDayShard, partitionKey: 'decidedDayShard', sortKey: 'decidedAt', projection: ALL },
    ]);

    this.directoryHistory = table('DirectoryHistoryTable', { partitionKey: 'pk', sortKey: 'sk' }, [
      // Keys only: the partition key names the registry (customer); its state at t is a second read.
      // Sparse: only registry facts carry `ownerCustomerId`, only customer facts `emailHash`.
      { indexName: TABLE_INDEXES.historyByOwner, partitionKey: 'ownerCustomerId', sortKey: 'sk', projection: KEYS_ONLY },
      { indexName: TABLE_INDEXES.historyByEmailHash, partitionKey: 'emailHash', sortKey: 'sk', projection: KEYS_ONLY },
      // Sparse: only facts that corrected the past carry `correctionDay`; the audit reads them by day applied.
      {
        indexName: TABLE_INDEXES.historyByCorrectionDay,
        partitionKey: 'correctionDay',
        sortKey: 'appliedAt',
        projection: ['kind', 'registryId', 'itemId', 'customerId', 'effectiveAt', 'eventId', 'correctionUntil'],
      },
    ]);
  }
}
