import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recentSoftBounces } from '../suppression-policy';
import type { SuppressionToWrite } from '../suppression-policy';
import type { SuppressionRegister } from '../ports/mail-feedback';
import { conditionHeld, expiresAfterDays } from '../../platform/dynamodb/helpers';

/** Key prefix of the soft-bounce counters kept beside the suppressions (never read as one). */
export const SOFT_BOUNCE_KEY_PREFIX = 'soft-bounces#';

/** Where SES events put an address on the list (`source` of a suppression item). */
export const SUPPRESSED_BY_SES_EVENT = 'SES_EVENT';

/**
 * The suppression list (`SuppressionsTable`, by address hash), written from SES events.
 *
 * - A suppression is a put conditional on the hash: the first reason and time stay.
 * - Soft bounces are counted on `soft-bounces#<hash>` (a key that is never an address
 *   hash, so no guard reads it as a suppression), one map entry per SES message, so a
 *   repeated event is not counted twice; the item expires (TTL) when the window has passed
 *   since the last one.
 */
export class DynamoDbSuppressionRegister implements SuppressionRegister {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async suppress(write: SuppressionToWrite): Promise<'suppressed' | 'already'> {
    const written = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            emailHash: write.addressHash,
            reason: write.reason,
            createdAt: write.at,
            source: SUPPRESSED_BY_SES_EVENT,
            sesMessageId: write.sesMessageId,
            ...write.detail,
          },
          ConditionExpression: 'attribute_not_exists(emailHash)',
        }),
      ),
    );
    return written ? 'suppressed' : 'already';
  }

  async addSoftBounce(write: SuppressionToWrite, windowDays: number): Promise<readonly string[]> {
    const key = { emailHash: `${SOFT_BOUNCE_KEY_PREFIX}${write.addressHash}` };
    const expiresAt = expiresAfterDays(this.now().getTime(), windowDays);
    // A nested SET needs its map: create the item with this bounce first, else add to it.
    const created = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, bounces: { [write.sesMessageId]: write.at }, expiresAt },
          ConditionExpression: 'attribute_not_exists(emailHash)',
        }),
      ),
    );
    if (created) return [write.at];
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET bounces.#message = if_not_exists(bounces.#message, :at), expiresAt = :expires',
        ExpressionAttributeNames: { '#message': write.sesMessageId },
        ExpressionAttributeValues: { ':at': write.at, ':expires': expiresAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const bounces = Object.values((Attributes?.bounces ?? {}) as Record<string, string>);
    return recentSoftBounces(bounces, this.now(), windowDays);
  }
}
