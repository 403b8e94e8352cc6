import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { breakerPauseMs } from '../../mail/send-rate';
import type { SendSlotSchedule, SlotGrant, SlotRequest } from '../ports/send-slots';
import { AuditKeys } from './keys';
import { conditionalWrite, conditionHeld } from '../../platform/dynamodb/helpers';

type Item = Record<string, unknown>;

/** Openings of the breaker closer together than this count as "in a row" (the pause doubles). */
const OPENINGS_IN_A_ROW_WITHIN_US = 120_000_000;

/**
 * The shared slot schedule as one audit-table item (`RATE`/`apology-sends`): `next` is the
 * earliest free slot (µs since the epoch), `openUntil` the circuit breaker, `handedOut` how
 * many slots were ever handed out (sends and slots are told apart by it: missed slots). A slot is taken by
 * one conditional update, so DynamoDB serialises the takers:
 *
 *   schedule busy (next ≥ now):  slot = next,  next += n · interval    (condition: next ≥ now, next ≤ latest)
 *   schedule idle (next < now):  slot = now,   next  = now + n · interval (condition: next < now)
 *
 * for a block of n consecutive slots (slot, slot + interval, …; one container asks for its
 * waiting sends together). Either way the item moves past the block by n · interval in the
 * same write that hands it out, so consecutive slots are never closer than `interval`, whoever
 * takes them. Both conditions also require the breaker to be closed; a failed one returns the
 * item (ALL_OLD), which says why without a read. One item takes at most one write per
 * apology, fewer with blocks: DynamoDB allows 1,000 writes a second on an item, four times an
 * SES rate of 500/s at 50 %.
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

  async take({ nowUs, intervalUs, latestUs, count = 1 }: SlotRequest): Promise<SlotGrant> {
    const closed = '(attribute_not_exists(openUntil) OR openUntil <= :now)';
    const spanUs = count * intervalUs;
    // A few rounds: a failed condition may only mean another taker moved `next` in between. A
    // failed write returns the item as it was (ALL_OLD), so no read is needed to tell why.
    for (let round = 0; round < 4; round += 1) {
      const busy = await this.#write(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.#key,
          UpdateExpression: 'SET #next = #next + :span ADD handedOut :count',
          ConditionExpression: `#next >= :now AND #next <= :latest AND ${closed}`,
          ExpressionAttributeNames: { '#next': 'next' },
          ExpressionAttributeValues: { ':span': spanUs, ':now': nowUs, ':latest': latestUs, ':count': count },
          ReturnValues: 'UPDATED_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      if (busy.written) return { granted: true, slotUs: Number(busy.attributes?.next) };
      // Not busy: the breaker, booked past `latest`, or idle (next < now).
      const refused = this.#refusal(busy.existing, nowUs, latestUs);
      if (refused) return refused;
      const idle = await this.#write(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.#key,
          UpdateExpression: 'SET #next = :after ADD handedOut :count',
          ConditionExpression: `(attribute_not_exists(#next) OR #next < :now) AND ${closed}`,
          ExpressionAttributeNames: { '#next': 'next' },
          ExpressionAttributeValues: { ':after': nowUs + spanUs, ':now': nowUs, ':count': count },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      if (idle.written) return { granted: true, slotUs: nowUs };
      // Another taker made it busy in between (or opened the breaker): ask again.
      const refusedNow = this.#refusal(idle.existing, nowUs, latestUs);
      if (refusedNow) return refusedNow;
    }
    return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: nowUs + intervalUs };
  }

  // Why the schedule, as a failed write found it, hands out nothing: the breaker, or booked past `latestUs`.
  #refusal(item: Item | undefined, nowUs: number, latestUs: number): SlotGrant | undefined {
    const openUntil = Number(item?.openUntil ?? 0);
    if (openUntil > nowUs) return { granted: false, why: 'BREAKER_OPEN', retryAtUs: openUntil };
    const next = Number(item?.next ?? 0);
    if (next > latestUs) return { granted: false, why: 'BOOKED_AHEAD', retryAtUs: next - (latestUs - nowUs) };
    return undefined;
  }

  async #write(command: UpdateCommand): Promise<{ written: true; attributes?: Item } | { written: false; existing: Item | undefined }> {
    let attributes: Item | undefined;
    const write = await conditionalWrite(this.client.send(command).then((out) => (attributes = out.Attributes)));
    return write.written ? { written: true, attributes } : write;
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
