import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidArgumentError } from '../../platform/function-errors';
import { normalizeInstant, type CustomerFact, type DirectoryFact, type FactKey, type RegistryFact } from '../directory-fact';
import type {
  CorrectionPage,
  CorrectionQuery,
  CustomerAt,
  DirectoryHistory,
  RegistryAt,
  Valid,
} from '../ports/directory-history';
import { decodeCursor, encodeCursor } from '../../platform/dynamodb/cursor';
import { customerAt, HISTORY_INDEXES, HistoryKeys, itemCorrection, itemFact, registryAt } from './history-items';
import { queryAll } from '../../platform/dynamodb/document';

const DAY_MS = 86_400_000;
/** The longest span of application days one corrections query may cover. */
export const MAX_CORRECTION_QUERY_DAYS = 400;

export interface DynamoDbDirectoryHistoryOptions {
  readonly client: DynamoDBDocumentClient;
  /** The history table (`DIRECTORY_HISTORY_TABLE`). */
  readonly tableName: string;
  /**
   * Strongly consistent reads of the table itself (indexes are always eventually consistent).
   *
   * @default false - the audit reads long after the fact; half the read cost
   */
  readonly consistentRead?: boolean;
}

/**
 * The directory's history from the history table: "the state at `t`" is one `Query` of the
 * timeline's partition, newest first, `Limit 1`, up to `t`; "who had this address / owned a
 * registry at `t`" one query of a keys-only index, then one such read per candidate.
 * See the port for the meaning of every answer.
 */
export class DynamoDbDirectoryHistory implements DirectoryHistory {
  constructor(private readonly options: DynamoDbDirectoryHistoryOptions) {}

  async registryAt(registryId: string, at: string): Promise<RegistryAt | undefined> {
    const found = await this.factAt({ kind: 'registry', registryId }, normalizeInstant(at));
    return found && found.fact.kind === 'registry' ? registryAt(found.fact, found.appliedAt) : undefined;
  }

  async itemOnRegistryAt(registryId: string, itemId: string, at: string): Promise<boolean> {
    const found = await this.factAt({ kind: 'item', registryId, itemId }, normalizeInstant(at));
    return found?.fact.kind === 'item' && found.fact.onRegistry;
  }

  async customerAt(customerId: string, at: string): Promise<CustomerAt | undefined> {
    const found = await this.factAt({ kind: 'customer', customerId }, normalizeInstant(at));
    return found && found.fact.kind === 'customer' ? customerAt(found.fact, found.appliedAt) : undefined;
  }

  async customersWithAddressHashAt(addressHash: string, at: string): Promise<CustomerAt[]> {
    const instant = normalizeInstant(at);
    const candidates = await this.candidates(HISTORY_INDEXES.byEmailHash, 'emailHash', addressHash, instant);
    const states = await Promise.all(
      candidates.map((pk) => this.customerAt(pk.slice('CUSTOMER#'.length), instant)),
    );
    return states.filter((state): state is CustomerAt => state?.emailHash === addressHash);
  }

  async ownedARegistryAt(customerId: string, at: string): Promise<boolean> {
    const instant = normalizeInstant(at);
    const candidates = await this.candidates(HISTORY_INDEXES.byOwner, 'ownerCustomerId', customerId, instant);
    for (const pk of candidates) {
      const registry = await this.registryAt(pk.slice('REGISTRY#'.length), instant);
      if (registry?.ownerCustomerId === customerId) return true;
    }
    return false;
  }

  async registryTimeline(registryId: string): Promise<Valid<RegistryAt>[]> {
    return (await this.timeline({ kind: 'registry', registryId })).map(({ fact, appliedAt, validUntil }) => ({
      ...registryAt(fact as RegistryFact, appliedAt),
      ...(validUntil ? { validUntil } : {}),
    }));
  }

  async customerTimeline(customerId: string): Promise<Valid<CustomerAt>[]> {
    return (await this.timeline({ kind: 'customer', customerId })).map(({ fact, appliedAt, validUntil }) => ({
      ...customerAt(fact as CustomerFact, appliedAt),
      ...(validUntil ? { validUntil } : {}),
    }));
  }

  async corrections(query: CorrectionQuery): Promise<CorrectionPage> {
    const from = normalizeInstant(query.appliedFrom);
    const before = normalizeInstant(query.appliedBefore);
    const days = daysBetween(from, before);
    // BETWEEN is inclusive and the end is not: instants are whole milliseconds.
    const last = new Date(Date.parse(before) - 1).toISOString();
    const limit = query.limit ?? 500;
    const position = query.cursor ? (decodeCursor(query.cursor) as { day: number; key?: Record<string, unknown> }) : { day: 0 };
    const corrections: ReturnType<typeof itemCorrection>[] = [];
    let day = position.day;
    let start = position.key;
    while (day < days.length && corrections.length < limit) {
      const out = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: HISTORY_INDEXES.byCorrectionDay,
          KeyConditionExpression: 'correctionDay = :d AND appliedAt BETWEEN :from AND :last',
          ExpressionAttributeValues: { ':d': days[day], ':from': from, ':last': last },
          ExclusiveStartKey: start,
          Limit: limit - corrections.length,
        }),
      );
      corrections.push(...(await Promise.all((out.Items ?? []).map((item) => this.withApplier(item)))).map(itemCorrection));
      start = out.LastEvaluatedKey;
      if (!start) day += 1;
    }
    const done = day >= days.length;
    return { corrections, ...(done ? {} : { cursor: encodeCursor({ day, ...(start ? { key: start } : {}) }) }) };
  }

  /**
   * A correction as the index has it, with who applied it (`correctionAppliedBy`, on imported
   * ones), which the index does not project: a GSI's projection cannot change in place, so one
   * keyed `Query` of the table per correction (corrections are rare) reads it instead.
   */
  private async withApplier(item: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': item.pk, ':sk': item.sk },
        ProjectionExpression: 'correctionAppliedBy',
      }),
    );
    const appliedBy = out.Items?.[0]?.correctionAppliedBy;
    return typeof appliedBy === 'string' ? { ...item, correctionAppliedBy: appliedBy } : item;
  }

  /** The newest fact of a timeline effective at or before `instant`. */
  private async factAt(key: FactKey, instant: string): Promise<{ fact: DirectoryFact; appliedAt: string } | undefined> {
    const out = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :upTo',
        ExpressionAttributeValues: { ':pk': HistoryKeys.pk(key), ':first': HistoryKeys.factPrefix, ':upTo': HistoryKeys.upTo(instant) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: this.options.consistentRead ?? false,
      }),
    );
    const item = out.Items?.[0];
    return item ? { fact: itemFact(item), appliedAt: String(item.appliedAt) } : undefined;
  }

  /** Partitions with at least one fact effective at or before `instant` whose `attribute` is `value`. */
  private async candidates(indexName: string, attribute: string, value: string, instant: string): Promise<string[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#a = :v AND sk <= :upTo',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': value, ':upTo': HistoryKeys.upTo(instant) },
    });
    return [...new Set(items.map((item) => String(item.pk)))];
  }

  /** Every fact of a timeline that ever held, oldest first, with the end of its interval. */
  private async timeline(key: FactKey): Promise<{ fact: DirectoryFact; appliedAt: string; validUntil?: string }[]> {
    const items = await queryAll(this.options.client, {
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': HistoryKeys.pk(key), ':prefix': HistoryKeys.factPrefix },
      ConsistentRead: this.options.consistentRead ?? false,
    });
    const facts = items.map((item) => ({ fact: itemFact(item), appliedAt: String(item.appliedAt) }));
    // Sorted by (effectiveAt, version): of one effectiveAt, only the last (highest version) ever held.
    const held = facts.filter((f, i) => facts[i + 1]?.fact.effectiveAt !== f.fact.effectiveAt);
    return held.map((f, i) => {
      const next = held[i + 1];
      return next ? { ...f, validUntil: next.fact.effectiveAt } : f;
    });
  }
}

/** The UTC days from `from`'s to `before`'s (exclusive end), at most {@link MAX_CORRECTION_QUERY_DAYS}. */
function daysBetween(from: string, before: string): string[] {
  const days: string[] = [];
  const end = Date.parse(before);
  for (let ms = Date.parse(from.slice(0, 10)); ms < end; ms += DAY_MS) {
    days.push(new Date(ms).toISOString().slice(0, 10));
    if (days.length > MAX_CORRECTION_QUERY_DAYS) {
      throw new InvalidArgumentError(`a corrections query covers at most ${MAX_CORRECTION_QUERY_DAYS} days`);
    }
  }
  return days;
}
