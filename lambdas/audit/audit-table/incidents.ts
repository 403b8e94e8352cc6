import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { IncidentMember } from '../campaign/apology-plan';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IncidentOrigin, type Incident } from '../incident';
import type { IncidentStore, MemberPage, StoredIncident, SweepProgress } from '../ports/incidents';
import { IncidentExistsError } from '../errors';
import { AuditKeys } from './keys';
import { queryAll } from '../../platform/dynamodb/document';
import { stripUndefined } from '../../platform/dynamodb/helpers';

/**
 * Incidents in the audit table: headers under one partition (`INCIDENTS`, a handful of
 * items), each incident's attached rows under its own (`INC#<id>`, `ROW#<noticeId>`).
 */
export class DynamoDbIncidents implements IncidentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async declare(incident: Incident): Promise<void> {
    const sweep: SweepProgress = { done: false, dayIndex: 0 };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...AuditKeys.incident(incident.incidentId), ...stripUndefined(incident), sweep },
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

  async attach(incidentId: string, member: IncidentMember, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...AuditKeys.member(incidentId, member.noticeId), ...stripUndefined(member), attachedAt: at },
      }),
    );
  }

  async memberPage(incidentId: string, after: string | undefined, limit: number): Promise<MemberPage> {
    const pk = AuditKeys.incidentPartition(incidentId);
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
        ExpressionAttributeValues: { ':pk': pk, ':row': 'ROW#' },
        ConsistentRead: true,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { pk, sk: after } } : {}),
      }),
    );
    const members = (out.Items ?? []).map((i) => ({
      key: String(i.sk),
      noticeId: String(i.noticeId),
      addressHash: typeof i.addressHash === 'string' ? i.addressHash : undefined,
      verdict: String(i.verdict),
      reason: typeof i.reason === 'string' ? i.reason : undefined,
      locale: typeof i.locale === 'string' ? i.locale : undefined,
    }));
    const last = out.LastEvaluatedKey?.sk;
    return { members, cursor: typeof last === 'string' ? last : undefined };
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
    sweep: { done: sweep.done === true, dayIndex: Number(sweep.dayIndex ?? 0), cursor: str(sweep.cursor), rows: Number(sweep.rows ?? 0) },
  };
}
