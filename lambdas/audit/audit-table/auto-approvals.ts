import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AutoApprovals } from '../ports/auto-approvals';
import { AuditKeys } from './keys';
import { expiresAfterDays } from '../../platform/dynamodb/helpers';

/** Days a day's count is kept after it (TTL): nothing reads it once its day is over; a margin for clocks. */
const KEEP_DAYS = 2;

/**
 * A declarer's automatic approvals of a day in the audit table: one small item
 * `AUTO#<declarerKey>` / `DAY#<yyyy-mm-dd>` with the recipients counted (`recipients`) and the
 * incidents they came from (`incidents`, a set, so a plan finished twice counts once). A
 * reservation is one conditional `UpdateItem`: it adds only while the total stays within the
 * limit, so two plans finishing at once never both take the last of the allowance.
 */
export class DynamoDbAutoApprovals implements AutoApprovals {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(declarerKey: string, day: string, incidentId: string, recipients: number, limit: number): Promise<boolean> {
    const room = limit - recipients;
    const key = AuditKeys.autoApprovals(declarerKey, day);
    if (room >= 0) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD recipients :n, incidents :ids SET expiresAt = if_not_exists(expiresAt, :expires)',
            // DynamoDB cannot add in a condition: "at most `room` so far" is "at most `limit` after".
            ConditionExpression: '(attribute_not_exists(recipients) OR recipients <= :room) AND (attribute_not_exists(incidents) OR NOT contains(incidents, :id))',
            ExpressionAttributeValues: {
              ':n': recipients,
              ':ids': new Set([incidentId]),
              ':id': incidentId,
              ':room': room,
              ':expires': expiresAfterDays(Date.parse(`${day}T00:00:00.000Z`), KEEP_DAYS),
            },
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    // Refused, or counted already by an earlier finish of this incident's plan.
    const item = await this.#item(key);
    return item?.incidents instanceof Set && item.incidents.has(incidentId);
  }

  async used(declarerKey: string, day: string): Promise<number> {
    const item = await this.#item(AuditKeys.autoApprovals(declarerKey, day));
    return Number(item?.recipients ?? 0);
  }

  async #item(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }
}
