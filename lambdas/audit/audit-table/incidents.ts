import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { IncidentMember } from '../campaign/apology-plan';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IncidentOrigin, type Incident } from '../incident';
import type { IncidentStore, MemberPage, StoredIncident, SweepProgress } from '../ports/incidents';
import { IncidentExistsError } from '../errors';
import { AuditKeys, CURRENT_LAYOUT } from './keys';
import { IncidentLayouts, incidentPage } from './incident-layouts';
import { queryAll } from '../../platform/dynamodb/document';
import { stripUndefined } from '../../platform/dynamodb/helpers';

/**
 * Incidents in the audit table: headers under one partition (`INCIDENTS`, a handful of
 * items, each with its key layout), each incident's attached rows under its shard partitions
 * (`INC#<id>#<nn>`, `ROW#<noticeId>`; `INC#<id>` for incidents declared before the shards).
 */
export class DynamoDbIncidents implements IncidentStore {
  readonly #layouts: IncidentLayouts;
  /** `<incidentId>\n<importer>` already added to `rowsImportedBy` by this instance. */
  readonly #importersRecorded = new Set<string>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.#layouts = new IncidentLayouts(client, tableName);
  }

  async declare(incident: Incident): Promise<void> {
    const sweep: SweepProgress = { done: false, dayIndex: 0 };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...AuditKeys.incident(incident.incidentId), ...stripUndefined(incident), sweep, keyShards: CURRENT_LAYOUT.shards },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new IncidentExistsError(incident.incidentId, { cause: error });
      throw error;
    }
  }

  async get(incidentId: string): Promise<StoredIncident | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.incident(incidentId), ConsistentRead: true }),
    );
    return Item ? toIncident(Item) : undefined;
  }

  async list(): Promise<StoredIncident[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': AuditKeys.incidentsPartition },
      ConsistentRead: true,
    });
    return items.map(toIncident);
  }

  async saveSweep(incidentId: string, progress: SweepProgress): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: AuditKeys.incident(incidentId),
        UpdateExpression: 'SET sweep = :sweep',
        ExpressionAttributeValues: { ':sweep': stripUndefined(progress) },
      }),
    );
  }

  async addCorrectionsAppliedBy(incidentId: string, appliedBy: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: AuditKeys.incident(incidentId),
        UpdateExpression: 'ADD correctionsAppliedBy :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':by': new Set([appliedBy]) },
      }),
    );
  }

  async addRowsImportedBy(incidentId: string, importedBy: string): Promise<void> {
    // Once per incident and importer in this execution environment: an import of a million rows
    // by one person is one write to the incident's item, not a million on one key.
    const key = `${incidentId}\n${importedBy}`;
    if (this.#importersRecorded.has(key)) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: AuditKeys.incident(incidentId),
        UpdateExpression: 'ADD rowsImportedBy :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':by': new Set([importedBy]) },
      }),
    );
    this.#importersRecorded.add(key);
  }

  async attach(incidentId: string, member: IncidentMember, at: string): Promise<void> {
    const layout = await this.#layouts.of(incidentId);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...AuditKeys.member(incidentId, member.noticeId, layout), ...stripUndefined(member), attachedAt: at },
      }),
    );
  }

  async memberPage(incidentId: string, after: string | undefined, limit: number): Promise<MemberPage> {
    const layout = await this.#layouts.of(incidentId);
    const page = await incidentPage(this.client, this.tableName, incidentId, layout, 'ROW#', after, limit);
    const members = page.items.map((i) => ({
      key: String(i.sk),
      noticeId: String(i.noticeId),
      addressHash: typeof i.addressHash === 'string' ? i.addressHash : undefined,
      verdict: String(i.verdict),
      reason: typeof i.reason === 'string' ? i.reason : undefined,
      locale: typeof i.locale === 'string' ? i.locale : undefined,
    }));
    return { members, cursor: page.cursor };
  }

  async sourceDays(source: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': AuditKeys.sourcePartition(source) },
      ConsistentRead: true,
    });
    return items.map((i) => String(i.day)).sort();
  }
}

function toIncident(item: Record<string, unknown>): StoredIncident {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const sweep = (item.sweep ?? {}) as Partial<SweepProgress>;
  return {
    incidentId: String(item.incidentId),
    description: String(item.description ?? ''),
    windowStart: str(item.windowStart),
    windowEnd: str(item.windowEnd),
    source: str(item.source),
    declaredAt: String(item.declaredAt ?? ''),
    declaredBy: str(item.declaredBy),
    ...(item.origin === IncidentOrigin.CORRECTIONS ? { origin: IncidentOrigin.CORRECTIONS } : {}),
    ...(item.correctionsAppliedBy instanceof Set ? { correctionsAppliedBy: [...(item.correctionsAppliedBy as Set<string>)].sort() } : {}),
    ...(item.rowsImportedBy instanceof Set ? { rowsImportedBy: [...(item.rowsImportedBy as Set<string>)].sort() } : {}),
    sweep: { done: sweep.done === true, dayIndex: Number(sweep.dayIndex ?? 0), cursor: str(sweep.cursor), rows: Number(sweep.rows ?? 0) },
  };
}
