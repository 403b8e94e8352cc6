import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { breakerPauseMs } from '../domain/apology/send-rate';
import type { SendSlotSchedule, SlotGrant, SlotRequest } from '../ports/send-slots';
import { AuditKeys } from './audit-table-keys';
import { conditionHeld } from './dynamodb-helpers';

/** Openings of the breaker closer together than this count as "in a row" (the pause doubles). */
const OPENINGS_IN_A_ROW_WITHIN_US = 120_000_000;

/**
 * The shared slot schedule as one audit-table item (`RATE`/`apology-sends`): `next` is the
 * earliest free slot (µs since the epoch), `openUntil` the circuit breaker. A slot is taken by
 * one conditional update, so DynamoDB serialises the takers:
 *
 *   schedule busy (next ≥ now):  slot = next,  next += interval    (condition: next ≥ now, next ≤ latest)
 *   schedule idle (next < now):  slot = now,   next  = now + interval (condition: next < now)
 *
 * Either way the item moves past the slot by at least `interval` in the same write that hands
 * it out, so consecutive slots are never closer than `interval`, whoever takes them. Both
 * conditions also require the breaker to be closed. One item takes one write per apology:
 * DynamoDB allows 1,000 writes a second on an item, four times an SES rate of 500/s at 50 %.
 */
export class DynamoDbSendSlots implements SendSlotSchedule {
  readonly #key: Record<string, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    name = 'apology-sends',
  ) {
    this.#key = AuditKeys.rateSchedule(name);
  }

  async take({ nowUs, intervalUs, latestUs }: SlotRequest): Promise<SlotGrant> {
    const closed = '(attribute_not_exists(openUntil) OR openUntil <= :now)';
    // A few rounds: a failed condition may only mean another taker moved `next` in between.
    for (let round = 0; round < 4; round += 1) {
      try {
        const out = await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.#key,
            UpdateExpression: 'SET #next = #next + :interval',
            ConditionExpression: `#next >= :now AND #next <= :latest AND ${closed}`,
            ExpressionAttributeNames: { '#next': 'next' },
            ExpressionAttributeValues: { ':interval': intervalUs, ':now': nowUs, ':latest': latestUs },
            ReturnValues: 'UPDATED_OLD',
          }),
        );
        return { granted: true, slotUs: Number(out.Attributes?.next) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const idle = await conditionHeld(
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.#key,
            UpdateExpression: 'SET #next = :after',
            ConditionExpression: `(attribute_not_exists(#next) OR #next < :now) AND ${closed}`,
            ExpressionAttributeNames: { '#next': 'next' },
            ExpressionAttributeValues: { ':after': nowUs + intervalUs, ':now': nowUs },
          }),
        ),
      );
      if (idle) return { granted: true, slotUs: nowUs };
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.#key, ConsistentRead: true }));
      const openUntil = Number(Item?.openUntil ?? 0);
      if (openUntil > nowUs) return { granted: false, why: 'BREAKER_OPEN', retryAtUs: openUntil };
      const next = Number(Item?.next ?? 0);
      if (next > latestUs) return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: next - (latestUs - nowUs) };
    }
    return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: nowUs + intervalUs };
  }

  async openBreaker(nowUs: number): Promise<number> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.#key, ConsistentRead: true }));
    const lastOpenUntil = Number(Item?.openUntil ?? 0);
    if (lastOpenUntil > nowUs) return lastOpenUntil;
    const inARow = lastOpenUntil > nowUs - OPENINGS_IN_A_ROW_WITHIN_US ? Number(Item?.opens ?? 0) + 1 : 0;
    const until = nowUs + breakerPauseMs(inARow) * 1000;
    // Only ever later: two senders opening it at once keep the longer pause.
    await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.#key,
          UpdateExpression: 'SET openUntil = :until, opens = :opens',
          ConditionExpression: 'attribute_not_exists(openUntil) OR openUntil < :until',
          ExpressionAttributeValues: { ':until': until, ':opens': inARow },
        }),
      ),
    );
    return until;
  }
}
