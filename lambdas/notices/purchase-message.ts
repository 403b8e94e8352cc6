import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as z from 'zod/mini';
import { contractObject, fieldNamesOf, instant, text, typeRule } from '../platform/contract-schema';
import { MAX_CLOCK_SKEW_MS, MAX_FUTURE_MS } from '../platform/clock-limits';
import { identifier } from '../platform/identifier';

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Bodies larger than this are refused before parsing (a valid v1 message is under 4 KiB). */
export const MAX_BODY_BYTES = 16 * 1024;

const CONTRACT = 'purchase message v1';

const shape = {
  schemaVersion: z.literal(1, typeRule('must be the integer 1')),
  eventId: identifier,
  purchaseId: identifier,
  registryId: identifier,
  item: contractObject(
    {
      itemId: identifier,
      title: text(200),
      quantity: z
        .number(typeRule('must be a number'))
        .check(
          z.int({ error: 'must be an integer' }),
          z.gte(1, { error: 'must be at least 1' }),
          z.lte(99, { error: 'must be at most 99' }),
        ),
    },
    CONTRACT,
  ),
  purchasedAt: instant(),
  purchaser: z.optional(
    contractObject(
      {
        displayName: text(80).check(z.refine((s) => !CONTROL_CHARS.test(s), { error: 'must not contain control characters' })),
      },
      CONTRACT,
    ),
  ),
  giftMessage: z.optional(text(500, { min: 0 })),
  recipientCustomerId: z.optional(identifier),
};

const purchaseMessageV1 = contractObject(shape, CONTRACT, 'must be a JSON object');

/** A purchase event that passed every rule of message contract v1. */
export type PurchaseMessage = z.infer<typeof purchaseMessageV1>;

/** Every field name of contract v1: what a log line may show of an issue's path. */
export const PURCHASE_MESSAGE_FIELDS: ReadonlySet<string> = fieldNamesOf(purchaseMessageV1);

/**
 * Purchase message contract v1 as a Standard Schema (any validation middleware takes it):
 * every field checked, unknown fields refused one by one, and a `purchasedAt` more than
 * {@link MAX_FUTURE_MS} ahead of `now` refused as a wrong date.
 *
 * @example
 * const schema = purchaseMessageSchema(() => new Date());
 * await schema['~standard'].validate({ schemaVersion: 2 }) // issues: schemaVersion must be the integer 1, eventId is required, ...
 */
export function purchaseMessageSchema(now: () => Date): StandardSchemaV1<unknown, PurchaseMessage> {
  return purchaseMessageV1.check(
    z.refine((m) => Date.parse(m.purchasedAt) <= now().getTime() + MAX_FUTURE_MS, {
      error: 'must not be more than 24 hours in the future',
      path: ['purchasedAt'],
    }),
  );
}

/**
 * How long a valid message must wait before it may be sent: 0 when `purchasedAt` is at most
 * {@link MAX_CLOCK_SKEW_MS} ahead of `now`; otherwise the time until it is, so the producer's
 * fast clock delays the notice instead of losing it.
 *
 * @example
 * clockAheadDelaySeconds({ purchasedAt: '2026-11-25T12:06:00Z' }, new Date('2026-11-25T12:00:00Z')) // 60
 */
export function clockAheadDelaySeconds(message: Pick<PurchaseMessage, 'purchasedAt'>, now: Date): number {
  const aheadMs = Date.parse(message.purchasedAt) - now.getTime() - MAX_CLOCK_SKEW_MS;
  return aheadMs > 0 ? Math.ceil(aheadMs / 1000) : 0;
}
