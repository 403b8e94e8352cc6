import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PlanSummary, PlannedRecipient, SkipReason } from '../domain/audit/apology-plan';
import type { AuditReason } from '../domain/audit/audit-reasons';
import { toLocale } from '../domain/facts';
import { ApprovalConflictError, CampaignFrozenError } from '../audit/errors';
import {
  ApologyState,
  CampaignState,
  type Approval,
  type Campaign,
  type CampaignStore,
  type RecipientPage,
} from '../ports/campaigns';
import { AuditKeys } from './audit-table-keys';
import { batchWriteAll, queryAll } from './dynamodb-document';
import { conditionHeld } from './dynamodb-helpers';

type Item = Record<string, unknown>;

/**
 * Campaigns in the audit table, under their incident's partition:
 * `CAMPAIGN` (state, plan summary, approval record, cursor), `TO#<addressHash>` (the plan),
 * `APOLOGY#<addressHash>` (the claims). A claim is a put conditional on its key, so one
 * address gets at most one apology per incident whatever runs overlap.
 */
export class DynamoDbCampaigns implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(incidentId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: AuditKeys.campaign(incidentId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      incidentId,
      state: Item.state as CampaignState,
      plannedAt: String(Item.plannedAt),
      summary: Item.summary as PlanSummary,
      approval: Item.approval as Approval | undefined,
      cursor: typeof Item.cursor === 'string' ? Item.cursor : undefined,
    };
  }

  async savePlan(
    incidentId: string,
    recipients: readonly PlannedRecipient[],
    summary: PlanSummary,
    state: CampaignState,
    plannedAt: string,
    approval?: Approval,
  ): Promise<void> {
    const existing = await this.get(incidentId);
    if (existing && existing.state !== CampaignState.AWAITING_APPROVAL) throw new CampaignFrozenError(incidentId);

    // The plan first, the campaign item last: a campaign item always describes a whole plan.
    const keep = new Set(recipients.map((r) => AuditKeys.recipient(incidentId, r.addressHash).sk));
    const stale = existing
      ? (await queryAll(this.client, this.#partition(incidentId, 'TO#'))).map((i) => String(i.sk)).filter((sk) => !keep.has(sk))
      : [];
    await batchWriteAll(this.client, this.tableName, [
      ...recipients.map((r) => ({ PutRequest: { Item: { ...AuditKeys.recipient(incidentId, r.addressHash), ...r } } })),
      ...stale.map((sk) => ({ DeleteRequest: { Key: { pk: AuditKeys.incidentPartition(incidentId), sk } } })),
    ]);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...AuditKeys.campaign(incidentId),
            incidentId,
            state,
            plannedAt,
            summary,
            ...(approval ? { approval } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #state = :awaiting',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':awaiting': CampaignState.AWAITING_APPROVAL },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new CampaignFrozenError(incidentId, { cause: error });
      throw error;
    }
  }

  async approve(incidentId: string, plannedAt: string, approval: Approval): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET #state = :approved, approval = :approval',
          ConditionExpression: '#state = :awaiting AND plannedAt = :plannedAt AND summary.toApologise = :size',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':approved': CampaignState.APPROVED,
            ':awaiting': CampaignState.AWAITING_APPROVAL,
            ':approval': approval,
            ':plannedAt': plannedAt,
            ':size': approval.approvedSize,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ApprovalConflictError(incidentId, { cause: error });
      throw error;
    }
  }

  async recipients(incidentId: string, after: string | undefined, limit: number): Promise<RecipientPage> {
    const input = this.#partition(incidentId, 'TO#');
    const out = await this.client.send(
      new QueryCommand({
        ...input,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { pk: AuditKeys.incidentPartition(incidentId), sk: after } } : {}),
      }),
    );
    const recipients = (out.Items ?? []).map((i) => {
      const base = { key: String(i.sk), addressHash: String(i.addressHash), noticeId: String(i.noticeId) };
      return i.decision === 'APOLOGISE'
        ? { ...base, decision: 'APOLOGISE' as const, reason: i.reason as AuditReason, locale: toLocale(String(i.locale)) }
        : { ...base, decision: 'SKIP' as const, skip: i.skip as SkipReason };
    });
    const last = out.LastEvaluatedKey?.sk;
    return { recipients, cursor: typeof last === 'string' ? last : undefined };
  }

  async saveCursor(incidentId: string, cursor: string): Promise<void> {
    // Only forward: two writers (an overlapping run past its lease) never move it back.
    await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.campaign(incidentId),
          UpdateExpression: 'SET #cursor = :cursor',
          ConditionExpression: 'attribute_not_exists(#cursor) OR #cursor < :cursor',
          ExpressionAttributeNames: { '#cursor': 'cursor' },
          ExpressionAttributeValues: { ':cursor': cursor },
        }),
      ),
    );
  }

  async complete(incidentId: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: AuditKeys.campaign(incidentId),
        UpdateExpression: 'SET #state = :complete, completedAt = :at',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':complete': CampaignState.COMPLETE, ':at': at },
      }),
    );
  }

  async claim(incidentId: string, addressHash: string, runId: string, at: string): Promise<'claimed' | 'taken'> {
    const claimed = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...AuditKeys.apology(incidentId, addressHash), state: ApologyState.SENDING, runId, claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return claimed ? 'claimed' : 'taken';
  }

  async settle(
    incidentId: string,
    addressHash: string,
    outcome: { readonly state: ApologyState; readonly sesMessageId?: string; readonly reason?: string },
    at: string,
  ): Promise<void> {
    const values: Item = { ':state': outcome.state, ':at': at, ':sending': ApologyState.SENDING };
    let set = '#state = :state, settledAt = :at';
    if (outcome.sesMessageId) {
      set += ', sesMessageId = :id';
      values[':id'] = outcome.sesMessageId;
    }
    if (outcome.reason) {
      set += ', reason = :reason';
      values[':reason'] = outcome.reason;
    }
    await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: AuditKeys.apology(incidentId, addressHash),
          UpdateExpression: `SET ${set}`,
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async release(incidentId: string, addressHash: string, runId: string): Promise<void> {
    await conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: AuditKeys.apology(incidentId, addressHash),
          ConditionExpression: '#state = :sending AND runId = :run',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': ApologyState.SENDING, ':run': runId },
        }),
      ),
    );
  }

  async claimCounts(incidentId: string): Promise<Record<string, number>> {
    const items = await queryAll(this.client, {
      ...this.#partition(incidentId, 'APOLOGY#'),
      ProjectionExpression: '#state',
      ExpressionAttributeNames: { '#state': 'state' },
    });
    const counts: Record<string, number> = {};
    for (const i of items) counts[String(i.state)] = (counts[String(i.state)] ?? 0) + 1;
    return counts;
  }

  #partition(incidentId: string, prefix: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': AuditKeys.incidentPartition(incidentId), ':prefix': prefix },
      ConsistentRead: true,
    };
  }
}
