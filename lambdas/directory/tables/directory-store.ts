import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Correction } from '../correction';
import { factOrder, type CustomerFact, type DirectoryFact, type FactKey, type ItemFact, type RegistryFact } from '../directory-fact';
import type { DirectoryStore, Projection } from '../ports/directory-store';
import { factItem, HistoryKeys, itemFact } from './history-items';
import { CurrentRows } from './current-rows';
import { itemSk } from './directories';
import { queryAll } from '../../platform/dynamodb/document';
import { conditionHeld } from '../../platform/dynamodb/helpers';

export interface DynamoDbDirectoryStoreOptions {
  readonly client: DynamoDBDocumentClient;
  /** `DIRECTORY_HISTORY_TABLE` */
  readonly historyTable: string;
  /** `REGISTRIES_TABLE` */
  readonly registriesTable: string;
  /** `CUSTOMERS_TABLE` */
  readonly customersTable: string;
}

/** Current-state rows carry the order of the fact they show; a write goes through only with a greater one. */
const NEWER = 'attribute_not_exists(directoryOrder) OR directoryOrder < :order';
/** A timeline this short is read whole to find a fact's neighbours; a longer one by two targeted reads. */
const WHOLE_TIMELINE_LIMIT = 16;
const ERASURE_NEWER = 'attribute_not_exists(erased) OR directoryOrder < :order';

/**
 * The directory function's writes (docs/data-model.md): history items by `pk`/`sk`, current
 * rows in the registries and customers tables in the shapes the notify function reads, plus
 * `directoryOrder` (see `factOrder`), the condition of every write.
 */
export class DynamoDbDirectoryStore implements DirectoryStore {
  constructor(private readonly options: DynamoDbDirectoryStoreOptions) {}

  async neighbours(fact: DirectoryFact): Promise<{ before?: DirectoryFact; after?: DirectoryFact }> {
    const pk = HistoryKeys.pk(fact);
    const sk = HistoryKeys.sk(fact.effectiveAt, fact.version);
    const query = async (condition: string, forward: boolean, limit: number) =>
      this.options.client.send(
        new QueryCommand({
          TableName: this.options.historyTable,
          KeyConditionExpression: `pk = :pk AND ${condition}`,
          ExpressionAttributeValues: { ':pk': pk, ...(condition.includes(':sk') ? { ':sk': sk } : { ':prefix': HistoryKeys.factPrefix }) },
          ScanIndexForward: forward,
          Limit: limit,
          ConsistentRead: true,
        }),
      );
    // Most timelines hold a few facts: one read of the whole partition finds both neighbours.
    const whole = await query('begins_with(sk, :prefix)', true, WHOLE_TIMELINE_LIMIT);
    let before: Record<string, unknown> | undefined;
    let after: Record<string, unknown> | undefined;
    if (!whole.LastEvaluatedKey) {
      const items = whole.Items ?? [];
      before = items.filter((i) => String(i.sk) < sk).at(-1);
      after = items.find((i) => String(i.sk) > sk);
    } else {
      const [b, a] = await Promise.all([query('sk < :sk', false, 1), query('sk > :sk', true, 1)]);
      before = b.Items?.[0];
      after = a.Items?.[0];
    }
    return { ...(before ? { before: itemFact(before) } : {}), ...(after ? { after: itemFact(after) } : {}) };
  }

  async latest(key: FactKey): Promise<DirectoryFact | undefined> {
    const out = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.historyTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': HistoryKeys.pk(key), ':prefix': HistoryKeys.factPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? itemFact(item) : undefined;
  }

  async record(fact: DirectoryFact, appliedAt: string, correction?: Correction): Promise<'written' | 'exists'> {
    const written = await conditionHeld(
      this.options.client.send(
        new PutCommand({
          TableName: this.options.historyTable,
          Item: factItem(fact, appliedAt, correction),
          // A reused version (same effectiveAt too): the greater eventId wins, whatever arrived first.
          ConditionExpression: 'attribute_not_exists(sk) OR eventId < :eventId',
          ExpressionAttributeValues: { ':eventId': fact.eventId },
        }),
      ),
    );
    return written ? 'written' : 'exists';
  }

  async putRegistry(fact: RegistryFact, appliedAt: string): Promise<Projection> {
    return this.putIfNewer(this.options.registriesTable, fact, CurrentRows.registry(fact, appliedAt));
  }

  async putItem(fact: ItemFact): Promise<Projection> {
    if (fact.onRegistry) return this.putIfNewer(this.options.registriesTable, fact, CurrentRows.item(fact));
    const deleted = await conditionHeld(
      this.options.client.send(
        new DeleteCommand({
          TableName: this.options.registriesTable,
          Key: { pk: fact.registryId, sk: itemSk(fact.itemId) },
          ConditionExpression: NEWER,
          ExpressionAttributeValues: { ':order': factOrder(fact) },
        }),
      ),
    );
    return deleted ? 'written' : 'stale';
  }

  async putCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection | 'erased'> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.customersTable,
          Item: CurrentRows.customer(fact, appliedAt),
          // Erasure is final: no fact, older or newer, brings the address back.
          ConditionExpression: `(${NEWER}) AND attribute_not_exists(erased)`,
          ExpressionAttributeValues: { ':order': factOrder(fact) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'written';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item?.erased?.BOOL === true ? 'erased' : 'stale';
    }
  }

  async putErasedCustomer(fact: CustomerFact, appliedAt: string): Promise<Projection> {
    // Any earlier row, erased or not, gives way; of two erasures the later stays.
    return this.putIfNewer(this.options.customersTable, fact, CurrentRows.erasedCustomer(fact, appliedAt), ERASURE_NEWER);
  }

  async addressesOf(customerId: string): Promise<string[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.historyTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': HistoryKeys.pk({ kind: 'customer', customerId }), ':prefix': HistoryKeys.factPrefix },
      ProjectionExpression: 'email',
      ConsistentRead: true,
    });
    return [...new Set(items.flatMap((i) => (typeof i.email === 'string' && i.email !== '' ? [i.email] : [])))].sort();
  }

  async scrubCustomerHistory(customerId: string): Promise<string[]> {
    const pk = HistoryKeys.pk({ kind: 'customer', customerId });
    const items = await queryAll(this.options.client, {
      TableName: this.options.historyTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': HistoryKeys.factPrefix },
      ConsistentRead: true,
    });
    for (const item of items.filter((i) => i.email !== undefined || i.firstName !== undefined || i.erased !== true)) {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.historyTable,
          Key: { pk, sk: item.sk },
          UpdateExpression: 'REMOVE email, firstName SET erased = :true',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    }
    return [...new Set(items.flatMap((i) => (typeof i.emailHash === 'string' ? [i.emailHash] : [])))];
  }

  private async putIfNewer(tableName: string, fact: DirectoryFact, item: Record<string, unknown>, condition: string = NEWER): Promise<Projection> {
    const written = await conditionHeld(
      this.options.client.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':order': factOrder(fact) },
        }),
      ),
    );
    return written ? 'written' : 'stale';
  }
}
