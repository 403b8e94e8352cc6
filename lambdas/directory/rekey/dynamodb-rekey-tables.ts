import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientOf } from '../../platform/dynamodb/document';
import { InvalidEventError } from '../../platform/function-errors';
import type { AddressRow, RekeyTable, RekeyTables, RowPage } from './rekey-hashes';

/** The tables the job reads and writes, by name. */
export interface RekeyTableNames {
  readonly customers: string;
  readonly history: string;
  readonly ledger: string;
  readonly suppressions: string;
  readonly unsubscribes: string;
}

/** Where each table keeps the address, its hash, and its key (docs/data-model.md). */
const LAYOUT: Record<RekeyTable, { readonly key: readonly string[]; readonly address: string; readonly hash: string; readonly extra: readonly string[] }> = {
  customers: { key: ['customerId'], address: 'email', hash: 'emailHash', extra: [] },
  history: { key: ['pk', 'sk'], address: 'email', hash: 'emailHash', extra: [] },
  ledger: { key: ['noticeId'], address: 'recipientAddress', hash: 'recipientAddressHash', extra: ['decidedAt'] },
};

/**
 * The re-keying job's reads and writes (`rekey-hashes.ts`): a paged `Scan` of each table (a
 * one-off migration, never the hot path), a conditional `UpdateItem` of the hash, and the moves of
 * suppressions and unsubscribes from a legacy hash to the keyed one (a conditional put of the
 * keyed item, then the delete of the legacy one: a crash between them leaves both, which every
 * reader takes as one, and the next run deletes the legacy one).
 *
 * @example
 * const tables = new DynamoDbRekeyTables(dynamoDb, names);
 * await tables.page('customers', undefined, 100);
 */
export class DynamoDbRekeyTables implements RekeyTables {
  readonly #doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly names: RekeyTableNames,
  ) {
    this.#doc = documentClientOf(client);
  }

  async page(table: RekeyTable, cursor: string | undefined, limit: number): Promise<RowPage> {
    const layout = LAYOUT[table];
    const fields = [...layout.key, layout.address, layout.hash, ...layout.extra];
    const out = await this.#doc.send(
      new ScanCommand({
        TableName: this.names[table],
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, layout.key),
        FilterExpression: 'attribute_exists(#address) AND attribute_exists(#hash)',
        ProjectionExpression: fields.map((_, i) => `#f${i}`).join(', '),
        ExpressionAttributeNames: { '#address': layout.address, '#hash': layout.hash, ...Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])) },
        ConsistentRead: true,
      }),
    );
    const rows = (out.Items ?? []).flatMap((item): AddressRow[] => {
      const address = item[layout.address];
      const hash = item[layout.hash];
      if (typeof address !== 'string' || typeof hash !== 'string') return [];
      const key = Object.fromEntries(layout.key.map((k) => [k, String(item[k])]));
      return [{ key, address, hash, ...(typeof item.decidedAt === 'string' ? { decidedAt: item.decidedAt } : {}) }];
    });
    return { rows, scanned: out.ScannedCount ?? 0, cursor: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined };
  }

  async rewrite(table: RekeyTable, row: AddressRow, to: string): Promise<boolean> {
    const layout = LAYOUT[table];
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.names[table],
          Key: row.key,
          UpdateExpression: 'SET #hash = :to',
          // Only from the legacy hash of the address the row still holds: a row changed meanwhile is left.
          ConditionExpression: '#hash = :from AND #address = :address',
          ExpressionAttributeNames: { '#hash': layout.hash, '#address': layout.address },
          ExpressionAttributeValues: { ':to': to, ':from': row.hash, ':address': row.address },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      // Already `to` for that address: our own write, its answer lost and retried by the SDK; re-keyed, not left.
      if (error instanceof ConditionalCheckFailedException) return error.Item?.[layout.hash]?.S === to && error.Item?.[layout.address]?.S === row.address;
      throw error;
    }
  }

  async moveDoNotMail(legacy: string, keyed: string): Promise<{ suppressions: number; unsubscribes: number }> {
    const { Item: suppression } = await this.#doc.send(new GetCommand({ TableName: this.names.suppressions, Key: { emailHash: legacy }, ConsistentRead: true }));
    const suppressions = suppression ? await this.#move(this.names.suppressions, suppression, { emailHash: legacy }, keyed) : 0;
    const { Items: scopes = [] } = await this.#doc.send(
      new QueryCommand({ TableName: this.names.unsubscribes, KeyConditionExpression: 'emailHash = :h', ExpressionAttributeValues: { ':h': legacy }, ConsistentRead: true }),
    );
    let unsubscribes = 0;
    for (const item of scopes) unsubscribes += await this.#move(this.names.unsubscribes, item, { emailHash: legacy, scope: item.scope }, keyed);
    return { suppressions, unsubscribes };
  }

  /** Puts the item under the keyed hash unless one is there (the keyed one stays), then deletes the legacy one. */
  async #move(tableName: string, item: Record<string, unknown>, legacyKey: Record<string, unknown>, keyed: string): Promise<number> {
    try {
      await this.#doc.send(new PutCommand({ TableName: tableName, Item: { ...item, emailHash: keyed }, ConditionExpression: 'attribute_not_exists(emailHash)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await this.#doc.send(new DeleteCommand({ TableName: tableName, Key: legacyKey }));
    return 1;
  }
}

/** A cursor is the scan's `LastEvaluatedKey` as base64url JSON: strings under exactly the table's key names. */
function decodeCursor(cursor: string, key: readonly string[]): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const ok =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) &&
    Object.keys(parsed).sort().join() === [...key].sort().join() &&
    Object.values(parsed).every((v) => typeof v === 'string');
  if (!ok) throw new InvalidEventError([{ field: 'cursor', rule: 'must be the cursor of an earlier answer for this table' }]);
  return parsed as Record<string, string>;
}
